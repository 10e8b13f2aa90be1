package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CallRail call becomes a HubSpot contact, end to end: real HTTP into the hub, the in-process Kafka, the
 * database, and a WireMock HubSpot.
 */
class CallRailToHubSpotTest extends HubIntegrationTest {

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final String SEARCH = "/crm/v3/objects/contacts/search";

    @BeforeEach
    void hubSpotFindsNobodyByDefault() {
        HUBSPOT.stubFor(post(urlEqualTo(SEARCH)).atPriority(10).willReturn(okJson("{\"total\":0,\"results\":[]}")));
    }

    private void createAnswers(String phone, String contactId) {
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + contactId + "\",\"properties\":{}}")));
    }

    private List<Map<String, Object>> awaitOutcome(String eventId, String outcome) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> outcome.equals(r.get("outcome"))));
        return deliveries(eventId);
    }

    @Test
    void signedPostCallCreatesHubSpotContactWithMappedCustomConditionalAndComputedProperties() {
        String phone = uniquePhone();
        createAnswers(phone, "7001");

        HttpResponse<String> response = postCallRail(postCallBody(phone));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
        String eventId = eventId(response);
        assertThat(eventId).matches("[0-9a-f-]{36}");
        List<Map<String, Object>> rows = awaitOutcome(eventId, "created");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("crm_record_id", "7001");

        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS))
                .withHeader("Authorization", equalTo("Bearer " + ACME_HUBSPOT_TOKEN))
                .withRequestBody(matchingJsonPath("$.properties.phone", equalTo(phone)))
                .withRequestBody(matchingJsonPath("$.properties.firstname", equalTo("Maria")))
                .withRequestBody(matchingJsonPath("$.properties.lastname", equalTo("Gonzalez")))
                .withRequestBody(matchingJsonPath("$.properties.city", equalTo("Marietta")))
                .withRequestBody(matchingJsonPath("$.properties.ai_project_type", equalTo("kitchen")))
                .withRequestBody(matchingJsonPath("$.properties[?(@.ai_lead_score >= 80)]"))
                .withRequestBody(matchingJsonPath("$.properties[?(@.first_call == true)]"))
                .withRequestBody(matchingJsonPath("$.properties.hs_lead_status", equalTo("OPEN_DEAL")))
                .withRequestBody(matchingJsonPath("$.properties[?(@.estimated_value == 45000)]"))
                .withRequestBody(matchingJsonPath("$.properties.lead_source_detail", equalTo("CallRail / Google Ads"))));
        // the contact index remembers the HubSpot id
        assertThat(jdbc.queryForObject("""
                SELECT x.crm_record_id FROM contact_crm_ids x JOIN contacts c ON c.id = x.contact_id
                WHERE c.tenant = 'acme' AND c.phone_e164 = ? AND x.destination_id = 'hubspot-main'""",
                String.class, phone)).isEqualTo("7001");
    }

    @Test
    void sameWebhookDeliveredTwiceCreatesOneContact() {
        String phone = uniquePhone();
        createAnswers(phone, "7002");
        String body = postCallBody(phone);

        String first = eventId(postCallRail(body));
        String second = eventId(postCallRail(body));

        awaitOutcome(first, "created");
        awaitEnrichCaughtUp();
        assertThat(deliveries(second)).isEmpty();
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)));
    }

    @Test
    void secondCallFromTheSamePhoneUpdatesTheContactInsteadOfCreating() {
        String phone = uniquePhone();
        createAnswers(phone, "7003");
        HUBSPOT.stubFor(patch(urlEqualTo(CONTACTS + "/7003"))
                .willReturn(okJson("{\"id\":\"7003\",\"properties\":{}}")));

        String first = eventId(postCallRail(postCallBody(phone)));
        awaitOutcome(first, "created");
        String second = eventId(postCallRail(postCallBody(phone)));
        List<Map<String, Object>> rows = awaitOutcome(second, "updated");

        assertThat(rows.get(0)).containsEntry("crm_record_id", "7003");
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)));
        HUBSPOT.verify(1, patchRequestedFor(urlEqualTo(CONTACTS + "/7003"))
                .withRequestBody(matchingJsonPath("$.properties.phone", equalTo(phone))));
    }

    @Test
    void hubSpot500Then500Then200IsDeliveredOnceWithThreeAttemptsRecorded() {
        String phone = uniquePhone();
        String scenario = "flaky-" + phone;
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(500).withBody("{\"status\":\"error\"}"))
                .willSetStateTo("second"));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).inScenario(scenario)
                .whenScenarioStateIs("second").willReturn(aResponse().withStatus(500).withBody("{\"status\":\"error\"}"))
                .willSetStateTo("third"));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).inScenario(scenario)
                .whenScenarioStateIs("third").willReturn(aResponse().withStatus(201)
                        .withHeader("Content-Type", "application/json").withBody("{\"id\":\"7004\"}")));

        String eventId = eventId(postCallRail(postCallBody(phone)));
        List<Map<String, Object>> rows = awaitOutcome(eventId, "created");

        assertThat(rows).extracting(r -> r.get("attempt"), r -> r.get("outcome"), r -> r.get("http_status"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "failed", 500),
                        org.assertj.core.groups.Tuple.tuple(2, "failed", 500),
                        org.assertj.core.groups.Tuple.tuple(3, "created", null));
        assertThat(deadLetters(eventId)).isEmpty();
        HUBSPOT.verify(3, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)));
    }

    @Test
    void hubSpot429WithRetryAfterWaitsThatLongThenSucceeds() {
        String phone = uniquePhone();
        String scenario = "limited-" + phone;
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"status\":\"error\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"))
                .willSetStateTo("open"));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).inScenario(scenario)
                .whenScenarioStateIs("open").willReturn(aResponse().withStatus(201)
                        .withHeader("Content-Type", "application/json").withBody("{\"id\":\"7005\"}")));

        String eventId = eventId(postCallRail(postCallBody(phone)));
        List<Map<String, Object>> rows = awaitOutcome(eventId, "created");

        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("failed", "created");
        assertThat(rows.get(0)).containsEntry("http_status", 429);
        List<ServeEvent> creates = HUBSPOT.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(CONTACTS) && e.getRequest().getBodyAsString().contains(phone))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
        assertThat(creates).hasSize(2);
        long waitedMs = creates.get(1).getRequest().getLoggedDate().getTime() - creates.get(0).getRequest().getLoggedDate().getTime();
        // the configured backoff would wait ~100 ms; Retry-After: 1 makes it wait a second
        assertThat(waitedMs).isGreaterThanOrEqualTo(900);
    }

    @Test
    void hubSpot400GoesToTheDeadLetterAtOnceWithHubSpotsErrorBody() {
        String phone = uniquePhone();
        String error = "{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":\"VALIDATION_ERROR\"}";
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(error)));
        long dlqBefore = endOffsets("leads.dlq");

        String eventId = eventId(postCallRail(postCallBody(phone)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(eventId).isEmpty());

        Map<String, Object> dead = deadLetters(eventId).get(0);
        assertThat(dead).containsEntry("tenant", "acme").containsEntry("destination_id", "hubspot-main")
                .containsEntry("route_id", "crm-dispatch-acme-hubspot-main")
                .containsEntry("error_type", "io.leadhub.dispatch.PermanentDeliveryException")
                .containsEntry("http_status", 400).containsEntry("attempts", 1)
                .containsEntry("response_body", error);
        assertThat(deliveries(eventId)).extracting(r -> r.get("outcome")).containsExactly("failed");
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)));
        await().atMost(Duration.ofSeconds(10)).until(() -> endOffsets("leads.dlq") > dlqBefore);
    }

    @Test
    void hubSpotAlways503GoesToTheDeadLetterAfterTheConfiguredAttempts() {
        String phone = uniquePhone();
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));

        String eventId = eventId(postCallRail(postCallBody(phone)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(eventId).isEmpty());

        // leadhub.retry.maximum-redeliveries=3 in the test profile: 4 attempts
        assertThat(deadLetters(eventId).get(0)).containsEntry("attempts", 4).containsEntry("http_status", 503)
                .containsEntry("error_type", "io.leadhub.dispatch.TransientDeliveryException");
        assertThat(deliveries(eventId)).extracting(r -> r.get("outcome")).containsExactly("failed", "failed", "failed", "failed");
        HUBSPOT.verify(4, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)));
    }

    /** Waits until the enrich consumer group has committed every record written to leads.inbound. */
    private void awaitEnrichCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers()))) {
                long committed = admin.listConsumerGroupOffsets("leadhub-enrich").partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals("leads.inbound") && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                return committed == endOffsets("leads.inbound");
            }
        });
    }
}
