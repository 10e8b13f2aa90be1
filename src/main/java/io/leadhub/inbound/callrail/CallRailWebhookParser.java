package io.leadhub.inbound.callrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Parses a verified CallRail call webhook into an {@link InboundEvent} (the exchange's new body).
 *
 * <p>Accepts CallRail's pre-call, post-call, call-modified and outbound post-call payloads with their real field
 * names (support.callrail.com "What data is sent with Webhooks"; sample in {@code samples/callrail/}): {@code id}
 * (legacy numeric id, or string), {@code resource_id} ({@code CAL...}), {@code customer_phone_number},
 * {@code customer_name}, {@code customer_city}, {@code customer_state}, {@code customer_country},
 * {@code duration} (a string such as {@code "13"} or a number), {@code answered}, {@code recording},
 * {@code transcription}, {@code call_summary}, {@code source_name}, {@code tracking_phone_number},
 * {@code business_phone_number}, {@code start_time}, {@code tags} (strings or {@code {name}} objects),
 * {@code first_call}, {@code lead_status}, {@code value}, {@code note}, attribution ({@code landing_page_url},
 * {@code referring_url}, {@code utm_*}, {@code gclid}) and, on call-modified, {@code changes}.
 *
 * <p>Event type: the webhook URL's {@code event} query parameter when given (CallRail configures one URL per
 * event kind: {@code pre_call}, {@code post_call}, {@code call_modified}, {@code outbound_post_call},
 * {@code outbound_call_modified}); else {@code call_modified} when the body has {@code changes}; else
 * {@code outbound_post_call} for {@code direction: outbound}; else {@code post_call}.
 *
 * <p>Provider event id: {@code <event type>:<call id>} (call id = {@code resource_id}, else {@code id}); for
 * call-modified events, which share the call id, the first 16 hex digits of the body's SHA-256 are appended, so
 * each modification is a distinct event while a resent identical body is a duplicate.
 *
 * @throws WebhookRejectedException 400 naming the field: body not a JSON object, {@code id} or
 *                                  {@code customer_phone_number} missing, {@code duration} not a number,
 *                                  unknown {@code event} parameter
 */
@Component("callRailWebhookParser")
public class CallRailWebhookParser implements Processor {

    /** Event kinds accepted in the {@code event} query parameter. */
    public static final Set<String> EVENT_TYPES =
            Set.of("pre_call", "post_call", "call_modified", "outbound_post_call", "outbound_call_modified");

    private final ObjectMapper json;
    private final PhoneNormalizer phones;
    private final Clock clock;

    /**
     * @param json   Jackson mapper
     * @param phones phone normaliser (for the Kafka partition key)
     * @param clock  clock of {@code receivedAt}
     */
    @Autowired
    public CallRailWebhookParser(ObjectMapper json, PhoneNormalizer phones, java.util.Optional<Clock> clock) {
        this.json = json;
        this.phones = phones;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        String body = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        String eventParam = exchange.getIn().getHeader("event", String.class);
        exchange.getMessage().setBody(parse(tenant, body, eventParam));
    }

