package io.leadhub.inbound.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.InboundJournal;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Turns a verified Twilio status, recording-status or transcription callback into an {@link InboundEvent} (steps
 * {@code twilio-check-callback}, {@code twilio-parse-payload} and {@code twilio-answer-no-content} of {@code inbound-twilio-callback}).
 *
 * <p>Parameters (twilio.com/docs/usage/webhooks/voice-webhooks, /docs/voice/twiml/record, /docs/voice/api/call-resource
 * "StatusCallback"): every callback has {@code CallSid}, {@code AccountSid}; status callbacks the standard voice
 * parameters ({@code From}, {@code To}, {@code Direction}, {@code CallStatus}, {@code CallDuration},
 * {@code Timestamp}, {@code CallerName}, {@code FromCity}/{@code FromState}/{@code FromCountry}, ...); recording
 * status callbacks {@code RecordingSid}, {@code RecordingUrl}, {@code RecordingStatus},
 * {@code RecordingDuration}, {@code RecordingStartTime} (but not the caller); transcription callbacks
 * {@code TranscriptionSid}, {@code TranscriptionText}, {@code TranscriptionStatus}, {@code RecordingSid},
 * {@code RecordingUrl} and the standard parameters.
 *
 * <p>The lead is the caller: the URL's {@value TwilioPublicUrl#LEAD_PHONE_PARAM} query parameter when present
 * (the hub adds it to the recording and transcription callback URLs it hands to Twilio), else {@code To} for
 * {@code Direction=outbound-api} (a call the hub placed to the lead) and {@code From} otherwise.
 *
 * <p>Event type and provider event id (the idempotency key with tenant and source):
 * <table>
 *   <caption>callbacks</caption>
 *   <tr><th>callback</th><th>eventType</th><th>providerEventId</th></tr>
 *   <tr><td>status</td><td>{@code call_<CallStatus>} ({@code call_initiated}, {@code call_ringing},
 *       {@code call_answered} for in-progress, {@code call_completed}, {@code call_busy}, {@code call_no_answer},
 *       {@code call_failed}, {@code call_canceled}, {@code call_queued})</td>
 *       <td>{@code status:<CallSid>:<CallStatus>} (one callback per status of a call)</td></tr>
 *   <tr><td>recording</td><td>{@code recording_<RecordingStatus>} ({@code recording_completed}, ...)</td>
 *       <td>{@code recording:<CallSid>:<RecordingSid>} ({@code :in-progress} appended for that status)</td></tr>
 *   <tr><td>transcription</td><td>{@code transcription_<TranscriptionStatus>} ({@code transcription_completed},
 *       {@code transcription_failed})</td><td>{@code transcription:<CallSid>:<TranscriptionSid>}</td></tr>
 * </table>
 * Every event of one call has {@code call.id} = CallSid and the same partition key ({@code tenant|E.164 lead
 * phone}), so they reach enrichment and the CRMs in order, and the contact index makes the first one create the
 * CRM record and the later ones update it.
 */
@Component("twilioCallbackParser")
public class TwilioCallbackParser {

    /** Callbacks journaled by {@code inbound-twilio-callback} (the voice webhook has its own route). */
    public static final Set<String> CALLBACKS = Set.of("status", "recording", "transcription");
    /** Twilio's call statuses (Call resource, {@code CallStatus}). */
    public static final Set<String> CALL_STATUSES = Set.of("queued", "initiated", "ringing", "in-progress",
            "completed", "busy", "failed", "no-answer", "canceled");
    /** Recording statuses ({@code RecordingStatus}). */
    public static final Set<String> RECORDING_STATUSES = Set.of("in-progress", "completed", "absent", "failed");
    /** Transcription statuses ({@code TranscriptionStatus}). */
    public static final Set<String> TRANSCRIPTION_STATUSES = Set.of("completed", "failed");
    /** Response header carrying the journaled event id (Twilio ignores it; operators and tests read it). */
    public static final String EVENT_ID_HEADER = "X-LeadHub-Event-Id";

    private static final Pattern SID = Pattern.compile("[A-Z]{2}[0-9A-Za-z]{8,64}");

    private final ObjectMapper json;
    private final PhoneNormalizer phones;
    private final Clock clock;

