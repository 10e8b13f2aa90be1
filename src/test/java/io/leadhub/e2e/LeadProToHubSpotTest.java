package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LeadPro webhooks into HubSpot, end to end, in the canonical payload and in an installation's own shape. */
class LeadProToHubSpotTest extends InboundSourceTest {

    private static final String INITECH = "/webhooks/leadpro/vandelay";
    private static final String HOOLI = "/webhooks/leadpro/hooli";
    private static final String SECRET = SOURCE_SECRETS.get("VANDELAY_LEADPRO_SECRET");
    private static final String HOOLI_SECRET = SOURCE_SECRETS.get("HOOLI_LEADPRO_SECRET");

    private static String canonical(String phone, String email, String id) {
        return fixture("leadpro", "lead-updated.json")
                .replace("(404) 555-0163", national(phone))
                .replace("sofia.alvarez@example.com", email)
                .replace("lp_evt_20261120_000481", "lp_evt_" + id);
    }

    private HttpResponse<String> send(String body) {
        return postWebhook(INITECH, body, Map.of("Content-Type", "application/json",
                "X-LeadPro-Signature", hex(SECRET, body)));
    }

    @Test
    void canonicalLeadUpdatedBecomesAHubSpotContact() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "71" + id);

        HttpResponse<String> response = send(canonical(phone, id + "@example.com", id));

        assertThat(response.statusCode()).isEqualTo(202);
        awaitOutcome(eventId(response), "created");
        assertThat(created(phone)).containsEntry("email", id + "@example.com").containsEntry("firstname", "Sofia")
                .containsEntry("lastname", "Alvarez").containsEntry("city", "Roswell")
                .containsEntry("leadhub_source", "leadpro").containsEntry("source_lead_id", "LP-20931")
                .containsEntry("source_project_type", "Kitchen remodel")
                .containsEntry("source_budget", "$50,000 - $75,000").containsEntry("source_lead_status", "qualified")
                .containsEntry("source_assignee", "Dana Lee")
                .containsEntry("call_note", "Wants quartz countertops and a larger island; prefers a start in January.");
    }

    @Test
    void anInstallationWithItsOwnShapeIsAdaptedByTheTenantsFieldMap() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "72" + id);
        String body = fixture("leadpro", "installation-custom-shape.json")
                .replace("+1 678 555 0191", phone)
                .replace("9b1f4c2e-7a3d-4e6b-8c5d-2f1a0e9d8c7b", "uuid-" + id);

        HttpResponse<String> response = postWebhook(HOOLI, body, Map.of("Content-Type", "application/json",
                "X-Signature", "sha256=" + hex(HOOLI_SECRET, body)));

        assertThat(response.statusCode()).isEqualTo(202);
        awaitOutcome(eventId(response), "created");
        assertThat(created(phone)).containsEntry("email", "omar.haddad@example.com").containsEntry("firstname", "Omar")
                .containsEntry("lastname", "Haddad").containsEntry("city", "Smyrna")
                .containsEntry("source_lead_id", "77120").containsEntry("last_event", "lead_updated")
                .containsEntry("source_project_type", "Basement finishing").containsEntry("source_budget", "30k-40k")
                .containsEntry("source_assignee", "Dana Lee");
    }

    @Test
    void theSameEventTwiceWritesHubSpotOnce() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "73" + id);
        String body = canonical(phone, id + "@example.com", id);

        String first = eventId(send(body));
        String second = eventId(send(body));

        awaitOutcome(first, "created");
        awaitEnrichCaughtUp();
        assertThat(deliveries(second)).isEmpty();
        assertThat(creates(phone)).isEqualTo(1);
    }

    @Test
    void rejectsABadOrMisplacedSignatureWith401() {
        String body = canonical(uniquePhone(), "x@example.com", uniqueId());
        HttpResponse<String> wrong = assertNothingJournaled(() -> postWebhook(INITECH, body,
                Map.of("Content-Type", "application/json", "X-LeadPro-Signature", hex("not-the-secret", body))));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"field\":\"X-LeadPro-Signature\"").doesNotContain(SECRET);
        // hooli expects its signature in X-Signature
        HttpResponse<String> misplaced = assertNothingJournaled(() -> postWebhook(HOOLI, body,
                Map.of("Content-Type", "application/json", "X-LeadPro-Signature", hex(HOOLI_SECRET, body))));
        assertThat(misplaced.statusCode()).isEqualTo(401);
        assertThat(misplaced.body()).contains("\"field\":\"X-Signature\"");
    }

    @Test
    void rejectsMalformedAndInvalidPayloadsWith400NamingTheField() {
        HttpResponse<String> malformed = assertNothingJournaled(() -> send("{\"event\": \"lead_updated\""));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"field\":\"body\"");
        HttpResponse<String> unknown = assertNothingJournaled(() -> send(
                "{\"event\":\"lead_deleted\",\"data\":{\"id\":\"1\",\"phone\":\"4045550100\"}}"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"event\"");
        HttpResponse<String> nobody = assertNothingJournaled(() -> send(
                "{\"event\":\"lead_updated\",\"data\":{\"id\":\"1\",\"name\":\"Ann\"}}"));
        assertThat(nobody.statusCode()).isEqualTo(400);
        assertThat(nobody.body()).contains("\"field\":\"data.phone|data.email\"");
    }

    @Test
    void rejectsAnOversizeBodyWith413() {
        String body = canonical(uniquePhone(), "x@example.com", uniqueId())
                .replace("\"notes\": \"", "\"notes\": \"" + "x".repeat(1024 * 1024));
        HttpResponse<String> response = assertNothingJournaled(() -> send(body));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void rejectsANonJsonContentTypeWith415() {
        String body = canonical(uniquePhone(), "x@example.com", uniqueId());
        HttpResponse<String> response = assertNothingJournaled(() -> postWebhook(INITECH, body,
                Map.of("Content-Type", "text/plain", "X-LeadPro-Signature", hex(SECRET, body))));
        assertThat(response.statusCode()).isEqualTo(415);
    }
}
