package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operators' admin API and its JMX twin: dead letters (list, filter, replay one or many, discard), delivery
 * search, tenant status and the mapping preview.
 */
class AdminApiTest extends HubIntegrationTest {

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void hubSpotFindsNobody() {
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS + "/search")).atPriority(10).willReturn(okJson("{\"total\":0,\"results\":[]}")));
    }

    private JsonNode read(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Sends a lead HubSpot refuses with 400 and returns its dead letter id. */
    private long deadLetterFor(String phone) {
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withBody("{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\"}")));
        String eventId = eventId(postCallRail(postCallBody(phone)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(eventId).isEmpty());
        return jdbc.queryForObject("SELECT id FROM dead_letters WHERE event_id = ?", Long.class, eventId);
    }

    @Test
    void listsAndFiltersDeadLettersPaged() {
        long id = deadLetterFor(uniquePhone());

        JsonNode page = read(admin("GET", "/admin/dead-letters?tenant=acme&destination=hubspot-main&status=open&size=500", null));
        assertThat(page.path("page").asInt()).isZero();
        assertThat(page.path("size").asInt()).isEqualTo(500);
        assertThat(page.path("total").asLong()).isPositive();
        assertThat(page.path("items").findValuesAsText("id")).contains(String.valueOf(id));
        assertThat(read(admin("GET", "/admin/dead-letters?tenant=nobody", null)).path("total").asLong()).isZero();

        JsonNode one = read(admin("GET", "/admin/dead-letters/" + id, null));
        assertThat(one.path("http_status").asInt()).isEqualTo(400);
        assertThat(one.path("event").asText()).contains("\"tenant\":\"acme\"");
    }

    @Test
    void rejectsBadFiltersWithProblemJsonNamingTheField() {
        HttpResponse<String> response = admin("GET", "/admin/dead-letters?from=yesterday", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(read(response).path("field").asText()).isEqualTo("from");
        assertThat(read(admin("GET", "/admin/dead-letters?size=0", null)).path("field").asText()).isEqualTo("size");
        assertThat(admin("GET", "/admin/dead-letters/999999999", null).statusCode()).isEqualTo(404);
    }

    @Test
    void replayedDeadLetterIsDeliveredThroughTheNormalPath() {
        String phone = uniquePhone();
        long id = deadLetterFor(phone);
        // HubSpot accepts it now
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).atPriority(0)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":\"8801\"}")));

        HttpResponse<String> response = admin("POST", "/admin/dead-letters/" + id + "/replay", null);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(read(response).path("replayed").asInt()).isEqualTo(1);
        String eventId = jdbc.queryForObject("SELECT event_id FROM dead_letters WHERE id = ?", String.class, id);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
        assertThat(jdbc.queryForObject("SELECT status FROM dead_letters WHERE id = ?", String.class, id)).isEqualTo("replayed");
        assertThat(admin("POST", "/admin/dead-letters/" + id + "/replay", null).statusCode()).isEqualTo(409);
    }

    @Test
    void replaysEveryOpenDeadLetterMatchingAFilter() {
        String phone = uniquePhone();
        long id = deadLetterFor(phone);
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)).atPriority(0)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":\"8802\"}")));

        HttpResponse<String> response = admin("POST", "/admin/dead-letters/replay?tenant=acme&destination=hubspot-main", null);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(read(response).path("replayed").asInt()).isPositive();
        assertThat(jdbc.queryForObject("SELECT status FROM dead_letters WHERE id = ?", String.class, id)).isEqualTo("replayed");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !HUBSPOT.findAll(postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone))).isEmpty()
                        && jdbc.queryForObject("SELECT COUNT(*) FROM deliveries WHERE crm_record_id = '8802'", Integer.class) > 0);
    }

    @Test
    void discardNeedsAReasonAndRecordsIt() {
        long id = deadLetterFor(uniquePhone());

        HttpResponse<String> noReason = admin("POST", "/admin/dead-letters/" + id + "/discard", "{}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(read(noReason).path("field").asText()).isEqualTo("reason");

        HttpResponse<String> discarded = admin("POST", "/admin/dead-letters/" + id + "/discard",
                "{\"reason\":\"test lead, not a customer\"}");
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForMap("SELECT status, resolution FROM dead_letters WHERE id = ?", id))
                .containsEntry("status", "discarded").containsEntry("resolution", "test lead, not a customer");
        assertThat(admin("POST", "/admin/dead-letters/" + id + "/discard", "{\"reason\":\"again\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void findsDeliveriesByPhoneAndByCrmRecordId() {
        String phone = uniquePhone();
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":\"8803\"}")));
        String eventId = eventId(postCallRail(postCallBody(phone)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(eventId).isEmpty());

        JsonNode byPhone = read(admin("GET", "/admin/deliveries?tenant=acme&phone=" + phone.replace("+", "%2B"), null));
        assertThat(byPhone.path("items").findValuesAsText("event_id")).containsExactly(eventId);
        JsonNode byRecord = read(admin("GET", "/admin/deliveries?crmRecordId=8803", null));
        assertThat(byRecord.path("items").get(0).path("outcome").asText()).isEqualTo("created");
        assertThat(read(admin("GET", "/admin/deliveries?phone=12", null)).path("field").asText()).isEqualTo("phone");
    }

    @Test
    void listsWorkflowActionsByStatusWithoutTheStoredMessage() {
        String event = java.util.UUID.randomUUID().toString();
        java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
        jdbc.update("INSERT INTO workflow_actions (tenant, event_id, trigger_name, action, status, detail, due_at, "
                + "payload, created_at, updated_at) VALUES ('acme', ?, 'night', 'send_sms', 'deferred', 'quiet hours', "
                + "?, '{\"to\":\"+14045550000\"}', ?, ?)", event, now, now, now);
        jdbc.update("INSERT INTO workflow_actions (tenant, event_id, trigger_name, action, status, detail, created_at, "
                + "updated_at) VALUES ('acme', ?, 'hot', 'create_task', 'failed', 'HubSpot 403', ?, ?)", event, now, now);

        HttpResponse<String> response = admin("GET", "/admin/workflow-actions?eventId=" + event + "&status=failed", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = read(response);
        assertThat(page.path("total").asLong()).isEqualTo(1);
        assertThat(page.path("items").get(0).path("detail").asText()).isEqualTo("HubSpot 403");
        JsonNode all = read(admin("GET", "/admin/workflow-actions?eventId=" + event, null));
        assertThat(all.path("total").asLong()).isEqualTo(2);
        assertThat(all.toString()).doesNotContain("4045550000").doesNotContain("payload");
        assertThat(read(admin("GET", "/admin/workflow-actions?status=lost", null)).path("field").asText())
                .isEqualTo("status");
    }

    @Test
    void tenantStatusShowsFileRoutesAndErrors() {
        JsonNode all = read(admin("GET", "/admin/tenants", null));
        assertThat(all.findValuesAsText("tenant")).contains("acme", "globex", "broken");
        JsonNode acme = read(admin("GET", "/admin/tenants/acme", null));
        assertThat(acme.path("served").asBoolean()).isTrue();
        assertThat(acme.path("loadedAt").asText()).isNotBlank();
        assertThat(acme.path("destinations").get(0).path("route").asText()).isEqualTo("crm-dispatch-acme-hubspot-main");
        assertThat(acme.path("destinations").get(0).path("routeStatus").asText()).isEqualTo("Started");
        JsonNode broken = read(admin("GET", "/admin/tenants/broken", null));
        assertThat(broken.path("served").asBoolean()).isFalse();
        assertThat(broken.path("error").asText()).contains("broken.yaml:11:");
        assertThat(admin("GET", "/admin/tenants/nobody", null).statusCode()).isEqualTo(404);

        // the tenant's own LLM settings without the key, and its workflow triggers
        HttpResponse<String> llmco = admin("GET", "/admin/tenants/llmco", null);
        assertThat(read(llmco).path("llm").path("enabled").asBoolean()).isTrue();
        assertThat(read(llmco).path("llm").path("apiKey").asText()).isEqualTo("****");
        assertThat(llmco.body()).doesNotContain(E2E_LLM_API_KEY);
        assertThat(acme.path("llm").isNull()).isTrue();
        JsonNode trigger = read(admin("GET", "/admin/tenants/triggerco", null)).path("workflowTriggers").get(0);
        assertThat(trigger.path("name").asText()).isEqualTo("every_call");
        assertThat(trigger.path("actions").toString()).isEqualTo("[\"send_notification\",\"schedule_follow_up_call\"]");
    }

    @Test
    void previewShowsTheEnrichedLeadAndTheExactRequestsWithoutSendingAnything() {
        String phone = uniquePhone();
        int requestsBefore = HUBSPOT.getAllServeEvents().size();
        long deliveriesBefore = jdbc.queryForObject("SELECT COUNT(*) FROM deliveries", Long.class);

        HttpResponse<String> response = admin("POST", "/admin/tenants/acme/preview", postCallBody(phone));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode preview = read(response);
        assertThat(preview.path("lead").path("phone").asText()).isEqualTo(phone);
        assertThat(preview.path("ai").path("project_type").asText()).isEqualTo("kitchen");
        JsonNode hubspot = preview.path("destinations").get(0);
        assertThat(hubspot.path("id").asText()).isEqualTo("hubspot-main");
        assertThat(hubspot.path("properties").path("estimated_value").asInt()).isEqualTo(45000);
        assertThat(hubspot.path("requests").toString()).contains("/crm/v3/objects/contacts").contains("Bearer ****")
                .doesNotContain(ACME_HUBSPOT_TOKEN);
        assertThat(HUBSPOT.getAllServeEvents()).hasSize(requestsBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM deliveries", Long.class)).isEqualTo(deliveriesBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM contacts WHERE phone_e164 = ?", Integer.class, phone)).isZero();

        HttpResponse<String> bad = admin("POST", "/admin/tenants/acme/preview", "{\"id\":1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(read(bad).path("field").asText()).isEqualTo("customer_phone_number");
    }

    @Test
    void operationsMBeanOffersTheSameOperations() throws Exception {
        long id = deadLetterFor(uniquePhone());
        var server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.leadhub:type=Operations,name=leadhub");

        String list = (String) server.invoke(name, "listDeadLetters", new Object[] {"acme", "", "open"},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName()});
        assertThat(list).contains("\"id\":" + id);
        Boolean discarded = (Boolean) server.invoke(name, "discardDeadLetter", new Object[] {id, "via JMX"},
                new String[] {long.class.getName(), String.class.getName()});
        assertThat(discarded).isTrue();
        String status = (String) server.invoke(name, "tenantStatus", new Object[0], new String[0]);
        assertThat(status).contains("crm-dispatch-acme-hubspot-main").doesNotContain(ACME_HUBSPOT_TOKEN);
    }
}
