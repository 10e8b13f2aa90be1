package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadhub.dispatch.salesforce.JwtTestKeys;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A CallRail call becomes a Salesforce Lead with a follow-up Task, end to end: a signed webhook into the running
 * hub, Kafka, the database, and camel-salesforce logging in with the JWT bearer flow to a WireMock org (tenant
 * {@code initrode}, it-mappings/initrode.yaml).
 */
class CallRailToSalesforceTest extends HubIntegrationTest {

    private static final String COMPOSITE = "/services/data/v56.0/composite";
    private static final String LEAD_ID = "00Q5e00000InItEAAA";

    @Test
    void signedPostCallBecomesSalesforceLeadUpsertedByPhoneWithAFollowUpTask() throws Exception {
        String phone = uniquePhone();
        String encodedPhone = "%2B" + phone.substring(1);
        SALESFORCE.stubFor(post(urlEqualTo("/services/oauth2/token")).willReturn(okJson("{\"access_token\":\"sf-e2e-token\","
                + "\"instance_url\":\"" + SALESFORCE.baseUrl() + "\",\"id\":\"https://login.salesforce.com/id/"
                + "00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\",\"scope\":\"api\"}")));
        SALESFORCE.stubFor(post(urlEqualTo(COMPOSITE)).withRequestBody(containing(encodedPhone)).willReturn(okJson(
                "{\"compositeResponse\":["
                        + "{\"body\":{\"id\":\"" + LEAD_ID + "\",\"success\":true,\"errors\":[],\"created\":true},"
                        + "\"httpHeaders\":{},\"httpStatusCode\":201,\"referenceId\":\"lead\"},"
                        + "{\"body\":{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"" + LEAD_ID + "\"},"
                        + "\"httpHeaders\":{},\"httpStatusCode\":200,\"referenceId\":\"leadId\"},"
                        + "{\"body\":{\"id\":\"00T5e00000InItEAAA\",\"success\":true,\"errors\":[]},"
                        + "\"httpHeaders\":{},\"httpStatusCode\":201,\"referenceId\":\"task\"}]}")));
        LocalDate dueBefore = LocalDate.now(ZoneId.of("America/New_York")).plusDays(2);
        String body = postCallBody(phone);

        HttpResponse<String> response = postCallRail("initrode", body, sign(INITRODE_CALLRAIL_KEY, body),
                "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        String eventId = eventId(response);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
        LocalDate dueAfter = LocalDate.now(ZoneId.of("America/New_York")).plusDays(2);
        assertThat(deliveries(eventId)).singleElement().satisfies(row ->
                assertThat(row).containsEntry("outcome", "created").containsEntry("crm_record_id", LEAD_ID));

        // the JWT bearer login: signed with the tenant's keystore, iss/sub from its file, aud = the login URL
        List<LoggedRequest> logins = SALESFORCE.findAll(postRequestedFor(urlEqualTo("/services/oauth2/token")));
        assertThat(logins).isNotEmpty();
        Map<String, String> form = Arrays.stream(logins.get(0).getBodyAsString().split("&"))
                .map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0],
                        p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        String jwt = form.get("assertion");
        JsonNode claims = new ObjectMapper().readTree(JwtTestKeys.decodePart(jwt, 1));
        assertThat(claims.path("iss").asText()).isEqualTo("3MVG9initrode.test.consumer.key");
        assertThat(claims.path("sub").asText()).isEqualTo("integration@initrode.test");
        assertThat(claims.path("aud").asText()).isEqualTo(SALESFORCE.baseUrl());
        assertThat(JwtTestKeys.verifiesRs256(jwt, JwtTestKeys.publicKey(INITRODE_SF_KEYSTORE,
                INITRODE_SF_KEYSTORE_PASSWORD))).isTrue();

        // one allOrNone composite: upsert by the external id, read back its Id, the Task on that Lead
        String lead = "/services/data/v56.0/sobjects/Lead/LeadHub_Phone__c/" + encodedPhone;
        SALESFORCE.verify(1, postRequestedFor(urlEqualTo(COMPOSITE))
                .withHeader("Authorization", equalTo("Bearer sf-e2e-token"))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(matchingJsonPath("$.allOrNone", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[0].method", equalTo("PATCH")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[0].url", equalTo(lead)))
                .withRequestBody(matchingJsonPath("$.compositeRequest[0].body.FirstName", equalTo("Maria")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[0].body.LastName", equalTo("Gonzalez")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[0].body.Phone", equalTo(phone)))
                .withRequestBody(matchingJsonPath("$.compositeRequest[0].body.Rating", equalTo("Hot")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[1].url", equalTo(lead + "?fields=Id")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[2].url",
                        equalTo("/services/data/v56.0/sobjects/Task")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[2].body.WhoId", equalTo("@{leadId.Id}")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[2].body.Subject", equalTo("Call back new lead")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[2].body.Priority", equalTo("High")))
                .withRequestBody(matchingJsonPath("$.compositeRequest[2].body.Description", containing("quartz"))));
        JsonNode composite = new ObjectMapper().readTree(SALESFORCE.findAll(postRequestedFor(urlEqualTo(COMPOSITE))
                .withRequestBody(containing(encodedPhone))).get(0).getBodyAsString());
        assertThat(composite.at("/compositeRequest/0/body").has("LeadHub_Phone__c")).isFalse();
        assertThat(composite.at("/compositeRequest/2/body/ActivityDate").asText())
                .isIn(dueBefore.toString(), dueAfter.toString());

        // the contact index remembers the Lead id for the next call from this phone
        assertThat(jdbc.queryForObject("""
                SELECT x.crm_record_id FROM contact_crm_ids x JOIN contacts c ON c.id = x.contact_id
                WHERE c.tenant = 'initrode' AND c.phone_e164 = ? AND x.destination_id = 'salesforce-main'""",
                String.class, phone)).isEqualTo(LEAD_ID);
    }
}
