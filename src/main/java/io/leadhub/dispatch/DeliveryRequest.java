package io.leadhub.dispatch;

import io.leadhub.mapping.MappingContext;
import io.leadhub.tenant.DestinationConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a {@link CrmConnector} needs to write one enriched lead to one destination.
 *
 * @param tenant        tenant id
 * @param destination   the destination's configuration (base URL, token, duplicate detection, settings)
 * @param eventId       LeadHub event id (UUID string) of the lead event; names dry-run files
 * @param properties    the CRM properties produced by the destination's mapping, in mapping order; values are
 *                      String, Long, Double, Boolean, List or Map; no null values
 * @param phone         the lead's phone in E.164 (e.g. {@code +14045558514}), or null
 * @param email         the lead's e-mail, lower-case, or null
 * @param knownRecordId the CRM record id this destination returned for the same contact before (from the
 *                      contact index), or null when the hub has not written this contact to it yet
 * @param dryRunDir     folder where a dry-run destination writes its requests ({@code <data-dir>/dry-run/<tenant>/<destination>})
 * @param context       the lead, call and AI maps the mapping was evaluated over (the CEL variables {@code lead},
 *                      {@code call}, {@code ai}), for connectors that fill CRM fields the mapping left out (names,
 *                      transcript, project type); null when the caller has none
 */
public record DeliveryRequest(
        String tenant,
        DestinationConfig destination,
        String eventId,
        Map<String, Object> properties,
        String phone,
        String email,
        String knownRecordId,
        Path dryRunDir,
        MappingContext context) {

    /**
     * A request without the lead's {@link MappingContext} (connectors then use only the mapped properties).
     *
     * @see #DeliveryRequest(String, DestinationConfig, String, Map, String, String, String, Path, MappingContext)
     */
    public DeliveryRequest(String tenant, DestinationConfig destination, String eventId, Map<String, Object> properties,
                           String phone, String email, String knownRecordId, Path dryRunDir) {
        this(tenant, destination, eventId, properties, phone, email, knownRecordId, dryRunDir, null);
    }
}
