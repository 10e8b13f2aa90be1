package io.leadhub.inbound.leadpro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import io.leadhub.inbound.JsonBody;
import io.leadhub.inbound.SourceSettings;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.inbound.signature.Hmac;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Parses a verified LeadPro webhook into an {@link InboundEvent} (the exchange's new body).
 *
 * <p>LeadPro has no public webhook documentation, so LeadHub defines a canonical payload
 * ({@code docs/inbound-payloads.md}, "LeadPro"):
 *
 * <pre>{@code
 * { "event": "lead_updated" | "lead_assigned" | "lead_status_changed",
 *   "event_id": "optional unique id", "occurred_at": "2026-11-20T15:04:05Z",
 *   "data": { "id", "name" (or "first_name", "last_name"), "phone", "email", "city", "state", "country",
 *             "project_type", "budget_range", "status", "assignee", "source", "notes", ... } }
 * }</pre>
 *
 * and lets a real installation be adapted by configuration alone: {@code sources.leadpro.field_map} moves any
 * field ({@link LeadProFieldMap}), {@code sources.leadpro.event_map} renames events
 * ({@code {"lead.update": lead_updated}}).
 *
 * <p>Mapping: {@code name} (or first/last name), {@code phone}, {@code email}, {@code city}, {@code state},
 * {@code country} → the lead; lead {@code id} → {@code call.lead_id} and {@code call.id}; {@code project_type},
 * {@code budget_range} → the same call keys; {@code status} → {@code call.lead_status}; {@code assignee} →
 * {@code call.assigned_to}; {@code source} → {@code call.source_name}; {@code notes} → {@code call.note};
 * {@code occurred_at} → {@code call.start_time}; the whole lead object (the object holding the lead id) →
 * {@code call.fields}.
 *
 * <p>Provider event id: {@code event_id}; without one, {@code sha256:<hex of the body>} (a resent identical body
 * is a duplicate, a changed lead a new event).
 *
 * @throws WebhookRejectedException 400 naming the field's location in the body: body not a JSON object; event
 *                                  missing or (after {@code event_map}) not one of {@link #EVENT_TYPES}; lead id
 *                                  missing; neither phone nor e-mail
 */
@Component("leadProWebhookParser")
public class LeadProWebhookParser implements Processor {

    /** LeadHub's LeadPro events. */
    public static final Set<String> EVENT_TYPES = Set.of("lead_updated", "lead_assigned", "lead_status_changed");

    private final ObjectMapper json;
    private final PhoneNormalizer phones;
    private final Clock clock;

    /**
     * @param json   Jackson mapper
     * @param phones phone normaliser (for the Kafka partition key)
     * @param clock  optional clock of {@code receivedAt}
     */
    public LeadProWebhookParser(ObjectMapper json, PhoneNormalizer phones, Optional<Clock> clock) {
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
     * @param tenant the tenant the webhook is for (its {@code sources.leadpro.field_map} and {@code event_map})
     * @param body   raw JSON body
     * @return the canonical event
     * @throws WebhookRejectedException 400 as described on the class
     */
    public InboundEvent parse(TenantConfig tenant, String body) {
        SourceSettings settings = SourceSettings.of(tenant, "leadpro");
        LeadProFieldMap map = LeadProFieldMap.of(settings.stringMap("field_map"));
        Map<String, String> eventMap = settings.stringMap("event_map");
        ObjectNode root = JsonBody.object(json, body);

        String sentEvent = text(root, map, "event");
        if (sentEvent == null) {
            throw WebhookRejectedException.invalidField(map.location("event"),
                    "required field '" + map.location("event") + "' (the event name) is missing or empty");
        }
        String event = eventMap.getOrDefault(sentEvent, sentEvent);
        if (!EVENT_TYPES.contains(event)) {
            throw WebhookRejectedException.invalidField(map.location("event"), "event '" + safe(sentEvent)
                    + "' is not one of " + EVENT_TYPES.stream().sorted().toList()
                    + (eventMap.isEmpty() ? "" : " nor a name in sources.leadpro.event_map"));
        }
        String leadId = text(root, map, "lead_id");
        if (leadId == null) {
            throw WebhookRejectedException.invalidField(map.location("lead_id"),
                    "required field '" + map.location("lead_id") + "' (the LeadPro lead id) is missing or empty");
        }
        String phone = text(root, map, "phone");
        String email = text(root, map, "email");
        if (phone == null && email == null) {
            throw WebhookRejectedException.invalidField(map.location("phone") + "|" + map.location("email"),
                    "the lead has neither a phone number ('" + map.location("phone") + "') nor an e-mail ('"
                            + map.location("email") + "')");
        }

        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("email", email);
        lead.put("full_name", text(root, map, "name"));
        lead.put("first_name", text(root, map, "first_name"));
        lead.put("last_name", text(root, map, "last_name"));
        lead.put("city", text(root, map, "city"));
        lead.put("state", text(root, map, "state"));
        lead.put("country", text(root, map, "country"));

        Map<String, Object> call = CanonicalFields.call();
        call.put("id", leadId);
        call.put("lead_id", leadId);
        call.put("event_type", event);
        call.put("project_type", text(root, map, "project_type"));
        call.put("budget_range", text(root, map, "budget_range"));
        call.put("lead_status", text(root, map, "status"));
        call.put("assigned_to", text(root, map, "assignee"));
        call.put("source_name", text(root, map, "source"));
        call.put("note", text(root, map, "notes"));
        call.put("start_time", JsonBody.time(map.at(root, "occurred_at")));
        JsonNode record = root.at(map.parent("lead_id"));
        if (record.isObject()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) call.get("fields");
            record.fields().forEachRemaining(e -> fields.put(e.getKey(), JsonBody.toJava(e.getValue())));
        }

        String providerEventId = text(root, map, "event_id");
        if (providerEventId == null) {
            providerEventId = "sha256:" + Hmac.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        }
        String key = CanonicalFields.partitionKey(tenant, phones, phone, email, providerEventId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "leadpro", event, providerEventId,
                clock.instant(), key, lead, call, body);
    }

    private static String text(JsonNode root, LeadProFieldMap map, String field) {
        return JsonBody.text(map.at(root, field));
    }

    private static String safe(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) : text;
        return cut.replaceAll("[^A-Za-z0-9_. -]", "?");
    }
}
