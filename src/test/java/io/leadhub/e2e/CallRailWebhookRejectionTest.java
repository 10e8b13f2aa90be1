package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Webhooks the hub must refuse: each answer is problem+json with the right status, and nothing reaches Kafka
 * (the end offsets of {@code leads.inbound} do not move) or the spool.
 */
class CallRailWebhookRejectionTest extends HubIntegrationTest {

    private HttpResponse<String> assertNothingJournaled(java.util.function.Supplier<HttpResponse<String>> call) {
        long before = endOffsets("leads.inbound");
        int spooled = jdbc.queryForObject("SELECT COUNT(*) FROM inbound_spool", Integer.class);
        HttpResponse<String> response = call.get();
        assertThat(endOffsets("leads.inbound")).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_spool", Integer.class)).isEqualTo(spooled);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        return response;
    }

    @Test
    void rejectsCallRailWebhookWithBadSignatureWith401() {
        String body = postCallBody(uniquePhone());
        HttpResponse<String> response = assertNothingJournaled(
                () -> postCallRail("acme", body, sign("wrong-key", body), "application/json"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"status\":401").contains("\"field\":\"Signature\"")
                .doesNotContain(ACME_CALLRAIL_KEY);
    }

    @Test
    void rejectsCallRailWebhookWithoutSignatureWith401() {
        String body = postCallBody(uniquePhone());
        HttpResponse<String> response = assertNothingJournaled(() -> postCallRail("acme", body, null, "application/json"));
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void rejectsMalformedJsonWith400ProblemNamingTheBody() {
        String body = "{\"id\": 766970532, \"customer_phone_number\": ";
        HttpResponse<String> response = assertNothingJournaled(
                () -> postCallRail("acme", body, sign(ACME_CALLRAIL_KEY, body), "application/json"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"body\"").contains("not valid JSON");
    }

    @Test
    void rejectsPayloadWithoutCustomerPhoneNumberWith400NamingTheField() {
        String body = "{\"id\": 766970532, \"customer_name\": \"MARIA GONZALEZ\"}";
        HttpResponse<String> response = assertNothingJournaled(
                () -> postCallRail("acme", body, sign(ACME_CALLRAIL_KEY, body), "application/json"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"customer_phone_number\"");
    }

    @Test
    void unknownTenantIs404() {
        String body = postCallBody(uniquePhone());
        HttpResponse<String> response = assertNothingJournaled(
                () -> postCallRail("nobody", body, sign(ACME_CALLRAIL_KEY, body), "application/json"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"field\":\"tenant\"");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String padding = "x".repeat(1024 * 1024);
        String body = postCallBody(uniquePhone()).replace("\"note\": null", "\"note\": \"" + padding + "\"");
        HttpResponse<String> response = assertNothingJournaled(
                () -> postCallRail("acme", body, sign(ACME_CALLRAIL_KEY, body), "application/json"));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("1048576");
    }

    @Test
    void nonJsonContentTypeIs415() {
        String body = postCallBody(uniquePhone());
        HttpResponse<String> response = assertNothingJournaled(
                () -> postCallRail("acme", body, sign(ACME_CALLRAIL_KEY, body), "text/plain"));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("\"field\":\"Content-Type\"");
    }
}
