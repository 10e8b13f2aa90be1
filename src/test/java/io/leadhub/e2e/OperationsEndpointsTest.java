package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus metrics and health groups as an operator (or Prometheus / Kubernetes) sees them. */
class OperationsEndpointsTest extends HubIntegrationTest {

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void prometheusExportsWebhookDeliveryDeadLetterAndLagMetrics() throws Exception {
        String phone = uniquePhone();
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(10)
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":\"8901\"}")));
        String eventId = eventId(postCallRail(postCallBody(phone)));
        String body = postCallBody(uniquePhone());
        postCallRail("acme", body, sign("wrong", body), "application/json");
        await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(eventId).isEmpty());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = get("/actuator/prometheus");
            assertThat(metrics)
                    .contains("leadhub_webhooks_received_total{source=\"callrail\",tenant=\"acme\"}")
                    .contains("leadhub_webhooks_rejected_total{reason=\"bad_signature\",source=\"callrail\",tenant=\"acme\"}")
                    .contains("leadhub_events_enriched_total{source=\"callrail\",tenant=\"acme\"}")
                    .contains("leadhub_deliveries_total{destination=\"hubspot-main\",outcome=\"created\",tenant=\"acme\"}")
                    .contains("leadhub_delivery_duration_seconds_count{destination=\"hubspot-main\",tenant=\"acme\"}")
                    .contains("leadhub_consumer_lag_records{group=\"leadhub-dispatch-acme-hubspot-main\"")
                    .contains("leadhub_tenant_file_errors")
                    .contains("camel_exchanges_total")
                    .contains("resilience4j_circuitbreaker_state{name=\"acme/hubspot-main\",state=\"closed\"}");
        });
        // every LeadHub metric the Grafana dashboard and the alert rules query is exported
        String metrics = get("/actuator/prometheus");
        String dashboards = Files.readString(Path.of("ops/grafana/dashboards/leadhub.json"))
                + Files.readString(Path.of("ops/prometheus/alerts.yml"));
        Matcher used = Pattern.compile("leadhub_[a-z_]+").matcher(dashboards);
        while (used.find()) {
            assertThat(metrics).as("metric " + used.group() + " used by ops/ dashboards and alerts").contains(used.group());
        }
    }

    @Test
    void healthHasLivenessAndReadinessGroupsIncludingKafkaAndDatabase() throws Exception {
        assertThat(get("/actuator/health/liveness")).contains("\"status\":\"UP\"");
        String readiness = get("/actuator/health/readiness");
        assertThat(readiness).contains("\"status\":\"UP\"");
        String health = get("/actuator/health");
        assertThat(health).contains("\"status\":\"UP\"");
    }
}
