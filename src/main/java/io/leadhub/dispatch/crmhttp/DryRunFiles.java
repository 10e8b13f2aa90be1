package io.leadhub.dispatch.crmhttp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the requests of a dry-run delivery as pretty-printed JSON files, one per request, named
 * {@code <eventId>-<NN>-<purpose>.json} (NN from 01, in sending order), like the HubSpot connector's dry run.
 * Each file is {@link CrmRequest#toDryRunJson(ObjectMapper)}: secrets shown as {@code ****}. Stateless.
 */
public final class DryRunFiles {

    private DryRunFiles() {
    }

    /**
     * @param mapper   JSON writer
     * @param crm      CRM display name, for messages
     * @param dir      the destination's dry-run folder (created when missing), or null
     * @param eventId  LeadHub event id (characters other than letters, digits, {@code . _ -} become {@code _})
     * @param requests the requests in sending order
     * @throws PermanentDeliveryException when {@code dir} is null
     * @throws TransientDeliveryException (status 0) when the files cannot be written
     */
    public static void write(ObjectMapper mapper, String crm, Path dir, String eventId, List<CrmRequest> requests) {
        if (dir == null) {
            throw new PermanentDeliveryException(crm + " dry run: no dry-run folder", 0, null, null);
        }
        String prefix = eventId == null || eventId.isBlank() ? "no-event-id" : eventId.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < requests.size(); i++) {
                CrmRequest r = requests.get(i);
                Path file = dir.resolve(String.format("%s-%02d-%s.json", prefix, i + 1, r.purpose()));
                Files.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(r.toDryRunJson(mapper)));
            }
        } catch (IOException e) {
            throw new TransientDeliveryException(crm + " dry run: cannot write request files to " + dir + ": "
                    + e.getClass().getSimpleName(), 0, null, null, e);
        }
    }
}
