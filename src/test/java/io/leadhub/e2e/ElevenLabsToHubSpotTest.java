package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadhub.inbound.elevenlabs.ElevenLabsSignatureVerifier;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ElevenLabs post-call webhooks into HubSpot, end to end (real HTTP, Kafka, database, HubSpot stub). */
class ElevenLabsToHubSpotTest extends InboundSourceTest {

    private static final String INITECH = "/webhooks/elevenlabs/vandelay";
    private static final String HOOLI = "/webhooks/elevenlabs/hooli";
    private static final String SECRET = SOURCE_SECRETS.get("VANDELAY_ELEVENLABS_SECRET");
    private static final String HOOLI_SECRET = SOURCE_SECRETS.get("HOOLI_ELEVENLABS_SECRET");

    /** The transcription fixture as this test's own caller and conversation. */
    private static String transcription(String phone, String email, String conversation) {
        return fixture("elevenlabs", "post-call-transcription.json")
                .replace("+16785550123", phone)
                .replace("marcus.webb@example.com", email)
                .replace("conv_5301k3p4m2r6fq9bv0a7wz1y8e6d", conversation);
    }

    private static String failure(String phone, String conversation) {
        return fixture("elevenlabs", "call-initiation-failure.json")
                .replace("+17705550166", phone)
                .replace("conv_9901k3p8w6y4jz9dg2e4hr6i0c3p", conversation);
    }

    private HttpResponse<String> send(String path, String secret, String body, Instant signedAt) {
        return postWebhook(path, body, timestamped(ElevenLabsSignatureVerifier.SCHEME, secret, signedAt, body));
    }