    /**
     * @param json   Jackson mapper (JSON bodies)
     * @param phones phone normaliser (partition key)
     * @param clock  optional clock of {@code receivedAt}
     */
    public TwilioCallbackParser(ObjectMapper json, PhoneNormalizer phones, Optional<Clock> clock) {
        this.json = json;
        this.phones = phones;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Step {@code twilio-check-callback}: the path's {@code callback} must be a journaled callback.
     *
     * @param exchange header {@code callback} from the path
     * @throws WebhookRejectedException 404 naming {@code callback} otherwise
     */
    public void checkCallback(Exchange exchange) {
        String callback = exchange.getIn().getHeader("callback", String.class);
        if (callback == null || !CALLBACKS.contains(callback)) {
            throw new WebhookRejectedException(404, "Unknown Twilio callback",
                    "callback must be one of [recording, status, transcription, voice]", "callback");
        }
    }

    /**
     * Step {@code twilio-parse-payload}.
     *
     * @param exchange verified exchange; afterwards body = the {@link InboundEvent}
     * @throws WebhookRejectedException 400 naming the field, as {@link #parse}
     */
    public void parse(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        Map<String, String> params = TwilioParams.of(exchange, json);
        String leadPhone = TwilioParams.query(TwilioPublicUrl.RequestFacts.from(exchange).rawQuery(),
                TwilioPublicUrl.LEAD_PHONE_PARAM);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        String body = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        exchange.getMessage().setBody(parse(tenant, exchange.getIn().getHeader("callback", String.class), params,
                leadPhone, body));
    }

    /**
     * @param tenant    the tenant
     * @param callback  {@code status}, {@code recording} or {@code transcription}
     * @param params    the callback's parameters
     * @param leadPhone the URL's {@value TwilioPublicUrl#LEAD_PHONE_PARAM}, or null
     * @param rawBody   the body as received
     * @return the canonical event
     * @throws WebhookRejectedException 400 naming the field: {@code CallSid}, {@code CallStatus},
     *                                  {@code RecordingSid}, {@code RecordingStatus}, {@code TranscriptionSid},
     *                                  {@code TranscriptionStatus} missing or invalid, {@code CallDuration}/
     *                                  {@code RecordingDuration} not a whole number, no lead phone ({@code From}, or
     *                                  {@code To} for outbound-api calls)
     */
    public InboundEvent parse(TenantConfig tenant, String callback, Map<String, String> params, String leadPhone,
                              String rawBody) {
        String callSid = sid(params, "CallSid");
        String direction = text(params, "Direction");
        boolean outboundApi = "outbound-api".equals(direction);
        String phoneField = outboundApi ? "To" : "From";
        String phone = leadPhone != null ? leadPhone : text(params, phoneField);

        Map<String, Object> call = new LinkedHashMap<>();
        String eventType;
        String providerEventId;
        switch (callback) {
            case "status" -> {
                String status = status(params, "CallStatus", CALL_STATUSES);
                eventType = "in-progress".equals(status) ? "call_answered" : "call_" + status.replace('-', '_');
                providerEventId = "status:" + callSid + ":" + status;
                Long duration = seconds(params, "CallDuration");
                call.put("duration_seconds", duration);
                // Twilio itself answers every inbound call (with the hub's TwiML), so for those "completed" does
                // not tell whether a person picked up; a call the hub placed is answered by the lead
                call.put("answered", switch (status) {
                    case "in-progress", "completed" -> outboundApi ? Boolean.TRUE : null;
                    case "busy", "failed", "no-answer", "canceled" -> Boolean.FALSE;
                    default -> null;
                });
                call.put("start_time", "completed".equals(status) ? startTime(text(params, "Timestamp"), duration) : null);
            }
            case "recording" -> {
                String recordingSid = sid(params, "RecordingSid");
                String status = text(params, "RecordingStatus") == null ? "completed"
                        : status(params, "RecordingStatus", RECORDING_STATUSES);
                eventType = "recording_" + status.replace('-', '_');
                providerEventId = "recording:" + callSid + ":" + recordingSid
                        + ("in-progress".equals(status) ? ":in-progress" : "");
                call.put("duration_seconds", null);
                call.put("answered", null);
                call.put("start_time", isoInstant(text(params, "RecordingStartTime")));
            }
            case "transcription" -> {
                String transcriptionSid = sid(params, "TranscriptionSid");
                String status = text(params, "TranscriptionStatus") == null ? "completed"
                        : status(params, "TranscriptionStatus", TRANSCRIPTION_STATUSES);
                eventType = "transcription_" + status;
                providerEventId = "transcription:" + callSid + ":" + transcriptionSid;
                call.put("duration_seconds", null);
                call.put("answered", null);
                call.put("start_time", null);
            }
            default -> throw new WebhookRejectedException(404, "Unknown Twilio callback",
                    "callback must be one of [recording, status, transcription, voice]", "callback");
        }
        if (phone == null) {
            throw WebhookRejectedException.invalidField(phoneField, "required parameter '" + phoneField
                    + "' (the caller) is missing" + ("recording".equals(callback)
                    ? "; recording status callbacks name the caller only through the hub's callback URL ("
                    + TwilioPublicUrl.LEAD_PHONE_PARAM + "=...), use the TwiML the voice webhook answers" : ""));
        }
        String prefix = phone.equals(text(params, "To")) && !phone.equals(text(params, "From")) ? "To" : "From";
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("phone_raw", phone);
        lead.put("full_name", "From".equals(prefix) ? text(params, "CallerName") : null);
        lead.put("email", null);
        lead.put("city", text(params, prefix + "City"));
        lead.put("state", text(params, prefix + "State"));
        lead.put("country", text(params, prefix + "Country"));

        call.put("id", callSid);
        call.put("legacy_id", null);
        call.put("event_type", eventType);
        call.put("direction", direction == null ? null : direction.startsWith("outbound") ? "outbound" : "inbound");
        call.put("recording_url", text(params, "RecordingUrl"));
        call.put("transcription", "transcription".equals(callback) ? text(params, "TranscriptionText") : null);
        call.put("summary", null);
        call.put("source_name", "Twilio");
        String twilioNumber = outboundApi ? text(params, "From") : text(params, "To");
        call.put("tracking_phone_number", twilioNumber);
        call.put("business_phone_number", twilioNumber);
        call.put("tags", new ArrayList<>());
        call.put("landing_page_url", null);
        call.put("referrer", null);
        call.put("utm_source", null);
        call.put("utm_medium", null);
        call.put("utm_campaign", null);
        call.put("gclid", null);
        call.put("first_call", null);
        call.put("lead_status", null);
        call.put("value", null);
        call.put("note", null);
        call.put("company_id", null);
        call.put("changes", new ArrayList<>());
        call.put("callback", callback);
        call.put("call_sid", callSid);
        call.put("call_status", text(params, "CallStatus"));
        call.put("twilio_direction", direction);
        call.put("account_sid", text(params, "AccountSid"));
        call.put("answered_by", text(params, "AnsweredBy"));
        call.put("recording_sid", text(params, "RecordingSid"));
        call.put("recording_status", text(params, "RecordingStatus"));
        call.put("recording_duration_seconds", seconds(params, "RecordingDuration"));
        call.put("transcription_sid", text(params, "TranscriptionSid"));
        call.put("transcription_status", text(params, "TranscriptionStatus"));
        call.put("error_code", text(params, "ErrorCode"));

        String key = tenant.tenant() + "|" + phones.toE164(phone, tenant.defaultRegion()).orElse(providerEventId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "twilio", eventType, providerEventId,
                clock.instant(), key, lead, call, rawBody);
    }

    /**
     * Step {@code twilio-answer-no-content}: 204 with header {@value #EVENT_ID_HEADER} (Twilio ignores the body of these
     * callbacks).
     *
     * @param exchange property {@value InboundJournal#EVENT_ID}
     */
    public void answered(Exchange exchange) {
        String eventId = exchange.getProperty(InboundJournal.EVENT_ID, String.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setHeader(EVENT_ID_HEADER, eventId);
        exchange.getMessage().setBody(null);
    }

    private static String sid(Map<String, String> params, String name) {
        String value = text(params, name);
        if (value == null) {
            throw WebhookRejectedException.invalidField(name, "required parameter '" + name + "' is missing or empty");
        }
        if (!SID.matcher(value).matches()) {
            throw WebhookRejectedException.invalidField(name, "parameter '" + name
                    + "' must be a Twilio SID (two letters and 8 to 64 letters or digits)");
        }
        return value;
    }

    private static String status(Map<String, String> params, String name, Set<String> allowed) {
        String value = text(params, name);
        if (value == null || !allowed.contains(value)) {
            throw WebhookRejectedException.invalidField(name, "parameter '" + name + "' must be one of "
                    + allowed.stream().sorted().toList());
        }
        return value;
    }

    private static Long seconds(Map<String, String> params, String name) {
        String value = text(params, name);
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw WebhookRejectedException.invalidField(name, "parameter '" + name
                    + "' must be a whole number of seconds");
        }
    }

    /** Twilio's timestamps are RFC 2822 ({@code Tue, 10 Aug 2010 08:02:17 +0000}); null when absent or unreadable. */
    private static Instant rfc2822(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String isoInstant(String rfc2822) {
        Instant instant = rfc2822(rfc2822);
        return instant == null ? null : instant.toString();
    }

    private static String startTime(String timestamp, Long durationSeconds) {
        Instant end = rfc2822(timestamp);
        return end == null ? null : end.minusSeconds(durationSeconds == null ? 0 : durationSeconds).toString();
    }

    private static String text(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
