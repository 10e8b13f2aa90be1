package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A signed CallRail call becomes a record in each of the Pipedrive, Zoho CRM, Dynamics 365 and monday.com
 * destinations, end to end: real HTTP into the hub, the in-process Kafka, the database, the tenant's CEL mapping,
 * and the CRM (with its token endpoint) played by the shared WireMock {@link #CRM_STUB}. Tenants:
 * {@code src/test/resources/it-mappings/crm-*.yaml}.
 */
class CallRailToCrmTypesTest extends HubIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void signedCallBecomesAPipedrivePersonWithAnOpenDealAndATranscriptNote() {
        String phone = uniquePhone();
        long personId = Long.parseLong(phone.substring(5));
        CRM_STUB.stubFor(get(urlPathEqualTo("/v1/persons/search")).withQueryParam("term", equalTo(phone))
                .willReturn(okJson("{\"success\":true,\"data\":{\"items\":[]}}")));
        CRM_STUB.stubFor(post(urlPathEqualTo("/v1/persons")).withRequestBody(containing(phone))
                .willReturn(created("{\"success\":true,\"data\":{\"id\":" + personId + "}}")));
        CRM_STUB.stubFor(post(urlPathEqualTo("/v1/deals")).withRequestBody(matchingJsonPath("$.person_id", equalTo("" + personId)))
                .willReturn(created("{\"success\":true,\"data\":{\"id\":" + (personId + 1) + "}}")));
        CRM_STUB.stubFor(post(urlPathEqualTo("/v1/notes")).withRequestBody(matchingJsonPath("$.person_id", equalTo("" + personId)))
                .willReturn(created("{\"success\":true,\"data\":{\"id\":" + (personId + 2) + "}}")));

        String eventId = deliverCall("crm-pipedrive", phone);

        assertThat(createdRecord(eventId)).isEqualTo(String.valueOf(personId));
        CRM_STUB.verify(1, getRequestedFor(urlPathEqualTo("/v1/persons/search")).withQueryParam("term", equalTo(phone))
                .withQueryParam("fields", equalTo("phone")).withQueryParam("exact_match", equalTo("true"))
                .withQueryParam("api_token", equalTo(CRM_STUB_SECRET)));
        JsonNode person = body(one("/v1/persons", phone));
        assertThat(person.path("name").asText()).isEqualTo("Maria Gonzalez");
        assertThat(person.path("phone").toString())
                .isEqualTo("[{\"value\":\"" + phone + "\",\"primary\":true,\"label\":\"work\"}]");
        assertThat(person.path("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678").asInt()).isGreaterThanOrEqualTo(80);
        JsonNode deal = body(one("/v1/deals", "\"person_id\":" + personId));
        assertThat(deal.path("title").asText()).isEqualTo("Maria Gonzalez - kitchen");
        assertThat(deal.path("value").asInt()).isEqualTo(45000);
        assertThat(deal.path("currency").asText()).isEqualTo("USD");
        assertThat(deal.path("pipeline_id").asInt()).isEqualTo(3);
        assertThat(deal.path("stage_id").asInt()).isEqualTo(11);
        JsonNode note = body(one("/v1/notes", "\"person_id\":" + personId));
        assertThat(note.path("content").asText()).startsWith("<b>Call transcript</b><br>Agent: Thanks for calling Peachtree")
                .endsWith("LeadHub event " + eventId);
        assertThat(note.path("deal_id").asLong()).isEqualTo(personId + 1);
    }

    @Test
    void signedCallIsUpsertedIntoZohoLeadsWithARefreshedAccessTokenAtTheReturnedApiDomain() {
        String phone = uniquePhone();
        String recordId = "57257670" + phone.substring(5);
        CRM_STUB.stubFor(post(urlPathEqualTo("/oauth/v2/token")).willReturn(okJson("""
                {"access_token":"1000.it-access-token","api_domain":"%s","token_type":"Bearer","expires_in":3600}"""
                .formatted(CRM_STUB.baseUrl()))));
        CRM_STUB.stubFor(post(urlPathEqualTo("/crm/v8/Leads/upsert")).withRequestBody(containing(phone))
                .willReturn(created("""
                        {"data":[{"code":"SUCCESS","duplicate_field":null,"action":"insert","details":{"id":"%s"},
                         "message":"record added","status":"success"}]}""".formatted(recordId))));

        String eventId = deliverCall("crm-zoho", phone);

        assertThat(createdRecord(eventId)).isEqualTo(recordId);
        CRM_STUB.verify(postRequestedFor(urlPathEqualTo("/oauth/v2/token"))
                .withQueryParam("grant_type", equalTo("refresh_token")).withQueryParam("client_id", equalTo("1000.ITCLIENT"))
                .withQueryParam("refresh_token", equalTo(CRM_STUB_SECRET))
                .withQueryParam("client_secret", equalTo(CRM_STUB_SECRET)));
        LoggedRequest upsert = one("/crm/v8/Leads/upsert", phone);
        assertThat(upsert.getHeader("Authorization")).isEqualTo("Zoho-oauthtoken 1000.it-access-token");
        JsonNode body = body(upsert);
        JsonNode record = body.path("data").path(0);
        assertThat(record.path("Phone").asText()).isEqualTo(phone);
        assertThat(record.path("Last_Name").asText()).isEqualTo("Gonzalez");
        assertThat(record.path("First_Name").asText()).isEqualTo("Maria");
        assertThat(record.path("Lead_Source").asText()).isEqualTo("CallRail");
        assertThat(record.path("Description").asText()).startsWith("Caller wants a full kitchen remodel");
        assertThat(record.path("AI_Lead_Score").asInt()).isGreaterThanOrEqualTo(80);
        assertThat(body.path("duplicate_check_fields").toString()).isEqualTo("[\"Phone\",\"Email\"]");
        assertThat(body.path("trigger").toString()).isEqualTo("[\"workflow\"]");
    }

    @Test
    void signedCallBecomesADynamicsLeadWithAClientCredentialsToken() {
        String phone = uniquePhone();
        String guid = "7d577253-3ef0-4a0a-bb7f-0" + phone.substring(1);
        CRM_STUB.stubFor(post(urlPathEqualTo("/it-tenant/oauth2/v2.0/token")).willReturn(okJson("""
                {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ.it-dataverse-token"}""")));
        CRM_STUB.stubFor(get(urlPathEqualTo("/api/data/v9.2/leads"))
                .withQueryParam("$filter", equalTo("telephone1 eq '" + phone + "'")).willReturn(okJson("{\"value\":[]}")));
        CRM_STUB.stubFor(post(urlPathEqualTo("/api/data/v9.2/leads")).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(204)
                        .withHeader("OData-EntityId", CRM_STUB.baseUrl() + "/api/data/v9.2/leads(" + guid + ")")));

        String eventId = deliverCall("crm-dynamics", phone);

        assertThat(createdRecord(eventId)).isEqualTo(guid);
        CRM_STUB.verify(postRequestedFor(urlPathEqualTo("/it-tenant/oauth2/v2.0/token"))
                .withRequestBody(equalTo("grant_type=client_credentials&client_id=it-client&client_secret="
                        + CRM_STUB_SECRET + "&scope=https%3A%2F%2Fit.crm.dynamics.com%2F.default")));
        LoggedRequest create = one("/api/data/v9.2/leads", phone);
        assertThat(create.getHeader("Authorization")).isEqualTo("Bearer eyJ.it-dataverse-token");
        assertThat(create.getHeader("OData-MaxVersion")).isEqualTo("4.0");
        assertThat(create.getHeader("OData-Version")).isEqualTo("4.0");
        JsonNode row = body(create);
        assertThat(row.path("subject").asText()).isEqualTo("Maria Gonzalez - kitchen");
        assertThat(row.path("lastname").asText()).isEqualTo("Gonzalez");
        assertThat(row.path("telephone1").asText()).isEqualTo(phone);
        assertThat(row.path("address1_city").asText()).isEqualTo("Marietta");
        assertThat(row.path("description").asText()).startsWith("Caller wants a full kitchen remodel");
        assertThat(row.path("cr8a1_aileadscore").asInt()).isGreaterThanOrEqualTo(80);
    }

    @Test
    void signedCallBecomesAMondayItemCreatedThroughGraphQlVariables() {
        String phone = uniquePhone();
        String itemId = "88" + phone.substring(5);
        CRM_STUB.stubFor(post(urlPathEqualTo("/v2")).withRequestBody(containing("items_page_by_column_values"))
                .withRequestBody(matchingJsonPath("$.variables.value", equalTo(phone)))
                .willReturn(okJson("{\"data\":{\"items_page_by_column_values\":{\"items\":[]}}}")));
        CRM_STUB.stubFor(post(urlPathEqualTo("/v2")).withRequestBody(matchingJsonPath("$.query", containing("create_item(")))
                .withRequestBody(containing(phone))
                .willReturn(okJson("{\"data\":{\"create_item\":{\"id\":\"" + itemId + "\"}},\"account_id\":1}")));

        String eventId = deliverCall("crm-monday", phone);

        assertThat(createdRecord(eventId)).isEqualTo(itemId);
        LoggedRequest create = CRM_STUB.findAll(postRequestedFor(urlPathEqualTo("/v2"))
                .withRequestBody(containing("create_item(")).withRequestBody(containing(phone))).get(0);
        assertThat(create.getHeader("Authorization")).isEqualTo(CRM_STUB_SECRET);
        assertThat(create.getHeader("API-Version")).isEqualTo("2026-10");
        JsonNode variables = body(create).path("variables");
        assertThat(variables.path("board").asText()).isEqualTo("4242");
        assertThat(variables.path("group").asText()).isEqualTo("new_leads");
        assertThat(variables.path("name").asText()).isEqualTo("Maria Gonzalez");
        JsonNode columns = parse(variables.path("columns").asText());
        assertThat(columns.path("phone").toString()).isEqualTo("{\"phone\":\"" + phone + "\",\"countryShortName\":\"US\"}");
        assertThat(columns.path("text_project").asText()).isEqualTo("kitchen");
        assertThat(columns.path("status").path("label").asText()).isEqualTo("Hot");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private String deliverCall(String tenant, String phone) {
        String body = postCallBody(phone);
        HttpResponse<String> response = postCallRail(tenant, body, sign(ACME_CALLRAIL_KEY, body), "application/json");
        assertThat(response.statusCode()).isEqualTo(202);
        return eventId(response);
    }

    /** Waits for the delivery and returns the CRM record id the deliveries table recorded. */
    private String createdRecord(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
        List<Map<String, Object>> rows = deliveries(eventId);
        assertThat(rows).hasSize(1);
        return (String) rows.get(0).get("crm_record_id");
    }

    /** @return the one POST to the path whose body contains the text */
    private static LoggedRequest one(String path, String bodyContains) {
        List<LoggedRequest> requests = CRM_STUB.findAll(postRequestedFor(urlPathEqualTo(path))
                .withRequestBody(containing(bodyContains)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static JsonNode body(LoggedRequest request) {
        return parse(request.getBodyAsString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String body) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(body);
    }
}
