package io.leadhub.dispatch;

import io.leadhub.event.EnrichedLead;
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
 * @param event         the whole enriched lead ({@code lead}, {@code call}, {@code ai} maps, timestamps), for
 *                      connectors that send more than the mapped properties (webhook payload, HubSpot call and
 *                      note engagements, deal conditions); null when the caller has none (unit tests)
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
        EnrichedLead event) {

    /**
     * A request without the enriched lead ({@link #event()} null), for connectors that only need the mapped
     * properties.
     *
     * @param tenant        tenant id
     * @param destination   the destination's configuration
     * @param eventId       LeadHub event id
     * @param properties    mapped CRM properties
     * @param phone         E.164 phone or null
     * @param email         lower-case e-mail or null
     * @param knownRecordId CRM record id from the contact index, or null
     * @param dryRunDir     dry-run folder
     */
    public DeliveryRequest(String tenant, DestinationConfig destination, String eventId,
                           Map<String, Object> properties, String phone, String email, String knownRecordId,
                           Path dryRunDir) {
        this(tenant, destination, eventId, properties, phone, email, knownRecordId, dryRunDir, null);
    }

    /**
     * @return the CEL variables of the lead ({@code lead}, {@code call}, {@code ai}) for connectors that fill CRM
     *         fields the mapping left out (names, transcript, project type); null when {@link #event()} is null
     */
    public MappingContext context() {
        return event == null ? null : new MappingContext(event.lead(), event.call(), event.ai());
    }
}
