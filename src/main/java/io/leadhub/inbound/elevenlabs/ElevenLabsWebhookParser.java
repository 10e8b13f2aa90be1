package io.leadhub.inbound.elevenlabs;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Parses a verified ElevenLabs Agents post-call webhook (elevenlabs-docs
 * {@code fern/conversational-ai/pages/workflows/post-call-webhook.mdx}: envelope {@code {type, event_timestamp,
 * data}}, {@code data} = the GET Conversation model) and decides what happens to it.
 *
 * <h2>{@code post_call_transcription} → an {@link InboundEvent}, enriched and delivered</h2>
 * <ul>
 *   <li>provider event id: {@code data.conversation_id} (required); also {@code call.id};</li>
 *   <li>{@code lead.phone_raw}: {@code data.metadata.phone_call.external_number} (the caller on inbound calls, the
 *       callee on outbound calls; Twilio and SIP-trunk variants alike), else the dynamic variable {@code phone}
 *       or {@code phone_number}, else ElevenLabs' system variable {@code system__caller_id} (inbound) /
 *       {@code system__called_number} (outbound);</li>
 *   <li>{@code lead.email}, {@code full_name} (or {@code first_name}/{@code last_name}), {@code city},
 *       {@code state}: the dynamic variables ({@code conversation_initiation_client_data.dynamic_variables}:
 *       {@code email}, {@code name}/{@code full_name}/{@code customer_name}/{@code user_name}, ...), else the
 *       values of the data collection items of the same names; a phone number or an e-mail is required;</li>
 *   <li>{@code call.transcription}: the {@code transcript} turns with a message, one per line,
 *       {@code "Agent: ..."} / {@code "User: ..."} (ElevenLabs' roles {@code agent} / {@code user});
 *       {@code call.summary}: {@code analysis.transcript_summary}; {@code call.outcome}:
 *       {@code analysis.call_successful} ({@code success}, {@code failure}, {@code unknown});
 *       {@code call.data_collection}: {@code analysis.data_collection_results} as data collection id → value;
 *       {@code call.duration_seconds}: {@code metadata.call_duration_secs}; {@code call.start_time}:
 *       {@code metadata.start_time_unix_secs} as an ISO-8601 instant; {@code call.direction}:
 *       {@code phone_call.direction}; {@code call.business_phone_number}: {@code phone_call.agent_number};
 *       {@code call.answered}: true; {@code call.lead_id}: the dynamic variable named by
 *       {@code sources.elevenlabs.lead_id_variable} (default {@code lead_id});</li>
 *   <li>{@code call.fields}: {@code agent_id}, {@code call_summary_title}, {@code termination_reason},
 *       {@code main_language}, {@code phone_call_type} ({@code twilio} / {@code sip_trunking}), {@code call_sid},
 *       {@code evaluation} (criteria id → result) and the other dynamic variables (without {@code system__*}).</li>
 * </ul>
 *
 * <h2>{@code call_initiation_failure} → a record-only event</h2>
 * The outbound call never connected ({@code data.failure_reason}: {@code busy}, {@code no-answer},
 * {@code unknown}; {@code data.metadata} = {@code {type: twilio|sip, body: {...}}}). It is journaled (durable,
 * idempotent on {@code call_initiation_failure:<conversation_id>}) and logged by {@code lead-enrich}, but it is
 * not a lead and carries no conversation, so by default it is not delivered to CRMs (its analysis would overwrite
 * a real conversation's score and status). With {@code sources.elevenlabs.deliver_call_failures: true}, one that
 * names the callee's number (Twilio {@code metadata.body.To}, SIP {@code metadata.body.to_number}, or the dynamic
 * variables) is delivered like a call: {@code answered} false, {@code direction} outbound, {@code outcome} = the
 * failure reason.
 *
 * <h2>{@code post_call_audio} and unknown types → acknowledged, ignored</h2>
 * The audio (base64 MP3) is not lead data and is not stored; the exchange property {@value #IGNORED} is set and
 * the route answers 200 without journaling. Unknown types (ElevenLabs adds types over time) are acknowledged the
 * same way rather than refused, so that ElevenLabs does not count failures and disable the webhook.
 *
 * @throws WebhookRejectedException 400 naming the field: body not a JSON object, {@code type} missing,
 *                                  {@code data} not an object, {@code data.conversation_id} missing, no phone number
 *                                  and no e-mail ({@code data.metadata.phone_call.external_number})
 */
@Component("elevenLabsWebhookParser")
public class ElevenLabsWebhookParser implements Processor {

    /** Exchange property set to the event type when the webhook is acknowledged without being journaled. */
    public static final String IGNORED = "leadhubIgnoredEventType";
    /** Tenant setting naming the dynamic variable that holds the tenant's lead id. */
    public static final String LEAD_ID_VARIABLE = "lead_id_variable";
    /** Tenant setting: deliver call initiation failures to CRMs. */
    public static final String DELIVER_CALL_FAILURES = "deliver_call_failures";

    private static final Logger LOG = LoggerFactory.getLogger(ElevenLabsWebhookParser.class);
    private static final Set<String> NAME_KEYS = Set.of("name", "full_name", "customer_name", "user_name", "caller_name");

    private final ObjectMapper json;
    private final PhoneNormalizer phones;
    private final Clock clock;

    /**
     * @param json   Jackson mapper
     * @param phones phone normaliser (for the Kafka partition key)
     * @param clock  optional clock of {@code receivedAt}
     */
    public ElevenLabsWebhookParser(ObjectMapper json, PhoneNormalizer phones, Optional<Clock> clock) {
        this.json = json;
        this.phones = phones;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        Outcome outcome = parse(tenant, raw == null ? "" : new String(raw, StandardCharsets.UTF_8));
        if (outcome.event() != null) {
            exchange.getMessage().setBody(outcome.event());
        } else {
            exchange.setProperty(IGNORED, outcome.type());
            exchange.getMessage().setBody(null);
        }
    }

    /**
     * What a webhook becomes.
     *
     * @param type  the webhook's {@code type}
     * @param event the event to journal, or null when the webhook is acknowledged and ignored
     */
    public record Outcome(String type, InboundEvent event) {
    }

    /**
     * The answer to an acknowledged, ignored webhook: 200 {@code {"ignored": "<type>"}}.
     *
     * @param exchange property {@value #IGNORED}
     */
    public void acknowledgeIgnored(Exchange exchange) {
        String type = exchange.getProperty(IGNORED, String.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody("{\"ignored\":\"" + type.replaceAll("[^A-Za-z0-9_.-]", "?") + "\"}");
    }

    /**
     * @param tenant the tenant the webhook is for
     * @param body   raw JSON body
     * @return the type and the event to journal (null when the webhook is acknowledged and ignored)
     * @throws WebhookRejectedException 400 as described on the class
     */
    public Outcome parse(TenantConfig tenant, String body) {
        ObjectNode root = JsonBody.object(json, body);
        String type = JsonBody.text(root, "type");
        if (type == null) {
            throw WebhookRejectedException.invalidField("type", "required field 'type' is missing or empty");
        }
        if (!type.equals("post_call_transcription") && !type.equals("call_initiation_failure")) {
            LOG.info("Acknowledged ElevenLabs {} webhook for tenant {} without storing it (not lead data)", safe(type),
                    tenant.tenant());
            return new Outcome(type, null);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw WebhookRejectedException.invalidField("data", "required field 'data' is missing or not an object");
        }
        SourceSettings settings = SourceSettings.of(tenant, "elevenlabs");
        return new Outcome(type, type.equals("post_call_transcription")
                ? transcription(tenant, settings, data, body)
                : failure(tenant, settings, data, body));
    }

    private InboundEvent transcription(TenantConfig tenant, SourceSettings settings, JsonNode data, String body) {
        String conversationId = JsonBody.text(data, "conversation_id");
        if (conversationId == null) {
            throw WebhookRejectedException.invalidField("data.conversation_id",
                    "required field 'data.conversation_id' is missing or empty");
        }
        JsonNode metadata = data.path("metadata");
        JsonNode phoneCall = metadata.path("phone_call");
        JsonNode dynamic = data.path("conversation_initiation_client_data").path("dynamic_variables");
        JsonNode analysis = data.path("analysis");
        Map<String, Object> collected = dataCollection(analysis.path("data_collection_results"));
        String direction = JsonBody.text(phoneCall, "direction");

        String phone = JsonBody.text(phoneCall, "external_number");
        if (phone == null) {
            phone = JsonBody.firstText(dynamic, "phone", "phone_number");
        }
        if (phone == null) {
            phone = "outbound".equalsIgnoreCase(direction) ? JsonBody.text(dynamic, "system__called_number")
                    : JsonBody.text(dynamic, "system__caller_id");
        }
        String email = value(dynamic, collected, "email");
        if (phone == null && email == null) {
            throw WebhookRejectedException.invalidField("data.metadata.phone_call.external_number",
                    "the conversation identifies no person: no 'data.metadata.phone_call.external_number', no phone"
                            + " or email dynamic variable, no email data collection item");
        }
        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("email", email);
        lead.put("full_name", value(dynamic, collected, NAME_KEYS.toArray(String[]::new)));
        lead.put("first_name", value(dynamic, collected, "first_name"));
        lead.put("last_name", value(dynamic, collected, "last_name"));
        lead.put("city", value(dynamic, collected, "city"));
        lead.put("state", value(dynamic, collected, "state"));

        Map<String, Object> call = CanonicalFields.call();
        call.put("id", conversationId);
        call.put("event_type", "post_call_transcription");
        call.put("direction", direction == null ? null : direction.toLowerCase(Locale.ROOT));
        call.put("duration_seconds", JsonBody.seconds(metadata.get("call_duration_secs"), "data.metadata.call_duration_secs"));
        call.put("answered", true);
        call.put("start_time", JsonBody.time(metadata.get("start_time_unix_secs")));
        call.put("business_phone_number", JsonBody.text(phoneCall, "agent_number"));
        call.put("transcription", transcript(data.path("transcript")));
        call.put("summary", JsonBody.text(analysis, "transcript_summary"));
        call.put("outcome", JsonBody.text(analysis, "call_successful"));
        call.put("lead_id", JsonBody.text(dynamic, settings.string(LEAD_ID_VARIABLE, "lead_id")));
        call.put("data_collection", collected);
        Map<String, Object> fields = fields(call);
        putIfPresent(fields, "agent_id", JsonBody.text(data, "agent_id"));
        putIfPresent(fields, "call_summary_title", JsonBody.text(analysis, "call_summary_title"));
        putIfPresent(fields, "termination_reason", JsonBody.text(metadata, "termination_reason"));
        putIfPresent(fields, "main_language", JsonBody.text(metadata, "main_language"));
        putIfPresent(fields, "phone_call_type", JsonBody.text(phoneCall, "type"));
        putIfPresent(fields, "call_sid", JsonBody.text(phoneCall, "call_sid"));
        JsonNode criteria = analysis.path("evaluation_criteria_results");
        if (criteria.isObject() && !criteria.isEmpty()) {
            Map<String, Object> evaluation = new java.util.LinkedHashMap<>();
            criteria.fields().forEachRemaining(e -> evaluation.put(e.getKey(), JsonBody.text(e.getValue(), "result")));
            fields.put("evaluation", evaluation);
        }
        dynamic.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("system__")) {
                fields.putIfAbsent(e.getKey(), JsonBody.toJava(e.getValue()));
            }
        });
        String key = CanonicalFields.partitionKey(tenant, phones, phone, email, conversationId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "elevenlabs", "post_call_transcription",
                conversationId, clock.instant(), key, lead, call, body);
    }

    private InboundEvent failure(TenantConfig tenant, SourceSettings settings, JsonNode data, String body) {
        String conversationId = JsonBody.text(data, "conversation_id");
        String id = "call_initiation_failure:" + (conversationId != null ? conversationId
                : "sha256:" + Hmac.sha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        JsonNode metadata = data.path("metadata");
        JsonNode providerBody = metadata.path("body");
        JsonNode dynamic = data.path("conversation_initiation_client_data").path("dynamic_variables");
        String phone = JsonBody.firstText(providerBody, "To", "to_number", "to");
        if (phone == null) {
            phone = JsonBody.firstText(dynamic, "phone", "phone_number", "system__called_number");
        }
        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("full_name", value(dynamic, Map.of(), NAME_KEYS.toArray(String[]::new)));
        lead.put("first_name", JsonBody.text(dynamic, "first_name"));
        lead.put("last_name", JsonBody.text(dynamic, "last_name"));
        lead.put("email", JsonBody.text(dynamic, "email"));

        Map<String, Object> call = CanonicalFields.call();
        call.put("id", conversationId);
        call.put("event_type", "call_initiation_failure");
        call.put("direction", "outbound");
        call.put("answered", false);
        call.put("duration_seconds", 0L);
        call.put("outcome", JsonBody.text(data, "failure_reason"));
        call.put("lead_id", JsonBody.text(dynamic, settings.string(LEAD_ID_VARIABLE, "lead_id")));
        Map<String, Object> fields = fields(call);
        putIfPresent(fields, "agent_id", JsonBody.text(data, "agent_id"));
        putIfPresent(fields, "failure_reason", JsonBody.text(data, "failure_reason"));
        putIfPresent(fields, "provider", JsonBody.text(metadata, "type"));
        putIfPresent(fields, "sip_status_code", JsonBody.text(providerBody, "sip_status_code"));
        putIfPresent(fields, "call_status", JsonBody.text(providerBody, "CallStatus"));
        putIfPresent(fields, "call_sid", JsonBody.text(providerBody, "CallSid"));
        boolean recordOnly = !settings.flag(DELIVER_CALL_FAILURES, false) || phone == null;
        String key = CanonicalFields.partitionKey(tenant, phones, phone, null, id);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "elevenlabs", "call_initiation_failure",
                id, clock.instant(), key, lead, call, body, recordOnly);
    }

    private static String transcript(JsonNode turns) {
        if (!turns.isArray()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode turn : turns) {
            String message = JsonBody.text(turn, "message");
            if (message == null) {
                continue; // tool calls and silent turns carry no message
            }
            String role = JsonBody.text(turn, "role");
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append("agent".equalsIgnoreCase(role) ? "Agent" : "user".equalsIgnoreCase(role) ? "User"
                    : role == null ? "Unknown" : role).append(": ").append(message);
        }
        return text.isEmpty() ? null : text.toString();
    }

    private static Map<String, Object> dataCollection(JsonNode results) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (results.isObject()) {
            results.fields().forEachRemaining(e -> {
                JsonNode item = e.getValue();
                out.put(e.getKey(), item.isObject() ? JsonBody.toJava(item.get("value")) : JsonBody.toJava(item));
            });
        }
        return out;
    }

    /** @return the first of {@code keys} found as a dynamic variable, else as a data collection value */
    private static String value(JsonNode dynamic, Map<String, Object> collected, String... keys) {
        for (String key : keys) {
            String v = JsonBody.text(dynamic, key);
            if (v != null) {
                return v;
            }
        }
        for (String key : keys) {
            Object v = collected.get(key);
            if (v != null && !v.toString().isBlank()) {
                return v.toString().trim();
            }
        }
        return null;
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

    private static String safe(String type) {
        String cut = type.length() > 64 ? type.substring(0, 64) : type;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
