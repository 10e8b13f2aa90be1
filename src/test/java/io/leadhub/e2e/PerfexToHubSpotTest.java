package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.inbound.perfex.PerfexSignatureVerifier;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Perfex CRM webhooks into HubSpot, end to end (real HTTP, Kafka, database, HubSpot stub). */
class PerfexToHubSpotTest extends InboundSourceTest {

    private static final String PATH = "/webhooks/perfex/vandelay";
    private static final String SECRET = SOURCE_SECRETS.get("VANDELAY_PERFEX_SECRET");

    /** A fixture with this test's own phone, e-mail and event id. */
    private static String body(String name, String phone, String email, String suffix) {
        return fixture("perfex", name)
                .replace("(470) 555-0188", national(phone))
                .replace("daniel.okafor@example.com", email)
                .replace("\"event_id\": \"evt_", "\"event_id\": \"" + suffix + "_evt_")
                .replace("\"id\": \"88213\"", "\"id\": \"" + suffix + "\"");
    }

    private HttpResponse<String> send(String body) {
        return postWebhook(PATH, body, timestamped(PerfexSignatureVerifier.SCHEME, SECRET, Instant.now(), body));
    }

    @Test
    void signedLeadCreatedBecomesAHubSpotContact() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "81" + id);

        HttpResponse<String> response = send(body("lead-created.json", phone, id + "@example.com", id));

        assertThat(response.statusCode()).isEqualTo(202);
        String eventId = eventId(response);
        assertThat(awaitOutcome(eventId, "created").get(0)).containsEntry("crm_record_id", "81" + id);
        assertThat(created(phone)).containsEntry("phone", phone).containsEntry("email", id + "@example.com")
                .containsEntry("firstname", "Daniel").containsEntry("lastname", "Okafor").containsEntry("city", "Decatur")
                .containsEntry("leadhub_source", "perfex").containsEntry("source_lead_id", "1042")
                .containsEntry("source_lead_status", "Contacted").containsEntry("source_assignee", "Dana Lee")
                .containsEntry("call_note", "Asked for a quote on a full bathroom remodel with a walk-in shower, "
                        + "budget around $30,000, wants to start next month.");
    }

    @Test
    void theThreeCallEventsInReverseOrderLeaveTheContactAsInOrder() {
        String inOrderPhone = uniquePhone();
        String reversedPhone = uniquePhone();
        String a = uniqueId();
        String b = uniqueId();
        createAnswers(inOrderPhone, "82" + a);
        createAnswers(reversedPhone, "82" + b);
        List<String> stages = List.of("call-completed.json", "call-transcribed.json", "ai-analysis-complete.json");

        String last = null;
        for (String stage : stages) {
            last = eventId(send(body(stage, inOrderPhone, a + "@example.com", a)));
            awaitOutcome(last, stage.equals(stages.get(0)) ? "created" : "updated");
        }
        for (String stage : List.of(stages.get(2), stages.get(1), stages.get(0))) {
            last = eventId(send(body(stage, reversedPhone, b + "@example.com", b)));
            awaitOutcome(last, stage.equals(stages.get(2)) ? "created" : "updated");
        }

        Map<String, Object> inOrder = hubSpotContact("82" + a, inOrderPhone);
        Map<String, Object> reversed = hubSpotContact("82" + b, reversedPhone);
        assertThat(inOrder).containsEntry("recording_url",
                        "https://crm.peachtreekb.example/modules/calls/recordings/88213.mp3")
                .containsEntry("call_duration_seconds", 382)
                .containsEntry("call_summary", "Master bathroom remodel (walk-in shower, double vanity), budget about $30k, "
                        + "start next month; estimate booked for Thursday 9am.")
                .containsEntry("ai_project_type", "bathroom");
        for (Map<String, Object> contact : List.of(inOrder, reversed)) {
            contact.remove("phone");
            contact.remove("email");
        }
        assertThat(reversed).isEqualTo(inOrder);
    }

    @Test
    void theSameDeliveryTwiceWritesHubSpotOnce() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "83" + id);
        String body = body("lead-created.json", phone, id + "@example.com", id);

        String first = eventId(send(body));
        String second = eventId(send(body));

        awaitOutcome(first, "created");
        awaitEnrichCaughtUp();
        assertThat(second).isNotEqualTo(first);
        assertThat(deliveries(second)).isEmpty();
        assertThat(creates(phone)).isEqualTo(1);
    }

    @Test
    void rejectsABadSignatureWith401() {
        String body = body("lead-created.json", uniquePhone(), "x@example.com", uniqueId());
        HttpResponse<String> response = assertNothingJournaled(() -> postWebhook(PATH, body,
                timestamped(PerfexSignatureVerifier.SCHEME, "not-the-secret", Instant.now(), body)));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"field\":\"X-Perfex-Signature\"").doesNotContain(SECRET);
    }

    @Test
    void rejectsAStaleTimestampWith401() {
        String body = body("lead-created.json", uniquePhone(), "x@example.com", uniqueId());
        HttpResponse<String> response = assertNothingJournaled(() -> postWebhook(PATH, body,
                timestamped(PerfexSignatureVerifier.SCHEME, SECRET, Instant.now().minus(Duration.ofMinutes(6)), body)));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("stale or replayed");
    }

    @Test
    void rejectsMalformedJsonAndMissingFieldsWith400NamingThem() {
        String broken = "{\"event\": \"lead.created\", \"data\": ";
        HttpResponse<String> malformed = assertNothingJournaled(() -> send(broken));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"field\":\"body\"");

        String noPerson = "{\"event\":\"lead.created\",\"data\":{\"id\":\"5\",\"name\":\"Ann\"}}";
        HttpResponse<String> missing = assertNothingJournaled(() -> send(noPerson));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"field\":\"data.phonenumber|data.email\"");
    }

    @Test
    void rejectsAnOversizeBodyWith413() {
        String body = body("lead-created.json", uniquePhone(), "x@example.com", uniqueId())
                .replace("\"title\": \"Homeowner\"", "\"title\": \"" + "x".repeat(1024 * 1024) + "\"");
        HttpResponse<String> response = assertNothingJournaled(() -> send(body));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void rejectsANonJsonContentTypeWith415() {
        String body = body("lead-created.json", uniquePhone(), "x@example.com", uniqueId());
        Map<String, String> headers = new java.util.HashMap<>(
                timestamped(PerfexSignatureVerifier.SCHEME, SECRET, Instant.now(), body));
        headers.put("Content-Type", "text/plain");
        HttpResponse<String> response = assertNothingJournaled(() -> postWebhook(PATH, body, headers));
        assertThat(response.statusCode()).isEqualTo(415);
    }
}
