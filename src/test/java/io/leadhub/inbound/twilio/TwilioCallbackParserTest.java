package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.tenant.TenantConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioCallbackParserTest {

    static final String CALL = "CA5f1d2c3b4a5968778695a4b3c2d1e0f9";
    static final String RECORDING = "RE3a9c1e7f5b2d4068a1c3e5f7092b4d6e";
    static final String TRANSCRIPTION = "TR7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a";

    private final TwilioCallbackParser parser = new TwilioCallbackParser(new ObjectMapper(), new PhoneNormalizer(),
            Optional.of(Clock.fixed(Instant.parse("2026-11-20T15:06:00Z"), ZoneOffset.UTC)));

    static TenantConfig tenant() {
        return new TenantConfig("initech", Path.of("initech.yaml"), "US", ZoneOffset.UTC,
                Map.of("twilio", Map.of()), Map.of(), List.of(), List.of(), Instant.EPOCH);
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        return params;
    }

    @Test
    void inboundCompletedCallIsCallCompletedOfTheCallerWithDurationAndStartAnsweredUnknown() {
        InboundEvent event = parser.parse(tenant(), "status", params("CallSid", CALL, "CallStatus", "completed",
                "Direction", "inbound", "From", "+14045558514", "To", "+15125550100", "CallDuration", "68",
                "CallerName", "GONZALEZ MARIA", "FromCity", "MARIETTA", "FromState", "GA", "FromCountry", "US",
                "Timestamp", "Fri, 20 Nov 2026 15:05:19 +0000", "AccountSid", "AC0123456789abcdef0123456789abcdef"),
                null, "raw");

        assertThat(event.source()).isEqualTo("twilio");
        assertThat(event.eventType()).isEqualTo("call_completed");
        assertThat(event.providerEventId()).isEqualTo("status:" + CALL + ":completed");
        assertThat(event.idempotencyKey()).isEqualTo("initech|twilio|status:" + CALL + ":completed");
        assertThat(event.partitionKey()).isEqualTo("initech|+14045558514");
        assertThat(event.receivedAt()).isEqualTo(Instant.parse("2026-11-20T15:06:00Z"));
        assertThat(event.rawBody()).isEqualTo("raw");
        assertThat(event.lead()).containsEntry("phone_raw", "+14045558514").containsEntry("full_name", "GONZALEZ MARIA")
                .containsEntry("city", "MARIETTA").containsEntry("state", "GA").containsEntry("country", "US")
                .containsEntry("email", null);
        assertThat(event.call()).containsEntry("id", CALL).containsEntry("event_type", "call_completed")
                .containsEntry("direction", "inbound").containsEntry("duration_seconds", 68L)
                .containsEntry("answered", null).containsEntry("start_time", "2026-11-20T15:04:11Z")
                .containsEntry("tracking_phone_number", "+15125550100").containsEntry("source_name", "Twilio")
                .containsEntry("recording_url", null).containsEntry("transcription", null)
                .containsEntry("account_sid", "AC0123456789abcdef0123456789abcdef")
                .containsKeys("tags", "utm_source", "gclid", "first_call", "lead_status", "value", "note", "summary");
    }

    @ParameterizedTest
    @CsvSource({"queued,call_queued,", "initiated,call_initiated,", "ringing,call_ringing,",
            "in-progress,call_answered,true", "busy,call_busy,false", "no-answer,call_no_answer,false",
            "failed,call_failed,false", "canceled,call_canceled,false"})
    void everyCallStatusIsItsOwnEvent(String status, String eventType, Boolean answered) {
        InboundEvent event = parser.parse(tenant(), "status", params("CallSid", CALL, "CallStatus", status,
                "Direction", "outbound-api", "From", "+15125550100", "To", "+14045558514"), null, "");

        assertThat(event.eventType()).isEqualTo(eventType);
        assertThat(event.providerEventId()).isEqualTo("status:" + CALL + ":" + status);
        assertThat(event.call()).containsEntry("answered", answered).containsEntry("direction", "outbound");
    }

    @Test
    void outboundApiCallsLeadIsTheCalledNumber() {
        InboundEvent event = parser.parse(tenant(), "status", params("CallSid", CALL, "CallStatus", "ringing",
                "Direction", "outbound-api", "From", "+15125550100", "To", "+14045558514", "ToCity", "ATLANTA"),
                null, "");

        assertThat(event.lead()).containsEntry("phone_raw", "+14045558514").containsEntry("city", "ATLANTA")
                .containsEntry("full_name", null);
        assertThat(event.call()).containsEntry("tracking_phone_number", "+15125550100");
        assertThat(event.partitionKey()).isEqualTo("initech|+14045558514");
    }

    @Test
    void recordingCallbackTakesTheCallerFromTheCallbackUrl() {
        InboundEvent event = parser.parse(tenant(), "recording", params("CallSid", CALL, "RecordingSid", RECORDING,
                "RecordingStatus", "completed", "RecordingDuration", "41",
                "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/" + RECORDING,
                "RecordingStartTime", "Fri, 20 Nov 2026 15:04:31 +0000"), "+14045558514", "");

        assertThat(event.eventType()).isEqualTo("recording_completed");
        assertThat(event.providerEventId()).isEqualTo("recording:" + CALL + ":" + RECORDING);
        assertThat(event.partitionKey()).isEqualTo("initech|+14045558514");
        assertThat(event.call()).containsEntry("recording_url", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/" + RECORDING)
                .containsEntry("recording_duration_seconds", 41L).containsEntry("duration_seconds", null)
                .containsEntry("start_time", "2026-11-20T15:04:31Z").containsEntry("recording_sid", RECORDING);
    }

    @Test
    void inProgressRecordingIsADistinctEventFromItsCompletion() {
        InboundEvent event = parser.parse(tenant(), "recording", params("CallSid", CALL, "RecordingSid", RECORDING,
                "RecordingStatus", "in-progress"), "+14045558514", "");

        assertThat(event.eventType()).isEqualTo("recording_in_progress");
        assertThat(event.providerEventId()).isEqualTo("recording:" + CALL + ":" + RECORDING + ":in-progress");
    }

    @Test
    void transcriptionCarriesTheTranscriptForTheAnalysis() {
        InboundEvent event = parser.parse(tenant(), "transcription", params("CallSid", CALL, "TranscriptionSid",
                TRANSCRIPTION, "TranscriptionStatus", "completed", "TranscriptionText", "We want a new kitchen.",
                "RecordingSid", RECORDING, "Direction", "inbound", "From", "+14045558514", "To", "+15125550100"),
                null, "");

        assertThat(event.eventType()).isEqualTo("transcription_completed");
        assertThat(event.providerEventId()).isEqualTo("transcription:" + CALL + ":" + TRANSCRIPTION);
        assertThat(event.call()).containsEntry("transcription", "We want a new kitchen.")
                .containsEntry("transcription_sid", TRANSCRIPTION).containsEntry("id", CALL);
    }

    @Test
    void anAnonymousCallerIsKeptAndKeyedByTheEvent() {
        InboundEvent event = parser.parse(tenant(), "status", params("CallSid", CALL, "CallStatus", "completed",
                "Direction", "inbound", "From", "Anonymous", "To", "+15125550100"), null, "");

        assertThat(event.lead()).containsEntry("phone_raw", "Anonymous");
        assertThat(event.partitionKey()).isEqualTo("initech|status:" + CALL + ":completed");
    }

    @ParameterizedTest
    @CsvSource({"status,CallSid,", "status,CallStatus,CallSid=" + CALL, "status,CallStatus,CallSid=" + CALL + "&CallStatus=done",
            "status,CallSid,CallSid=not a sid&CallStatus=completed",
            "status,CallDuration,CallSid=" + CALL + "&CallStatus=completed&From=+14045558514&CallDuration=-3",
            "status,From,CallSid=" + CALL + "&CallStatus=completed",
            "status,To,CallSid=" + CALL + "&CallStatus=completed&Direction=outbound-api&From=+15125550100",
            "recording,RecordingSid,CallSid=" + CALL,
            "recording,RecordingStatus,CallSid=" + CALL + "&RecordingSid=" + RECORDING + "&RecordingStatus=lost",
            "recording,From,CallSid=" + CALL + "&RecordingSid=" + RECORDING,
            "transcription,TranscriptionSid,CallSid=" + CALL + "&From=+14045558514",
            "transcription,TranscriptionStatus,CallSid=" + CALL + "&TranscriptionSid=" + TRANSCRIPTION
                    + "&TranscriptionStatus=maybe"})
    void invalidCallbacksAre400NamingTheParameter(String callback, String field, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                params.put(p[0], p[1]);
            }
        }

        assertThatThrownBy(() -> parser.parse(tenant(), callback, params, null, ""))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo(field);
                });
    }
}
