package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contact lookup and call context APIs, end to end: a CallRail call is enriched and delivered to HubSpot (WireMock),
 * then the tenant API answers from the contact index, the deliveries and the call history.
 */
class ContactApiTest extends HubIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeEach
    void hubSpotFindsNobodyByDefault() {
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(10)
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
    }

    private HttpResponse<String> get(String path, String apiKey, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String lookupPath(String tenant, String phone) {
        return "/api/tenants/" + tenant + "/contacts/lookup?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts one call for {@code phone} and waits until HubSpot record {@code recordId} was created for it. */
    private void deliveredCall(String phone, String recordId) {
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + recordId + "\",\"properties\":{}}")));
        String eventId = eventId(postCallRail(postCallBody(phone)));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
    }

    @Test
    void lookupByPhoneReturnsContactCrmIdsInteractionsAndLatestAnalysis() {
        String phone = uniquePhone();
        deliveredCall(phone, "8101");

        // national format in the tenant's default region finds the E.164 contact
        HttpResponse<String> response = get(lookupPath("acme", "(" + phone.substring(2, 5) + ") "
                + phone.substring(5, 8) + "-" + phone.substring(8)), ACME_API_KEY, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.at("/contact/phone").asText()).isEqualTo(phone);
        assertThat(body.at("/contact/firstName").asText()).isEqualTo("Maria");
        assertThat(body.at("/contact/interactions").asInt()).isEqualTo(1);
        assertThat(body.at("/crmIds/hubspot-main").asText()).isEqualTo("8101");
        assertThat(body.at("/lastInteractions/0/outcome").asText()).isEqualTo("created");
        assertThat(body.at("/lastInteractions/0/crmRecordId").asText()).isEqualTo("8101");
        assertThat(body.at("/latestAnalysis/project_type").asText()).isEqualTo("kitchen");
        assertThat(body.at("/latestAnalysis/analyzer").asText()).isEqualTo("rules");
    }

    @Test
    void contextIsJsonByDefaultAndReadyTextOnRequest() {
        String phone = uniquePhone();
        deliveredCall(phone, "8102");
        String id = json(get(lookupPath("acme", phone), ACME_API_KEY, null)).at("/contact/id").asText();
        String path = "/api/tenants/acme/contacts/" + id + "/context";

        HttpResponse<String> asJson = get(path, ACME_API_KEY, null);
        assertThat(asJson.statusCode()).isEqualTo(200);
        JsonNode context = json(asJson);
        assertThat(context.at("/lead/phone").asText()).isEqualTo(phone);
        assertThat(context.at("/callObjective").asText()).isNotBlank();
        assertThat(context.at("/attempts").asInt()).isEqualTo(1);
        assertThat(context.at("/previousCalls").size()).isEqualTo(1);
        assertThat(context.at("/previousCalls/0/summary").asText()).isNotBlank();
        assertThat(context.at("/preferences/projectType").asText()).isEqualTo("kitchen");
        assertThat(context.at("/text").asText()).startsWith("Lead: Maria");

        HttpResponse<String> asText = get(path + "?format=text", ACME_API_KEY, null);
        assertThat(asText.statusCode()).isEqualTo(200);
        assertThat(asText.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(asText.body()).startsWith("Lead: Maria").contains("Phone: " + phone).contains("Objective: ")
                .contains("Previous calls:");
        assertThat(get(path, ACME_API_KEY, "text/plain").body()).isEqualTo(asText.body());
    }

    @Test
    void missingOrWrongApiKeyIs401ProblemJson() {
        for (String key : new String[] {null, "wrong-key", ""}) {
            HttpResponse<String> response = get(lookupPath("acme", uniquePhone()), key, null);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                    assertThat(v).contains("application/problem+json"));
            assertThat(json(response).path("field").asText()).isEqualTo("X-API-Key");
            assertThat(response.body()).doesNotContain(ACME_API_KEY);
        }
        // globex has no api_keys: its API is closed
        assertThat(get(lookupPath("globex", uniquePhone()), ACME_API_KEY, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/tenants/acme/contacts/x/context", "wrong-key", null).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownTenantContactOrBadPhoneAreProblems() {
        HttpResponse<String> tenant = get(lookupPath("nosuchtenant", uniquePhone()), ACME_API_KEY, null);
        assertThat(tenant.statusCode()).isEqualTo(404);
        assertThat(json(tenant).path("field").asText()).isEqualTo("tenant");

        assertThat(get(lookupPath("acme", uniquePhone()), ACME_API_KEY, null).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get(lookupPath("acme", "not a phone"), ACME_API_KEY, null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("field").asText()).isEqualTo("phone");
        assertThat(get("/api/tenants/acme/contacts/00000000-0000-0000-0000-000000000000/context", ACME_API_KEY, null)
                .statusCode()).isEqualTo(404);
    }
}
