package io.leadhub.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A verified webhook in canonical form, as journaled on the {@code leads.inbound} topic (JSON) by every
 * {@code inbound-<source>-webhook} route and read by {@code lead-enrich}.
 *
 * <p>The {@code lead} and {@code call} maps keep their null-valued keys in JSON ({@code content = ALWAYS}), although
 * the application's mapper omits nulls ({@code spring.jackson.default-property-inclusion: non_null}): expressions
 * read every documented key, and reading a missing key is a CEL error.
 *
 * @param eventId         LeadHub's id for this delivery (UUID string), returned to the caller as {@code eventId}
 * @param tenant          tenant id from the webhook path
 * @param source          source name: {@code callrail}, ...
 * @param eventType       source event kind, e.g. {@code post_call}, {@code call_modified}
 * @param providerEventId the provider's id of the event; with tenant and source it is the idempotency key
 * @param receivedAt      when the hub received the webhook (UTC)
 * @param partitionKey    Kafka record key: {@code <tenant>|<phone digits>}, else {@code <tenant>|<event id>}
 * @param lead            person fields as the provider sent them (keys: phone_raw, full_name, first_name,
 *                        last_name, email, city, state, country; see {@code io.leadhub.inbound.CanonicalFields});
 *                        not yet normalised
 * @param call            call fields in LeadHub's canonical names (see {@code docs/tenant-file.md}, variable {@code call})
 * @param rawBody         the request body exactly as received (UTF-8), kept for replay and audit
 * @param recordOnly      true for an event that is journaled and marked processed but not enriched or delivered
 *                        to CRMs (e.g. an ElevenLabs {@code call_initiation_failure}); absent in the JSON = false
 */
public record InboundEvent(
        String eventId,
        String tenant,
        String source,
        String eventType,
        String providerEventId,
        Instant receivedAt,
        String partitionKey,
        @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, Object> lead,
        @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, Object> call,
        String rawBody,
        boolean recordOnly) {

    /**
     * An event that is enriched and delivered ({@code recordOnly = false}).
     *
     * @param eventId         LeadHub's id for this delivery
     * @param tenant          tenant id
     * @param source          source name
     * @param eventType       source event kind
     * @param providerEventId the provider's id of the event
     * @param receivedAt      when the hub received the webhook
     * @param partitionKey    Kafka record key
     * @param lead            raw person fields
     * @param call            canonical call fields
     * @param rawBody         the request body as received
     */
    public InboundEvent(String eventId, String tenant, String source, String eventType, String providerEventId,
                        Instant receivedAt, String partitionKey, Map<String, Object> lead, Map<String, Object> call,
                        String rawBody) {
        this(eventId, tenant, source, eventType, providerEventId, receivedAt, partitionKey, lead, call, rawBody, false);
    }

    /** @return the idempotency key {@code <tenant>|<source>|<providerEventId>} of the enrich stage */
    public String idempotencyKey() {
        return tenant + "|" + source + "|" + providerEventId;
    }
}
