package io.leadhub.inbound.callrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Parses a verified CallRail webhook into an {@link InboundEvent} (the exchange's new body).
 *
 * <p>CallRail sends one JSON body per event, with the fields named in support.callrail.com "What data is sent
 * with Webhooks" (samples in {@code samples/callrail/}). Three payload shapes are accepted:
 *
 * <ul>
 *   <li><b>Calls</b> — pre-call, post-call, call modified, outbound post-call / call modified: the call object:
 *       {@code id} (legacy numeric id, or string), {@code resource_id} ({@code CAL...}), {@code customer_phone_number},
 *       {@code customer_name}, {@code customer_city}, {@code customer_state}, {@code customer_country},
 *       {@code duration} (a string such as {@code "13"} or a number), {@code answered}, {@code recording},
 *       {@code transcription}, {@code call_summary}, {@code source_name}, {@code tracking_phone_number},
 *       {@code business_phone_number}, {@code start_time}, {@code tags} (strings or {@code {name}} objects),
 *       {@code first_call}, {@code lead_status}, {@code value}, {@code note}, attribution ({@code landing_page_url},
 *       {@code referring_url}, {@code utm_*}, {@code gclid}) and, on call-modified, {@code changes}. Required:
 *       {@code id}, {@code customer_phone_number}.</li>
 *   <li><b>Text message received</b> ({@code sms_received}): {@code id}, {@code resource_id},
 *       {@code source_number} (the person texting: the lead), {@code destination_number} (the tracking number),
 *       {@code content} (→ {@code call.message} and {@code call.transcription}, so the analysis reads it),
 *       {@code message_type}, {@code media_urls}, {@code timestamp}, {@code lead_status}, {@code conversation_id}.
 *       Required: {@code id} or {@code resource_id}, {@code source_number}.</li>
 *   <li><b>Form submission</b> ({@code form_submission}): {@code id}, {@code company_id}, {@code form_data} (the
 *       submitted fields: an object, or a list of {@code {label|name|key, value}}), {@code form_url},
 *       {@code landing_page_url}, {@code referrer}, {@code referring_url}, {@code submitted_at},
 *       {@code first_form}, {@code source}, {@code keywords}, {@code campaign}, {@code medium}, {@code utm_*}. The
 *       person comes from {@code customer_name}/{@code customer_phone_number}/{@code customer_email} when present,
 *       else from the {@code form_data} field whose name (case, spaces, {@code _} and {@code -} ignored) is a usual
 *       one: name/full name, first/last name, phone/phone number/telephone/mobile, email/email address, city,
 *       state, message/comments. {@code form_data} is also {@code call.fields}. Required: {@code id},
 *       {@code form_data}, and a phone or an e-mail in it.</li>
 * </ul>
 *
 * <p>Event type: the webhook URL's {@code event} query parameter when given (CallRail configures one URL per event
 * kind: {@code pre_call}, {@code post_call}, {@code call_modified}, {@code outbound_post_call},
 * {@code outbound_call_modified}, {@code sms_received}, {@code form_submission}); else {@code form_submission} when
 * the body has {@code form_data}; {@code sms_received} when it has {@code source_number} and {@code content} but no
 * {@code customer_phone_number}; {@code call_modified} when it has {@code changes}; {@code outbound_post_call} for
 * {@code direction: outbound}; else {@code post_call}.
 *
 * <p>Provider event id: {@code <event type>:<id>} (calls: {@code resource_id}, else {@code id}); for call-modified
 * events, which share the call id, the first 16 hex digits of the body's SHA-256 are appended, so each modification
 * is a distinct event while a resent identical body is a duplicate. A call's pre-call, post-call and
 * call-modified events share {@code call.id}, which is what makes their result independent of their order (see
 * {@code io.leadhub.enrich.CallSnapshots}).
 *
 * @throws WebhookRejectedException 400 naming the field: body not a JSON object, a required field missing,
 *                                  {@code duration} not a number, unknown {@code event} parameter
 */
@Component("callRailWebhookParser")
public class CallRailWebhookParser implements Processor {

    /** Event kinds accepted in the {@code event} query parameter. */
    public static final Set<String> EVENT_TYPES = Set.of("pre_call", "post_call", "call_modified",
            "outbound_post_call", "outbound_call_modified", "sms_received", "form_submission");

