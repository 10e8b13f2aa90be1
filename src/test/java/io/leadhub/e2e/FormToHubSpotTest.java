package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Web form leads into HubSpot, end to end, authenticated by HMAC (vandelay) or by API key (hooli). */
class FormToHubSpotTest extends InboundSourceTest {

    private static final String INITECH = "/webhooks/form/vandelay";
    private static final String HOOLI = "/webhooks/form/hooli";
    private static final String SECRET = SOURCE_SECRETS.get("VANDELAY_FORM_SECRET");
    private static final String API_KEY = SOURCE_SECRETS.get("HOOLI_FORM_API_KEY");

    private static String contactForm(String phone, String email, String submissionId) {
        return fixture("form", "contact-form.json")
                .replace("404-555-0187", national(phone))
                .replace("Hannah.Brooks@Example.com", email)
                .replace("wpcf7-8812-20261120-173455", submissionId);
    }

    private HttpResponse<String> signed(String body) {
        return postWebhook(INITECH, body, Map.of("Content-Type", "application/json",
                "X-LeadHub-Signature", "sha256=" + hex(SECRET, body)));
    }

    @Test
    void signedContactFormBecomesAHubSpotContact() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "61" + id);

        HttpResponse<String> response = signed(contactForm(phone, "Hannah." + id + "@Example.com", "sub-" + id));

        assertThat(response.statusCode()).isEqualTo(202);
        awaitOutcome(eventId(response), "created");
        assertThat(created(phone)).containsEntry("phone", phone).containsEntry("email", "hannah." + id + "@example.com")
                .containsEntry("firstname", "Hannah").containsEntry("lastname", "Brooks")
                .containsEntry("city", "Kennesaw").containsEntry("leadhub_source", "form")
                .containsEntry("utm_campaign", "bath-remodel-2026").containsEntry("form_project", "Bathroom")
                .containsEntry("ai_project_type", "bathroom")
                .hasEntrySatisfying("lead_message", m -> assertThat((String) m).startsWith("We need a bathroom remodel"));
    }

    @Test
    void aFormAuthenticatedByApiKeyWithOnlyAnEmailBecomesAContact() {
        String id = uniqueId();
        String email = "luis." + id + "@example.com";
        createAnswers(email, "62" + id);
        String body = fixture("form", "quote-request-email-only.json").replace("luis.ortega@example.com", email);

        HttpResponse<String> response = postWebhook(HOOLI, body,
                Map.of("Content-Type", "application/json", "X-API-Key", API_KEY));

        assertThat(response.statusCode()).isEqualTo(202);
        awaitOutcome(eventId(response), "created");
        assertThat(created(email)).containsEntry("email", email).containsEntry("firstname", "Luis")
                .containsEntry("lastname", "Ortega").containsEntry("last_event", "form_submission")
                .doesNotContainKey("phone");
    }

    @Test
    void aResubmittedFormWithTheSameSubmissionIdWritesHubSpotOnce() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "63" + id);
        String first = contactForm(phone, id + "@example.com", "sub-" + id);
        String resubmitted = first.replace("2026-11-20T22:34:55Z", "2026-11-20T22:34:58Z");

        String a = eventId(signed(first));
        String b = eventId(signed(resubmitted));

        awaitOutcome(a, "created");
        awaitEnrichCaughtUp();
        assertThat(deliveries(b)).isEmpty();
        assertThat(creates(phone)).isEqualTo(1);
    }

    @Test
    void theSameBodyWithoutSubmissionIdTwiceWritesHubSpotOnce() {
        String id = uniqueId();
        String email = "dup." + id + "@example.com";
        createAnswers(email, "64" + id);
        String body = fixture("form", "quote-request-email-only.json").replace("luis.ortega@example.com", email);
        Map<String, String> headers = Map.of("Content-Type", "application/json", "X-API-Key", API_KEY);

        String a = eventId(postWebhook(HOOLI, body, headers));
        String b = eventId(postWebhook(HOOLI, body, headers));

        awaitOutcome(a, "created");
        awaitEnrichCaughtUp();
        assertThat(deliveries(b)).isEmpty();
        assertThat(creates(email)).isEqualTo(1);
    }

    @Test
    void rejectsABadSignatureAndAWrongApiKeyWith401() {
        String body = contactForm(uniquePhone(), "x@example.com", "sub-" + uniqueId());
        HttpResponse<String> badSignature = assertNothingJournaled(() -> postWebhook(INITECH, body,
                Map.of("Content-Type", "application/json", "X-LeadHub-Signature", "sha256=" + hex("nope", body))));
        assertThat(badSignature.statusCode()).isEqualTo(401);
        assertThat(badSignature.body()).contains("\"field\":\"X-LeadHub-Signature\"");

        HttpResponse<String> wrongKey = assertNothingJournaled(() -> postWebhook(HOOLI, body,
                Map.of("Content-Type", "application/json", "X-API-Key", API_KEY + "x")));
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.body()).contains("\"field\":\"X-API-Key\"").doesNotContain(API_KEY);
        // the API key does not open the tenant that chose HMAC
        HttpResponse<String> keyOnHmacTenant = assertNothingJournaled(() -> postWebhook(INITECH, body,
                Map.of("Content-Type", "application/json", "X-API-Key", API_KEY)));
        assertThat(keyOnHmacTenant.statusCode()).isEqualTo(401);
    }

    @Test
    void rejectsALeadWithoutPhoneOrEmailWith400NamingBoth() {
        HttpResponse<String> response = assertNothingJournaled(
                () -> signed("{\"name\":\"Ann Lee\",\"message\":\"call me\"}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"phone|email\"");
    }

    @Test
    void rejectsMalformedJsonWith400() {
        HttpResponse<String> response = assertNothingJournaled(() -> signed("{\"name\": \"Ann\", "));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"body\"");
    }

    @Test
    void rejectsAnOversizeBodyWith413() {
        String body = contactForm(uniquePhone(), "x@example.com", "sub-" + uniqueId())
                .replace("\"message\": \"", "\"message\": \"" + "x".repeat(1024 * 1024));
        HttpResponse<String> response = assertNothingJournaled(() -> signed(body));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void rejectsANonJsonContentTypeWith415() {
        String body = contactForm(uniquePhone(), "x@example.com", "sub-" + uniqueId());
        HttpResponse<String> response = assertNothingJournaled(() -> postWebhook(INITECH, body,
                Map.of("Content-Type", "text/plain", "X-LeadHub-Signature", "sha256=" + hex(SECRET, body))));
        assertThat(response.statusCode()).isEqualTo(415);
    }
}
