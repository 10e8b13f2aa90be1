package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadhub.dispatch.webhook.StandardWebhookSignature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A signed CallRail call is delivered as a Standard Webhooks message to two subscribers; one fails once, and the
 * redelivery reaches only that one, with the same webhook-id.
 */
class CallRailToWebhookTest extends HubIntegrationTest {

    @Test
    void enrichedLeadIsPostedSignedToEachSubscriberExactlyOnceDespiteARetry() throws Exception {
        String phone = uniquePhone();
        String scenario = "hook-b-" + phone;
        REST_STUB.stubFor(post(urlEqualTo("/hookco/subscriber-a")).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(204)));
        REST_STUB.stubFor(post(urlEqualTo("/hookco/subscriber-b")).withRequestBody(containing(phone))
                .inScenario(scenario).whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        REST_STUB.stubFor(post(urlEqualTo("/hookco/subscriber-b")).withRequestBody(containing(phone))
                .inScenario(scenario).whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)));

        String eventId = eventId(postCallRail("hookco", postCallBody(phone)));
        List<Map<String, Object>> rows = awaitDelivery(eventId, "delivered");

        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("failed", "delivered");
        assertThat((String) rows.get(0).get("error")).contains("1 of 2 subscriber(s) failed",
                "subscriber 2 (localhost): HTTP 503 (retried)");
        List<LoggedRequest> a = REST_STUB.findAll(postRequestedFor(urlEqualTo("/hookco/subscriber-a"))
                .withRequestBody(containing(phone)));
        List<LoggedRequest> b = REST_STUB.findAll(postRequestedFor(urlEqualTo("/hookco/subscriber-b"))
                .withRequestBody(containing(phone)));
        assertThat(a).hasSize(1);
        assertThat(b).hasSize(2);
        String webhookId = a.get(0).getHeader("webhook-id");
        assertThat(b).extracting(r -> r.getHeader("webhook-id")).containsOnly(webhookId);
        byte[] key = StandardWebhookSignature.decodeSecret(E2E_WEBHOOK_SECRET);
        for (LoggedRequest sent : List.of(a.get(0), b.get(0), b.get(1))) {
            assertThat(sent.getHeader("webhook-signature")).isEqualTo(StandardWebhookSignature.sign(key, webhookId,
                    Long.parseLong(sent.getHeader("webhook-timestamp")), sent.getBodyAsString()));
        }
        JsonNode payload = new ObjectMapper().readTree(a.get(0).getBodyAsString());
        assertThat(payload.path("type").asText()).isEqualTo("lead.enriched");
        assertThat(payload.at("/data/event_id").asText()).isEqualTo(eventId);
        assertThat(payload.at("/data/tenant").asText()).isEqualTo("hookco");
        assertThat(payload.at("/data/properties/phone").asText()).isEqualTo(phone);
        assertThat(payload.at("/data/properties/project").asText()).isEqualTo("kitchen");
        assertThat(payload.at("/data/lead/phone").asText()).isEqualTo(phone);
        assertThat(payload.at("/data/call/duration_seconds").asInt()).isEqualTo(247);
        assertThat(payload.at("/data/ai/lead_score").asInt()).isGreaterThanOrEqualTo(80);
    }
}
