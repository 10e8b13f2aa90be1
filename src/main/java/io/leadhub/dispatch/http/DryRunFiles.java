package io.leadhub.dispatch.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the requests a dry-run destination would send as pretty-printed JSON files
 * {@code <dir>/<eventId>-<NN>-<purpose>.json}, each {@code {"method", "url", "headers", "body"}}, with secret
 * header values (authentication, signatures) shown as {@code ****}. Same layout as the HubSpot connector's files.
 */
public final class DryRunFiles {

    private DryRunFiles() {
    }

    /**
     * @param dir      the destination's dry-run folder ({@code <data-dir>/dry-run/<tenant>/<destination>})
     * @param eventId  LeadHub event id, the file name prefix (characters outside {@code [A-Za-z0-9._-]} become {@code _})
     * @param requests the requests, in sending order (may be empty: nothing is written)
     * @param mapper   JSON writer
     * @param system   system name for messages, e.g. {@code Perfex}
     * @return the files written
     * @throws PermanentDeliveryException when {@code dir} is null
     * @throws TransientDeliveryException (status 0) when a file cannot be written
     */
    public static List<Path> write(Path dir, String eventId, List<OutboundRequest> requests, ObjectMapper mapper,
                                   String system) {
        if (dir == null) {
            throw new PermanentDeliveryException(system + " dry run: the destination has no dry-run folder", 0, null, null);
        }
        String prefix = eventId == null || eventId.isBlank() ? "no-event-id" : eventId.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                OutboundRequest r = requests.get(i);
                Path file = dir.resolve(String.format("%s-%02d-%s.json", prefix, i + 1, r.purpose()));
                Files.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(content(r, mapper)));
                files.add(file);
            }
            return files;
        } catch (IOException e) {
            throw new TransientDeliveryException(system + " dry run: cannot write request files to " + dir + ": "
                    + e.getClass().getSimpleName(), 0, null, null, e);
        }
    }

    private static ObjectNode content(OutboundRequest r, ObjectMapper mapper) {
        ObjectNode file = mapper.createObjectNode();
        file.put("method", r.method().name());
        file.put("url", r.url().toString());
        ObjectNode headers = file.putObject("headers");
        if (r.contentType() != null) {
            headers.put("Content-Type", r.contentType());
        }
        r.headers().forEach((name, value) -> headers.put(name, r.secretHeaders().contains(name) ? mask(value) : value));
        if (r.displayBody() != null) {
            file.set("body", mapper.valueToTree(r.displayBody()));
        }
        return file;
    }

    /** Keeps an authentication scheme word ({@code Bearer}, {@code Basic}) and hides the rest. */
    private static String mask(String value) {
        int space = value == null ? -1 : value.indexOf(' ');
        return space > 0 && space < 10 ? value.substring(0, space) + " ****" : "****";
    }
}
