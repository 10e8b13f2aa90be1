package io.leadhub.inbound.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import io.leadhub.inbound.Fixtures;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ElevenLabsWebhookParserTest {

    private static final TenantConfig TENANT = Fixtures.tenant("elevenlabs", Map.of("webhook_secret", Secret.of("s")));
    private final ElevenLabsWebhookParser parser = new ElevenLabsWebhookParser(new ObjectMapper(), new PhoneNormalizer(),
            Optional.of(Clock.fixed(Instant.parse("2026-11-20T21:00:00Z"), ZoneOffset.UTC)));

    static List<String> fixtures() {
        return Fixtures.names("elevenlabs");
    }

    private InboundEvent event(String name) {
        return parser.parse(TENANT, Fixtures.body("elevenlabs", name)).event();
    }

    private WebhookRejectedException rejection(String body) {
        try {
            parser.parse(TENANT, body);
        } catch (WebhookRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection of " + body);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureEqualsItsSampleAndStoredEventsHaveEveryCanonicalKey(String name) throws Exception {
        String body = Fixtures.body("elevenlabs", name);
        assertThat(Files.readString(Path.of("samples/elevenlabs", name))).isEqualTo(body);
        ElevenLabsWebhookParser.Outcome outcome = parser.parse(TENANT, body);
        if (outcome.event() != null) {
            assertThat(outcome.event().call()).containsKeys(CanonicalFields.CALL_KEYS.toArray(String[]::new));
            assertThat(outcome.event().lead()).containsKeys(CanonicalFields.LEAD_KEYS.toArray(String[]::new));
            assertThat(outcome.event().rawBody()).isEqualTo(body);
        }
    }

    @Test
    void transcriptionOfATwilioCallBecomesALeadWithItsConversation() {
        InboundEvent event = event("post-call-transcription.json");

        assertThat(event.source()).isEqualTo("elevenlabs");
        assertThat(event.eventType()).isEqualTo("post_call_transcription");
        assertThat(event.providerEventId()).isEqualTo("conv_5301k3p4m2r6fq9bv0a7wz1y8e6d");
        assertThat(event.recordOnly()).isFalse();
        assertThat(event.partitionKey()).isEqualTo("acme|+16785550123");
        assertThat(event.lead()).containsEntry("phone_raw", "+16785550123")
                .containsEntry("email", "marcus.webb@example.com").containsEntry("full_name", "Marcus Webb");
        assertThat(event.call()).containsEntry("id", "conv_5301k3p4m2r6fq9bv0a7wz1y8e6d")
                .containsEntry("direction", "inbound").containsEntry("duration_seconds", 164L)
                .containsEntry("answered", true).containsEntry("start_time", "2025-11-20T19:57:00Z")
                .containsEntry("business_phone_number", "+14045550177").containsEntry("outcome", "success")
                .containsEntry("lead_id", null);
        assertThat((String) event.call().get("summary")).startsWith("Marcus Webb wants a whole-house renovation");
        assertThat((String) event.call().get("transcription")).isEqualTo(String.join("\n",
                "Agent: Thanks for calling Peachtree Kitchen and Bath, this is Ava, the virtual assistant. How can I help?",
                "User: Hi, this is Marcus Webb. We want to gut and redo our whole house, kitchen, two bathrooms and the floors. Our budget is around $150,000 and we would like to start in the next couple of months.",
                "Agent: That sounds like a great project. Could we send a designer out on Tuesday morning for an in-home consultation?",
                "User: Tuesday works. My email is marcus.webb@example.com."));
        assertThat((Map<String, Object>) event.call().get("data_collection"))
                .containsEntry("email", "marcus.webb@example.com").containsEntry("project_type", "whole_home")
                .containsEntry("budget_usd", 150000L);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) event.call().get("fields");
        assertThat(fields).containsEntry("phone_call_type", "twilio").containsEntry("call_sid", "CA8b1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d")
                .containsEntry("call_summary_title", "Whole-house renovation consultation booked")
                .containsEntry("evaluation", Map.of("booked_consultation", "success"))
                .containsEntry("user_name", "Marcus Webb").doesNotContainKey("system__caller_id");
    }

    @Test
    void transcriptionOfAnOutboundSipCallTakesTheLeadIdFromTheDynamicVariables() {
        InboundEvent event = event("post-call-transcription-sip.json");
        assertThat(event.lead()).containsEntry("phone_raw", "+17705550166").containsEntry("first_name", "Grace")
                .containsEntry("last_name", "Kim").containsEntry("email", "grace.kim@example.com");
        assertThat(event.call()).containsEntry("direction", "outbound").containsEntry("lead_id", "HS-58213")
                .containsEntry("business_phone_number", "+14045550178");
        assertThat((Map<String, Object>) event.call().get("fields")).containsEntry("phone_call_type", "sip_trunking");
    }

    @Test
    void theLeadIdVariableIsConfigurable() {
        TenantConfig tenant = Fixtures.tenant("elevenlabs", Map.of("webhook_secret", Secret.of("s"),
                "lead_id_variable", "first_name"));
        InboundEvent event = parser.parse(tenant, Fixtures.body("elevenlabs", "post-call-transcription-sip.json")).event();
        assertThat(event.call()).containsEntry("lead_id", "Grace");
    }

    @Test
    void withoutExternalNumberTheSystemCallerIdOrCalledNumberIsTheLead() {
        String inbound = "{\"type\":\"post_call_transcription\",\"data\":{\"conversation_id\":\"c1\",\"metadata\":{\"phone_call\":{\"direction\":\"inbound\"}},"
                + "\"conversation_initiation_client_data\":{\"dynamic_variables\":{\"system__caller_id\":\"+16785550000\",\"system__called_number\":\"+14045550177\"}}}}";
        assertThat(parser.parse(TENANT, inbound).event().lead()).containsEntry("phone_raw", "+16785550000");
        String outbound = inbound.replace("\"inbound\"", "\"outbound\"");
        assertThat(parser.parse(TENANT, outbound).event().lead()).containsEntry("phone_raw", "+14045550177");
    }

    @Test
    void callInitiationFailureIsRecordOnlyByDefault() {
        InboundEvent event = event("call-initiation-failure.json");
        assertThat(event.eventType()).isEqualTo("call_initiation_failure");
        assertThat(event.recordOnly()).isTrue();
        assertThat(event.providerEventId()).isEqualTo("call_initiation_failure:conv_9901k3p8w6y4jz9dg2e4hr6i0c3p");
        assertThat(event.lead()).containsEntry("phone_raw", "+17705550166").containsEntry("first_name", "Grace")
                .containsEntry("last_name", "Kim");
        assertThat(event.call()).containsEntry("outcome", "busy").containsEntry("answered", false)
                .containsEntry("direction", "outbound").containsEntry("lead_id", "HS-58213");
        assertThat((Map<String, Object>) event.call().get("fields")).containsEntry("provider", "twilio")
                .containsEntry("call_status", "busy").containsEntry("failure_reason", "busy");
    }

    @Test
    void callInitiationFailureIsDeliveredWhenTheTenantAsksAndTheCalleeIsKnown() {
        TenantConfig tenant = Fixtures.tenant("elevenlabs", Map.of("webhook_secret", Secret.of("s"),
                "deliver_call_failures", true));
        assertThat(parser.parse(tenant, Fixtures.body("elevenlabs", "call-initiation-failure.json")).event().recordOnly())
                .isFalse();
        String sipWithoutNumber = "{\"type\":\"call_initiation_failure\",\"data\":{\"conversation_id\":\"c9\","
                + "\"failure_reason\":\"unknown\",\"metadata\":{\"type\":\"sip\",\"body\":{\"sip_status_code\":503}}}}";
        InboundEvent unknownCallee = parser.parse(tenant, sipWithoutNumber).event();
        assertThat(unknownCallee.recordOnly()).isTrue();
        assertThat(unknownCallee.partitionKey()).isEqualTo("acme|call_initiation_failure:c9");
        assertThat((Map<String, Object>) unknownCallee.call().get("fields")).containsEntry("sip_status_code", "503");
    }

    @Test
    void aFailureWithoutConversationIdIsStillRecorded() {
        InboundEvent event = parser.parse(TENANT, "{\"type\":\"call_initiation_failure\",\"data\":{}}").event();
        assertThat(event.providerEventId()).matches("call_initiation_failure:sha256:[0-9a-f]{64}");
        assertThat(event.recordOnly()).isTrue();
    }

    @Test
    void audioAndUnknownTypesAreAcknowledgedWithoutAnEvent() {
        ElevenLabsWebhookParser.Outcome audio = parser.parse(TENANT, Fixtures.body("elevenlabs", "post-call-audio.json"));
        assertThat(audio.type()).isEqualTo("post_call_audio");
        assertThat(audio.event()).isNull();
        assertThat(parser.parse(TENANT, "{\"type\":\"post_call_transcription_otel\"}").event()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "{\"data\":{}} => type",
            "{\"type\":\"post_call_transcription\"} => data",
            "{\"type\":\"post_call_transcription\",\"data\":{\"metadata\":{}}} => data.conversation_id",
            "{\"type\":\"post_call_transcription\",\"data\":{\"conversation_id\":\"c\"}} => data.metadata.phone_call.external_number",
            "{\"type\":\"post_call_transcription\",\"data\":{\"conversation_id\":\"c\",\"metadata\":{\"call_duration_secs\":\"x\",\"phone_call\":{\"external_number\":\"+16785550123\"}}}} => data.metadata.call_duration_secs",
            "{\"type\": => body"
    })
    void rejectsInvalidPayloadsNamingTheField(String body, String field) {
        WebhookRejectedException e = rejection(body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
    }
}