    private static final List<String> NAME_KEYS = List.of("name", "fullname", "yourname", "customername",
            "contactname");
    private static final List<String> FIRST_NAME_KEYS = List.of("firstname", "fname", "first", "givenname");
    private static final List<String> LAST_NAME_KEYS = List.of("lastname", "lname", "last", "surname", "familyname");
    private static final List<String> PHONE_KEYS = List.of("phone", "phonenumber", "telephone", "tel", "mobile",
            "mobilephone", "cellphone", "cell", "yourphone");
    private static final List<String> EMAIL_KEYS = List.of("email", "emailaddress", "youremail", "mail");
    private static final List<String> MESSAGE_KEYS = List.of("message", "comments", "comment", "questions",
            "details", "description", "howcanwehelp", "yourmessage");

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
        JsonNode root = JsonBody.object(json, body);
        String eventType = eventType(root, eventParam);
        return switch (eventType) {
            case "sms_received" -> sms(tenant, root, body);
            case "form_submission" -> form(tenant, root, body);
            default -> call(tenant, root, body, eventType);
        };
    }

    private InboundEvent call(TenantConfig tenant, JsonNode root, String body, String eventType) {
        String id = JsonBody.text(root, "id");
        if (id == null) {
            throw WebhookRejectedException.invalidField("id", "required field 'id' is missing or empty");
        }
        String phone = JsonBody.text(root, "customer_phone_number");
        if (phone == null) {
            throw WebhookRejectedException.invalidField("customer_phone_number",
                    "required field 'customer_phone_number' is missing or empty");
        }
        String callId = JsonBody.text(root, "resource_id") != null ? JsonBody.text(root, "resource_id") : id;
        String providerEventId = eventType + ":" + callId
                + (eventType.endsWith("call_modified") ? ":" + Hmac.sha256Hex(bytes(body)).substring(0, 16) : "");

        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("full_name", JsonBody.text(root, "customer_name"));
        lead.put("city", JsonBody.text(root, "customer_city"));
        lead.put("state", JsonBody.text(root, "customer_state"));
        lead.put("country", JsonBody.text(root, "customer_country"));

        Map<String, Object> call = CanonicalFields.call();
        call.put("id", callId);
        call.put("legacy_id", id);
        call.put("event_type", eventType);
        call.put("direction", JsonBody.text(root, "direction") != null ? JsonBody.text(root, "direction")
                : eventType.startsWith("outbound") ? "outbound" : "inbound");
        call.put("duration_seconds", JsonBody.seconds(root.get("duration"), "duration"));
        call.put("answered", JsonBody.bool(root.get("answered")));
        call.put("recording_url", JsonBody.text(root, "recording"));
        call.put("transcription", JsonBody.firstText(root, "transcription", "conversational_transcript"));
        call.put("summary", JsonBody.text(root, "call_summary"));
        call.put("source_name", JsonBody.firstText(root, "source_name", "source"));
        call.put("tracking_phone_number", JsonBody.text(root, "tracking_phone_number"));
        call.put("business_phone_number", JsonBody.text(root, "business_phone_number"));
        call.put("start_time", JsonBody.text(root, "start_time"));
        call.put("tags", JsonBody.strings(root.get("tags")));
        attribution(root, call);
        call.put("first_call", JsonBody.bool(root.get("first_call")));
        call.put("lead_status", JsonBody.text(root, "lead_status"));
        call.put("value", JsonBody.text(root, "value"));
        call.put("note", JsonBody.text(root, "note"));
        call.put("company_id", JsonBody.text(root, "company_id"));
        call.put("changes", JsonBody.strings(root.get("changes")));
        return event(tenant, eventType, providerEventId, lead, call, body, phone, null);
    }

    private InboundEvent sms(TenantConfig tenant, JsonNode root, String body) {
        String id = JsonBody.firstText(root, "resource_id", "id");
        if (id == null) {
            throw WebhookRejectedException.invalidField("id", "required field 'id' (or 'resource_id') is missing or empty");
        }
        String phone = JsonBody.text(root, "source_number");
        if (phone == null) {
            throw WebhookRejectedException.invalidField("source_number",
                    "required field 'source_number' (the number that sent the text) is missing or empty");
        }
        String content = JsonBody.text(root, "content");
        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("full_name", JsonBody.text(root, "customer_name"));

        Map<String, Object> call = CanonicalFields.call();
        call.put("id", id);
        call.put("legacy_id", JsonBody.text(root, "id"));
        call.put("event_type", "sms_received");
        call.put("direction", "inbound");
        call.put("message", content);
        call.put("transcription", content);
        call.put("tracking_phone_number", JsonBody.text(root, "destination_number"));
        call.put("start_time", JsonBody.time(root.get("timestamp")));
        call.put("lead_status", JsonBody.text(root, "lead_status"));
        call.put("company_id", JsonBody.firstText(root, "company_resource_id", "company_id"));
        Map<String, Object> fields = fields(call);
        putIfPresent(fields, "message_type", JsonBody.text(root, "message_type"));
        putIfPresent(fields, "conversation_id", JsonBody.text(root, "conversation_id"));
        putIfPresent(fields, "person_resource_id", JsonBody.text(root, "person_resource_id"));
        if (root.path("media_urls").isArray() && !root.path("media_urls").isEmpty()) {
            fields.put("media_urls", JsonBody.toJava(root.get("media_urls")));
        }
        return event(tenant, "sms_received", "sms_received:" + id, lead, call, body, phone, null);
    }

    private InboundEvent form(TenantConfig tenant, JsonNode root, String body) {
        String id = JsonBody.firstText(root, "id", "resource_id");
        if (id == null) {
            throw WebhookRejectedException.invalidField("id", "required field 'id' is missing or empty");
        }
        Map<String, JsonNode> data = formData(root.get("form_data"));
        if (data == null) {
            throw WebhookRejectedException.invalidField("form_data",
                    "required field 'form_data' is missing or not an object or list of fields");
        }
        String phone = JsonBody.firstText(root, "customer_phone_number");
        phone = phone != null ? phone : find(data, PHONE_KEYS);
        String email = JsonBody.firstText(root, "customer_email");
        email = email != null ? email : find(data, EMAIL_KEYS);
        if (phone == null && email == null) {
            throw WebhookRejectedException.invalidField("form_data",
                    "the form submission has neither a phone number nor an e-mail address in 'form_data'");
        }
        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("email", email);
        String name = JsonBody.text(root, "customer_name");
        lead.put("full_name", name != null ? name : find(data, NAME_KEYS));
        if (name == null) {
            lead.put("first_name", find(data, FIRST_NAME_KEYS));
            lead.put("last_name", find(data, LAST_NAME_KEYS));
        }
        lead.put("city", find(data, List.of("city", "town")));
        lead.put("state", find(data, List.of("state", "province", "region")));

        Map<String, Object> call = CanonicalFields.call();
        call.put("id", id);
        call.put("event_type", "form_submission");
        call.put("direction", "inbound");
        String message = find(data, MESSAGE_KEYS);
        call.put("message", message);
        call.put("transcription", message);
        call.put("source_name", JsonBody.text(root, "source"));
        call.put("start_time", JsonBody.time(root.get("submitted_at")));
        call.put("first_call", JsonBody.bool(root.get("first_form")));
        call.put("lead_status", JsonBody.text(root, "lead_status"));
        call.put("company_id", JsonBody.text(root, "company_id"));
        attribution(root, call);
        Map<String, Object> fields = fields(call);
        data.forEach((k, v) -> fields.put(k, JsonBody.toJava(v)));
        putIfPresent(fields, "form_url", JsonBody.text(root, "form_url"));
        putIfPresent(fields, "keywords", JsonBody.text(root, "keywords"));
        putIfPresent(fields, "campaign", JsonBody.text(root, "campaign"));
        return event(tenant, "form_submission", "form_submission:" + id, lead, call, body, phone, email);
    }

    private InboundEvent event(TenantConfig tenant, String eventType, String providerEventId,
                               Map<String, Object> lead, Map<String, Object> call, String body, String phone,
                               String email) {
        String key = CanonicalFields.partitionKey(tenant, phones, phone, email, providerEventId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "callrail", eventType,
                providerEventId, clock.instant(), key, lead, call, body);
    }

    private static void attribution(JsonNode root, Map<String, Object> call) {
        call.put("landing_page_url", JsonBody.text(root, "landing_page_url"));
        call.put("referrer", JsonBody.firstText(root, "referring_url", "referrer_domain", "referrer"));
        call.put("utm_source", JsonBody.text(root, "utm_source"));
        call.put("utm_medium", JsonBody.firstText(root, "utm_medium", "medium"));
        call.put("utm_campaign", JsonBody.firstText(root, "utm_campaign", "campaign"));
        call.put("utm_term", JsonBody.text(root, "utm_term"));
        call.put("utm_content", JsonBody.text(root, "utm_content"));
        call.put("gclid", JsonBody.text(root, "gclid"));
    }

    private static String eventType(JsonNode root, String eventParam) {
        if (eventParam != null && !eventParam.isBlank()) {
            if (!EVENT_TYPES.contains(eventParam)) {
                throw WebhookRejectedException.invalidField("event", "query parameter 'event' must be one of "
                        + EVENT_TYPES.stream().sorted().toList());
            }
            return eventParam;
        }
        if (root.has("form_data")) {
            return "form_submission";
        }
        if (root.has("source_number") && root.has("content") && !root.has("customer_phone_number")) {
            return "sms_received";
        }
        boolean outbound = "outbound".equalsIgnoreCase(JsonBody.text(root, "direction"));
        if (root.has("changes")) {
            return outbound ? "outbound_call_modified" : "call_modified";
        }
        return outbound ? "outbound_post_call" : "post_call";
    }

    /** @return form_data as field name → value (insertion order), or null when it is neither object nor list */
    private static Map<String, JsonNode> formData(JsonNode node) {
        if (node == null) {
            return null;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue());
            }
            return out;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                String name = JsonBody.firstText(item, "label", "name", "key", "field");
                if (name != null && item.has("value")) {
                    out.put(name, item.get("value"));
                }
            }
            return out;
        }
        return null;
    }

    private static String find(Map<String, JsonNode> data, List<String> keys) {
        for (String wanted : keys) {
            for (Map.Entry<String, JsonNode> e : data.entrySet()) {
                if (squash(e.getKey()).equals(wanted)) {
                    String v = JsonBody.text(e.getValue());
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    private static String squash(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-:*]", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<String, Object> call) {
        return (Map<String, Object>) call.get("fields");
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
