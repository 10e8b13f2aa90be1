package io.leadhub.dispatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the requests a dry-run destination would send as pretty-printed JSON files
 * {@code <dir>/<eventId>-<NN>-<purpose>.json} (NN from 01, in sending order), each
 * {@code {"method", "url", "headers", "body"}} with every secret (authentication header, token query parameter,
 * secret form field) shown as {@code ****}: {@link OutboundRequest#shownUrl()},
 * {@link OutboundRequest#shownHeaders()}, {@link OutboundRequest#displayBody()}. Same layout as the HubSpot
 * connector's files. Stateless.
 */
public final class DryRunFiles {

    private static final Logger log = LoggerFactory.getLogger(DryRunFiles.class);

    private DryRunFiles() {
    }

    /**
     * The end of a connector's dry run: writes the requests ({@link #write}), logs one line
     * ({@code <type> dry run tenant=.. destination=.. event=..: N request(s) written to <dir>}) and returns the result.
     *
     * @param request       the delivery (its dry-run folder, event id, tenant and destination)
     * @param requests      the requests a live delivery would send, in sending order
     * @param knownRecordId the record id to report (the id the contact index knows), or null
     * @param mapper        JSON writer
     * @param system        system name for messages, e.g. {@code Pipedrive}
     * @return {@code DRY_RUN} with {@code knownRecordId}
     * @throws PermanentDeliveryException when the request has no dry-run folder
     * @throws TransientDeliveryException (status 0) when a file cannot be written
     */
    public static DeliveryResult dryRun(DeliveryRequest request, List<OutboundRequest> requests, String knownRecordId,
                                        ObjectMapper mapper, String system) {
        write(request.dryRunDir(), request.eventId(), requests, mapper, system);
        log.info("{} dry run tenant={} destination={} event={}: {} request(s) written to {}",
                request.destination().type(), request.tenant(), request.destination().id(), request.eventId(),
                requests.size(), request.dryRunDir());
        return new DeliveryResult(Outcome.DRY_RUN, knownRecordId);
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

    /**
     * @param r      a request
     * @param mapper JSON factory
     * @return the dry-run file content: {@code {"method", "url", "headers", "body"}}, secrets masked
     */
    static ObjectNode content(OutboundRequest r, ObjectMapper mapper) {
        ObjectNode file = mapper.createObjectNode();
        file.put("method", r.method().name());
        file.put("url", r.shownUrl());
        ObjectNode headers = file.putObject("headers");
        r.shownHeaders().forEach(headers::put);
        if (r.displayBody() instanceof JsonNode json) {
            file.set("body", json);
        } else if (r.displayBody() != null) {
            file.set("body", mapper.valueToTree(r.displayBody()));
        }
        return file;
    }
}