    @Test
    void transcriptionBecomesAHubSpotContactAndIsAnswered200() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "91" + id);

        HttpResponse<String> response = send(INITECH, SECRET,
                transcription(phone, "marcus" + id + "@example.com", "conv_" + id), Instant.now());

        assertThat(response.statusCode()).isEqualTo(200);
        String eventId = eventId(response);
        assertThat(eventId).matches("[0-9a-f-]{36}");
        awaitOutcome(eventId, "created");
        assertThat(created(phone)).containsEntry("phone", phone).containsEntry("email", "marcus" + id + "@example.com")
                .containsEntry("firstname", "Marcus").containsEntry("lastname", "Webb")
                .containsEntry("leadhub_source", "elevenlabs").containsEntry("call_outcome", "success")
                .containsEntry("call_duration_seconds", 164).containsEntry("stated_budget_usd", 150000)
                .containsEntry("ai_project_type", "whole_home")
                .containsEntry("call_summary", "Marcus Webb wants a whole-house renovation (kitchen, two bathrooms, "
                        + "floors) with a budget of about $150,000, starting within two months. An in-home design "
                        + "consultation was booked for Tuesday morning.");
    }

    @Test
    void theSameConversationTwiceWritesHubSpotOnce() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "92" + id);
        String body = transcription(phone, id + "@example.com", "conv_" + id);

        String first = eventId(send(INITECH, SECRET, body, Instant.now()));
        String second = eventId(send(INITECH, SECRET, body, Instant.now().plusSeconds(1)));

        awaitOutcome(first, "created");
        awaitEnrichCaughtUp();
        assertThat(deliveries(second)).isEmpty();
        assertThat(creates(phone)).isEqualTo(1);
    }

    @Test
    void callInitiationFailureIsJournaledAndRecordedButNotDelivered() {
        String phone = uniquePhone();
        String id = uniqueId();
        long before = endOffsets("leads.inbound");

        HttpResponse<String> response = send(INITECH, SECRET, failure(phone, "conv_" + id), Instant.now());

        assertThat(response.statusCode()).isEqualTo(200);
        String eventId = eventId(response);
        assertThat(endOffsets("leads.inbound")).isGreaterThan(before);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> processed("vandelay", "elevenlabs", "call_initiation_failure:conv_" + id));
        awaitEnrichCaughtUp();
        assertThat(deliveries(eventId)).isEmpty();
        assertThat(creates(phone)).isZero();
    }

    @Test
    void aTenantThatAsksForCallFailuresGetsThemInTheCrm() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "93" + id);

        String eventId = eventId(send(HOOLI, HOOLI_SECRET, failure(phone, "conv_" + id), Instant.now()));

        awaitOutcome(eventId, "created");
        assertThat(created(phone)).containsEntry("call_outcome", "busy")
                .containsEntry("last_event", "call_initiation_failure").containsEntry("source_lead_id", "HS-58213")
                .containsEntry("firstname", "Grace");
    }

    @Test
    void audioIsAcknowledgedAndNotStored() {
        String body = fixture("elevenlabs", "post-call-audio.json");
        long before = endOffsets("leads.inbound");

        HttpResponse<String> response = send(INITECH, SECRET, body, Instant.now());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ignored\":\"post_call_audio\"}");
        assertThat(endOffsets("leads.inbound")).isEqualTo(before);
    }

    @Test
    void rejectsABadSignatureWith401() {
        String body = transcription(uniquePhone(), "x@example.com", "conv_" + uniqueId());
        HttpResponse<String> response = assertNothingJournaled(
                () -> send(INITECH, "not-the-secret", body, Instant.now()));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"field\":\"ElevenLabs-Signature\"");
        HttpResponse<String> unsigned = assertNothingJournaled(() -> postWebhook(INITECH, body,
                Map.of("Content-Type", "application/json")));
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    @Test
    void rejectsAStaleTimestampWith401WithinEachTenantsTolerance() {
        String body = failure(uniquePhone(), "conv_" + uniqueId());
        HttpResponse<String> stale = assertNothingJournaled(
                () -> send(INITECH, SECRET, body, Instant.now().minus(Duration.ofMinutes(31))));
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).contains("stale or replayed");
        // hooli narrowed its tolerance to 10 minutes
        HttpResponse<String> hooli = assertNothingJournaled(
                () -> send(HOOLI, HOOLI_SECRET, body, Instant.now().minus(Duration.ofMinutes(11))));
        assertThat(hooli.statusCode()).isEqualTo(401);
        assertThat(hooli.body()).contains("tolerance is 600 seconds");
    }

    @Test
    void rejectsMalformedAndIncompletePayloadsWith400NamingTheField() {
        HttpResponse<String> malformed = assertNothingJournaled(
                () -> send(INITECH, SECRET, "{\"type\":\"post_call_transcription\",", Instant.now()));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"field\":\"body\"");

        String noCaller = "{\"type\":\"post_call_transcription\",\"data\":{\"conversation_id\":\"conv_" + uniqueId() + "\"}}";
        HttpResponse<String> incomplete = assertNothingJournaled(() -> send(INITECH, SECRET, noCaller, Instant.now()));
        assertThat(incomplete.statusCode()).isEqualTo(400);
        assertThat(incomplete.body()).contains("\"field\":\"data.metadata.phone_call.external_number\"");
    }

    @Test
    void rejectsAnOversizeBodyWith413() {
        String body = fixture("elevenlabs", "post-call-audio.json")
                .replace("SUQzBAAAAAAAI1RTU0", "SUQzBAAAAAAAI1RTU0" + "A".repeat(1024 * 1024));
        HttpResponse<String> response = assertNothingJournaled(() -> send(INITECH, SECRET, body, Instant.now()));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void rejectsANonJsonContentTypeWith415() {
        String body = transcription(uniquePhone(), "x@example.com", "conv_" + uniqueId());
        Map<String, String> headers = new java.util.HashMap<>(
                timestamped(ElevenLabsSignatureVerifier.SCHEME, SECRET, Instant.now(), body));
        headers.put("Content-Type", "text/plain");
        HttpResponse<String> response = assertNothingJournaled(() -> postWebhook(INITECH, body, headers));
        assertThat(response.statusCode()).isEqualTo(415);
    }
}
