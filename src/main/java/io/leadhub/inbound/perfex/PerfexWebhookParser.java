package io.leadhub.inbound.perfex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import io.leadhub.inbound.JsonBody;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.inbound.signature.Hmac;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Parses a verified Perfex CRM webhook into an {@link InboundEvent} (the exchange's new body).
 *
 * <p>Perfex core has no outbound webhooks; they come from a module (Themesic REST API module v3 "Webhooks 2.0",
 * whose payload shape is not published, or a call-tracking module). LeadHub therefore <b>defines</b> the envelope
 * it accepts (documented in {@code docs/inbound-payloads.md}, "Perfex CRM"), using the lead field names of the
 * Perfex REST API module ({@code contracts/perfex}, {@code GET /api/leads/{id}}):
 *
 * <pre>{@code
 * { "event": "call_completed" | "call_transcribed" | "ai_analysis_complete" | "lead.created" | "lead.status_changed",
 *   "event_id": "optional unique id of the event",
 *   "created_at": "2026-11-20 15:04:05",
 *   "data": {
 *     "lead": { "id", "name", "phonenumber", "email", "city", "state", "country", "zip", "address", "company",
 *               "title", "website", "status", "status_name", "source", "source_name", "assigned", "assigned_name",
 *               "dateadded", "description", "customfields": [ { "label", "value" } ] },
 *     "call": { "id", "direction", "phonenumber", "agent_number", "duration", "started_at", "answered",
 *               "recording_url", "transcription", "summary", "status",
 *               "analysis": { "summary", "sentiment", "intent", "lead_score", ... } } } }
 * }</pre>
 *
 * For {@code lead.*} events the lead row may also be {@code data} itself (then {@code data.previous_status} may
 * name the old status of {@code lead.status_changed}).
 *
 * <p>Mapping: {@code name} → {@code lead.full_name}, {@code phonenumber} (of the lead, else of the call) →
 * {@code lead.phone_raw}, {@code email}, {@code city}, {@code state}; {@code country} only when it is not Perfex's
 * numeric country id; lead {@code id} → {@code call.lead_id}; {@code status_name} (else {@code status}) →
 * {@code call.lead_status}; {@code source_name} (else {@code source}) → {@code call.source_name};
 * {@code assigned_name} (else {@code assigned}) → {@code call.assigned_to}; {@code description} →
 * {@code call.note}; call {@code id}, {@code direction}, {@code duration} (seconds) → {@code duration_seconds},
 * {@code started_at} → {@code start_time}, {@code answered}, {@code recording_url}, {@code transcription},
 * {@code summary} (else {@code analysis.summary}), {@code status} → {@code outcome}; company, title, zip, address,
 * website, previous status, custom fields (by label) and {@code analysis} → {@code call.fields}.
 *
 * <p>Provider event id: {@code event_id} (or top-level {@code id}); without one, {@code sha256:<hex of the body>},
 * so a delivery the Perfex cron retries with the same body is a duplicate. The three call events of one call share
 * {@code call.id}; their result does not depend on their order ({@code io.leadhub.enrich.CallSnapshots}).
 *
 * @throws WebhookRejectedException 400 naming the field: body not a JSON object; {@code event} missing or not one
 *                                  of {@link #EVENT_TYPES}; {@code data} not an object; {@code data.call.id} missing
 *                                  on a call event; {@code data.lead.id} / {@code data.id} missing on a lead event;
 *                                  neither a phone number nor an e-mail; {@code duration} not a number
 */
@Component("perfexWebhookParser")
public class PerfexWebhookParser implements Processor {

    /** Events accepted in {@code event}. */
    public static final Set<String> EVENT_TYPES = Set.of("call_completed", "call_transcribed", "ai_analysis_complete",
            "lead.created", "lead.status_changed");

    private final ObjectMapper json;
    private final PhoneNormalizer phones;
    private final Clock clock;

    /**
     * @param json   Jackson mapper
     * @param phones phone normaliser (for the Kafka partition key)
     * @param clock  optional clock of {@code receivedAt}
     */
    public PerfexWebhookParser(ObjectMapper json, PhoneNormalizer phones, Optional<Clock> clock) {
        this.json = json;
        this.phones = phones;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.getMessage().setBody(parse(tenant, raw == null ? "" : new String(raw, StandardCharsets.UTF_8)));
    }

    /**
     * @param tenant the tenant the webhook is for
     * @param body   raw JSON body
     * @return the canonical event
     * @throws WebhookRejectedException 400 as described on the class
     */
    public InboundEvent parse(TenantConfig tenant, String body) {
        ObjectNode root = JsonBody.object(json, body);
        String event = JsonBody.text(root, "event");
        if (event == null || !EVENT_TYPES.contains(event)) {
            throw WebhookRejectedException.invalidField("event", event == null
                    ? "required field 'event' is missing or empty"
                    : "field 'event' must be one of " + EVENT_TYPES.stream().sorted().toList());
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw WebhookRejectedException.invalidField("data", "required field 'data' is missing or not an object");
        }
        boolean callEvent = !event.startsWith("lead.");
        boolean nestedLead = data.path("lead").isObject();
        JsonNode leadNode = nestedLead ? data.get("lead") : callEvent ? null : data;
        String leadPath = nestedLead ? "data.lead" : "data";
        JsonNode callNode = data.path("call").isObject() ? data.get("call") : null;
        if (callEvent && JsonBody.text(callNode, "id") == null) {
            throw WebhookRejectedException.invalidField("data.call.id",
                    "required field 'data.call.id' is missing or empty (event " + event + ")");
        }
        String leadId = JsonBody.text(leadNode, "id");
        if (!callEvent && leadId == null) {
            throw WebhookRejectedException.invalidField(leadPath + ".id",
                    "required field '" + leadPath + ".id' (the Perfex lead id) is missing or empty");
        }
        String phone = JsonBody.text(leadNode, "phonenumber");
        phone = phone != null ? phone : JsonBody.text(callNode, "phonenumber");
        String email = JsonBody.text(leadNode, "email");
        if (phone == null && email == null) {
            String where = callEvent && !nestedLead ? "data.lead" : leadPath;
            throw WebhookRejectedException.invalidField(where + ".phonenumber|" + where + ".email",
                    "the event identifies no person: '" + where + ".phonenumber' and '" + where
                            + ".email' are both missing or empty");
        }

        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("email", email);
        lead.put("full_name", JsonBody.text(leadNode, "name"));
        lead.put("city", JsonBody.text(leadNode, "city"));
        lead.put("state", JsonBody.text(leadNode, "state"));
        String country = JsonBody.text(leadNode, "country");
        lead.put("country", country == null || country.matches("[0-9]+") ? null : country);

        Map<String, Object> call = CanonicalFields.call();
        call.put("event_type", event);
        call.put("lead_id", leadId);
        call.put("lead_status", JsonBody.firstText(leadNode, "status_name", "status"));
        call.put("source_name", JsonBody.firstText(leadNode, "source_name", "source"));
        call.put("assigned_to", JsonBody.firstText(leadNode, "assigned_name", "assigned"));
        call.put("note", JsonBody.text(leadNode, "description"));
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) call.get("fields");
        for (String key : List.of("company", "title", "zip", "address", "website")) {
            putIfPresent(fields, key, JsonBody.text(leadNode, key));
        }
        putIfPresent(fields, "previous_status", JsonBody.firstText(data, "previous_status", "old_status"));
        customFields(leadNode, fields);
        if (callNode != null) {
            call.put("id", JsonBody.text(callNode, "id"));
            call.put("direction", JsonBody.text(callNode, "direction"));
            call.put("duration_seconds", JsonBody.seconds(callNode.get("duration"), "data.call.duration"));
            call.put("start_time", JsonBody.time(callNode.get("started_at")));
            call.put("answered", JsonBody.bool(callNode.get("answered")));
            call.put("recording_url", JsonBody.text(callNode, "recording_url"));
            call.put("transcription", JsonBody.firstText(callNode, "transcription", "transcript"));
            JsonNode analysis = callNode.get("analysis");
            call.put("summary", JsonBody.text(callNode, "summary") != null ? JsonBody.text(callNode, "summary")
                    : JsonBody.text(analysis, "summary"));
            call.put("outcome", JsonBody.text(callNode, "status"));
            call.put("business_phone_number", JsonBody.text(callNode, "agent_number"));
            if (analysis != null && analysis.isObject()) {
                fields.put("analysis", JsonBody.toJava(analysis));
            }
        } else {
            call.put("id", leadId);
            call.put("start_time", JsonBody.time(leadNode.get("dateadded")));
        }

        String providerEventId = JsonBody.firstText(root, "event_id", "id");
        if (providerEventId == null) {
            providerEventId = "sha256:" + Hmac.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        }
        String key = CanonicalFields.partitionKey(tenant, phones, phone, email, providerEventId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "perfex", event, providerEventId,
                clock.instant(), key, lead, call, body);
    }

    private static void customFields(JsonNode lead, Map<String, Object> fields) {
        JsonNode custom = lead == null ? null : lead.has("customfields") ? lead.get("customfields")
                : lead.get("custom_fields");
        if (custom == null) {
            return;
        }
        if (custom.isObject()) {
            custom.fields().forEachRemaining(e -> fields.put(e.getKey(), JsonBody.toJava(e.getValue())));
        } else if (custom.isArray()) {
            for (JsonNode item : custom) {
                String label = JsonBody.firstText(item, "label", "name", "slug");
                if (label != null) {
                    fields.put(label, JsonBody.toJava(item.get("value")));
                }
            }
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
