package io.leadhub.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A lead after enrichment, as published on {@code leads.enriched.<tenant>} (JSON) and consumed by every
 * {@code crm-dispatch-<tenant>-<destination>} route. Its three maps are the CEL variables of the tenant's
 * mappings; every documented key is present (null when unknown).
 *
 * <p>The three maps keep their null-valued keys in JSON ({@code content = ALWAYS}), although the application's
 * mapper omits nulls: reading a missing key in a tenant's expression is a CEL error.
 *
 * @param eventId         LeadHub event id (UUID string) of the inbound webhook
 * @param tenant          tenant id
 * @param source          source name, e.g. {@code callrail}
 * @param eventType       source event kind, e.g. {@code post_call}
 * @param providerEventId the provider's event id
 * @param receivedAt      when the webhook was received (UTC)
 * @param enrichedAt      when enrichment finished (UTC)
 * @param lead            normalised person: phone (E.164), phone_raw, email (lower-case), first_name, last_name,
 *                        full_name, city, state, country, contact_id, returning, source
 * @param call            canonical call fields
 * @param ai              call analysis: intent, project_type, timeline, budget_indicator, sentiment, lead_score,
 *                        urgency, analyzer
 * @param analysisReasons the analyser's explanation of its result, one line per rule that fired
 */
public record EnrichedLead(
        String eventId,
        String tenant,
        String source,
        String eventType,
        String providerEventId,
        Instant receivedAt,
        Instant enrichedAt,
        @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, Object> lead,
        @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, Object> call,
        @JsonInclude(content = JsonInclude.Include.ALWAYS) Map<String, Object> ai,
        List<String> analysisReasons) {

    /** @return the lead's E.164 phone, or null */
    public String phone() {
        return (String) lead.get("phone");
    }

    /** @return the lead's lower-case e-mail, or null */
    public String email() {
        return (String) lead.get("email");
    }

    /** @return the contact index id of the lead, or null */
    public String contactId() {
        return (String) lead.get("contact_id");
    }
}