    /**
     * @param tenant     the tenant the webhook is for
     * @param body       raw JSON body
     * @param eventParam the {@code event} query parameter, or null
     * @return the canonical event
     * @throws WebhookRejectedException 400 as described on the class
     */
    public InboundEvent parse(TenantConfig tenant, String body, String eventParam) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw WebhookRejectedException.invalidField("body", "body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw WebhookRejectedException.invalidField("body", "body must be a JSON object");
        }
        String id = text(root, "id");
        if (id == null) {
            throw WebhookRejectedException.invalidField("id", "required field 'id' is missing or empty");
        }
        String phone = text(root, "customer_phone_number");
        if (phone == null) {
            throw WebhookRejectedException.invalidField("customer_phone_number",
                    "required field 'customer_phone_number' is missing or empty");
        }
        String eventType = eventType(root, eventParam);
        String callId = text(root, "resource_id") != null ? text(root, "resource_id") : id;
        String providerEventId = eventType + ":" + callId
                + (eventType.endsWith("call_modified") ? ":" + sha256Prefix(body) : "");

        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("phone_raw", phone);
        lead.put("full_name", text(root, "customer_name"));
        lead.put("email", null);
        lead.put("city", text(root, "customer_city"));
        lead.put("state", text(root, "customer_state"));
        lead.put("country", text(root, "customer_country"));

        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", callId);
        call.put("legacy_id", id);
        call.put("event_type", eventType);
        call.put("direction", text(root, "direction") != null ? text(root, "direction")
                : eventType.startsWith("outbound") ? "outbound" : "inbound");
        call.put("duration_seconds", duration(root));
        call.put("answered", bool(root, "answered"));
        call.put("recording_url", text(root, "recording"));
        call.put("transcription", firstText(root, "transcription", "conversational_transcript"));
        call.put("summary", text(root, "call_summary"));
        call.put("source_name", firstText(root, "source_name", "source"));
        call.put("tracking_phone_number", text(root, "tracking_phone_number"));
        call.put("business_phone_number", text(root, "business_phone_number"));
        call.put("start_time", text(root, "start_time"));
        call.put("tags", tags(root.get("tags")));
        call.put("landing_page_url", text(root, "landing_page_url"));
        call.put("referrer", firstText(root, "referring_url", "referrer_domain"));
        call.put("utm_source", text(root, "utm_source"));
        call.put("utm_medium", text(root, "utm_medium"));
        call.put("utm_campaign", text(root, "utm_campaign"));
        call.put("gclid", text(root, "gclid"));
        call.put("first_call", bool(root, "first_call"));
        call.put("lead_status", text(root, "lead_status"));
        call.put("value", text(root, "value"));
        call.put("note", text(root, "note"));
        call.put("company_id", text(root, "company_id"));
        call.put("changes", tags(root.get("changes")));

        String key = tenant.tenant() + "|" + phones.toE164(phone, tenant.defaultRegion()).orElse(providerEventId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "callrail", eventType,
                providerEventId, clock.instant(), key, lead, call, body);
    }

    private static String eventType(JsonNode root, String eventParam) {
        if (eventParam != null && !eventParam.isBlank()) {
            if (!EVENT_TYPES.contains(eventParam)) {
                throw WebhookRejectedException.invalidField("event", "query parameter 'event' must be one of "
                        + EVENT_TYPES.stream().sorted().toList());
            }
            return eventParam;
        }
        boolean outbound = "outbound".equalsIgnoreCase(text(root, "direction"));
        if (root.has("changes")) {
            return outbound ? "outbound_call_modified" : "call_modified";
        }
        return outbound ? "outbound_post_call" : "post_call";
    }

    private static Long duration(JsonNode root) {
        JsonNode node = root.get("duration");
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return Math.round(node.asDouble());
        }
        try {
            return Math.round(Double.parseDouble(node.asText().trim()));
        } catch (NumberFormatException e) {
            throw WebhookRejectedException.invalidField("duration",
                    "field 'duration' must be a number of seconds (a number or a numeric string)");
        }
    }

    private static Boolean bool(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.asText().trim().toLowerCase();
        return switch (text) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static List<Object> tags(JsonNode node) {
        List<Object> out = new ArrayList<>();
        if (node == null || !node.isArray()) {
            return out;
        }
        for (JsonNode item : node) {
            if (item.isTextual() || item.isNumber()) {
                out.add(item.asText());
            } else if (item.isObject() && item.hasNonNull("name")) {
                out.add(item.get("name").asText());
            } else if (item.isObject() && item.hasNonNull("field")) {
                out.add(item.get("field").asText());
            }
        }
        return out;
    }

    private static String firstText(JsonNode root, String... fields) {
        for (String f : fields) {
            String v = text(root, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? null : text;
    }

    private static String sha256Prefix(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
