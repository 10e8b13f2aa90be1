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
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Click-to-call ({@code POST /api/tenants/{tenant}/calls}) through real HTTP against a WireMock Twilio REST API:
 * the Calls request twilio-java sends, the answers, Twilio's errors as problem+json, and the status callbacks of
 * the placed call becoming the lead in HubSpot.
 */
class TwilioClickToCallTest extends TwilioHubTest {

    private static final String CALLS = "/2010-04-01/Accounts/" + INITECH_TWILIO_ACCOUNT_SID + "/Calls.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void hubSpotFindsNobodyByDefault() {
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(10)
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
    }

    private static String to(String phone) {
        return "To=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
    }

    private void twilioCreates(String lead, String callSid) {
        TWILIO.stubFor(post(urlEqualTo(CALLS)).withRequestBody(containing(to(lead)))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"sid": "%s", "account_sid": "%s", "to": "%s", "from": "+15125550100", "status": "queued",
                         "direction": "outbound-api", "api_version": "2010-04-01",
                         "date_created": "Fri, 20 Nov 2026 16:00:00 +0000", "price_unit": "USD",
                         "uri": "/2010-04-01/Accounts/%s/Calls/%s.json"}""".formatted(callSid,
                        INITECH_TWILIO_ACCOUNT_SID, lead, INITECH_TWILIO_ACCOUNT_SID, callSid))));
    }

    private void twilioFails(String lead, int status, String body) {
        TWILIO.stubFor(post(urlEqualTo(CALLS)).withRequestBody(containing(to(lead)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private HttpResponse<String> clickToCall(String tenant, String body, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return postHub("/api/tenants/" + tenant + "/calls", body, "application/json", headers);
    }

    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String part : body.split("&")) {
            String[] kv = part.split("=", 2);
            params.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return params;
    }

    private static ServeEvent callRequestFor(String lead) {
        return TWILIO.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(CALLS) && e.getRequest().getBodyAsString().contains(to(lead)))
                .findFirst().orElseThrow();
    }

    @Test
    void placesTheCallThroughTheTwilioApiAndAnswers201WithTheCallSid() throws Exception {
        String lead = uniquePhone();
        String callSid = newSid("CA");
        twilioCreates(lead, callSid);

        HttpResponse<String> response = clickToCall("initech", "{\"lead_phone\": \"" + lead + "\"}",
                INITECH_CLICK_TO_CALL_TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("callSid").asText()).isEqualTo(callSid);
        assertThat(answer.path("status").asText()).isEqualTo("queued");
        assertThat(answer.path("agent").asText()).isEqualTo("+15125550123");

        ServeEvent call = callRequestFor(lead);
        assertThat(call.getRequest().getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((INITECH_TWILIO_ACCOUNT_SID + ":" + INITECH_TWILIO_AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
        Map<String, List<String>> params = form(call.getRequest().getBodyAsString());
        assertThat(params.get("To")).containsExactly(lead);
        assertThat(params.get("From")).containsExactly("+15125550100");
        assertThat(params.get("StatusCallback")).containsExactly("https://hub.initech.test/webhooks/twilio/initech/status");
        assertThat(params.get("StatusCallbackMethod")).containsExactly("POST");
        assertThat(params.get("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered", "completed");
        String twiml = params.get("Twiml").get(0);
        assertThat(twiml).contains("<Dial", "record=\"record-from-answer-dual\"",
                "recordingStatusCallback=\"https://hub.initech.test/webhooks/twilio/initech/recording?lead_phone="
                        + URLEncoder.encode(lead, StandardCharsets.UTF_8) + "\"",
                "<Number>+15125550123</Number>");
    }

    @Test
    void anAgentInTheRequestIsDialledInsteadOfTheTenantsAgentNumber() {
        String lead = uniquePhone();
        twilioCreates(lead, newSid("CA"));

        HttpResponse<String> response = clickToCall("initech", "{\"lead_phone\": \"(404) " + lead.substring(5, 8) + "-"
                + lead.substring(8) + "\", \"agent\": \"+1 512 555 0199\"}", INITECH_CLICK_TO_CALL_TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"to\":\"" + lead + "\"", "\"agent\":\"+15125550199\"");
        assertThat(form(callRequestFor(lead).getRequest().getBodyAsString()).get("Twiml").get(0))
                .contains("<Number>+15125550199</Number>");
    }

    @Test
    void statusCallbacksOfThePlacedCallMakeTheLeadInHubSpot() {
        String lead = uniquePhone();
        String callSid = newSid("CA");
        twilioCreates(lead, callSid);
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(containing(lead))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"8201\"}")));
        assertThat(clickToCall("initech", "{\"lead_phone\": \"" + lead + "\"}", INITECH_CLICK_TO_CALL_TOKEN)
                .statusCode()).isEqualTo(201);

        Map<String, String> initiated = fixture("status-outbound-initiated");
        initiated.replaceAll((k, v) -> v.replace("CA9e8d7c6b5a4938271605f4e3d2c1b0a9", callSid).replace(FIXTURE_CALLER, lead));
        HttpResponse<String> callback = postInitech("status", initiated);

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(204);
        String eventId = twilioEventId(callback);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/contacts"))
                .withRequestBody(containing("\"phone\":\"" + lead + "\""))
                .withRequestBody(containing("\"twilio_call_sid\":\"" + callSid + "\"")));
    }

    @Test
    void twilioRefusingTheLeadsNumberIs400NamingLeadPhoneWithTwiliosCode() throws Exception {
        String lead = uniquePhone();
        twilioFails(lead, 400, "{\"code\": 21211, \"message\": \"Invalid 'To' Phone Number: " + lead + "\","
                + " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");

        HttpResponse<String> response = clickToCall("initech", "{\"lead_phone\": \"" + lead + "\"}",
                INITECH_CLICK_TO_CALL_TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("field").asText()).isEqualTo("lead_phone");
        assertThat(problem.path("twilio_code").asInt()).isEqualTo(21211);
        assertThat(problem.path("twilio_status").asInt()).isEqualTo(400);
        assertThat(problem.path("more_info").asText()).isEqualTo("https://www.twilio.com/docs/errors/21211");
        assertThat(problem.path("detail").asText()).contains("Invalid 'To' Phone Number").doesNotContain(lead);
    }

    @Test
    void otherTwilioErrorsAre502WithTwiliosCode() throws Exception {
        String lead = uniquePhone();
        twilioFails(lead, 401, "{\"code\": 20003, \"message\": \"Authenticate\","
                + " \"more_info\": \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}");

        HttpResponse<String> response = clickToCall("initech", "{\"lead_phone\": \"" + lead + "\"}",
                INITECH_CLICK_TO_CALL_TOKEN);

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asText()).isEqualTo("Twilio error");
        assertThat(problem.path("twilio_code").asInt()).isEqualTo(20003);
        assertThat(problem.path("twilio_status").asInt()).isEqualTo(401);
        assertThat(response.body()).doesNotContain(INITECH_TWILIO_AUTH_TOKEN);
    }

    @Test
    void twilioServerErrorsAndBrokenConnectionsAre502() throws Exception {
        String failing = uniquePhone();
        String empty = uniquePhone();
        String unreachable = uniquePhone();
        twilioFails(failing, 500, "{\"code\": 20500, \"message\": \"Internal Server Error\","
                + " \"more_info\": \"https://www.twilio.com/docs/errors/20500\", \"status\": 500}");
        TWILIO.stubFor(post(urlEqualTo(CALLS)).withRequestBody(containing(to(empty)))
                .willReturn(aResponse().withStatus(503)));
        TWILIO.stubFor(post(urlEqualTo(CALLS)).withRequestBody(containing(to(unreachable)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> serverError = clickToCall("initech", "{\"lead_phone\": \"" + failing + "\"}",
                INITECH_CLICK_TO_CALL_TOKEN);
        HttpResponse<String> noBody = clickToCall("initech", "{\"lead_phone\": \"" + empty + "\"}",
                INITECH_CLICK_TO_CALL_TOKEN);
        HttpResponse<String> reset = clickToCall("initech", "{\"lead_phone\": \"" + unreachable + "\"}",
                INITECH_CLICK_TO_CALL_TOKEN);

        assertThat(serverError.statusCode()).as(serverError.body()).isEqualTo(502);
        assertThat(JSON.readTree(serverError.body()).path("twilio_code").asInt()).isEqualTo(20500);
        assertThat(JSON.readTree(serverError.body()).path("twilio_status").asInt()).isEqualTo(500);
        assertThat(noBody.statusCode()).as(noBody.body()).isEqualTo(502);
        assertThat(noBody.body()).contains("without a readable error body");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(502);
        assertThat(reset.body()).contains("could not be reached");
    }

    @Test
    void invalidRequestsAre400NamingTheField() {
        HttpResponse<String> invalidPhone = clickToCall("initech", "{\"lead_phone\": \"12\"}", INITECH_CLICK_TO_CALL_TOKEN);
        HttpResponse<String> missingPhone = clickToCall("initech", "{\"agent\": \"+15125550199\"}", INITECH_CLICK_TO_CALL_TOKEN);
        HttpResponse<String> invalidAgent = clickToCall("initech", "{\"lead_phone\": \"+14045550111\", \"agent\": \"call me\"}",
                INITECH_CLICK_TO_CALL_TOKEN);
        HttpResponse<String> notJson = clickToCall("initech", "lead_phone=+14045550111", INITECH_CLICK_TO_CALL_TOKEN);
        HttpResponse<String> notJsonType = postHub("/api/tenants/initech/calls", "{\"lead_phone\": \"+14045550111\"}",
                "text/plain", Map.of("Authorization", "Bearer " + INITECH_CLICK_TO_CALL_TOKEN));

        assertThat(invalidPhone.statusCode()).isEqualTo(400);
        assertThat(invalidPhone.body()).contains("\"field\":\"lead_phone\"");
        assertThat(missingPhone.statusCode()).isEqualTo(400);
        assertThat(missingPhone.body()).contains("\"field\":\"lead_phone\"");
        assertThat(invalidAgent.statusCode()).isEqualTo(400);
        assertThat(invalidAgent.body()).contains("\"field\":\"agent\"");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"field\":\"body\"");
        assertThat(notJsonType.statusCode()).isEqualTo(415);
    }

    @Test
    void unknownTenantOrTenantWithoutClickToCallIs404AndAWrongTokenIs401() {
        HttpResponse<String> unknown = clickToCall("nobody", "{\"lead_phone\": \"+14045550111\"}", "x");
        HttpResponse<String> notEnabled = clickToCall("umbrella", "{\"lead_phone\": \"+14045550111\"}", "x");
        HttpResponse<String> wrongToken = clickToCall("initech", "{\"lead_phone\": \"+14045550111\"}", "not-the-token");
        HttpResponse<String> noToken = clickToCall("initech", "{\"lead_phone\": \"+14045550111\"}", null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"field\":\"tenant\"");
        assertThat(notEnabled.statusCode()).isEqualTo(404);
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("\"field\":\"Authorization\"");
        TWILIO.verify(0, postRequestedFor(urlEqualTo(CALLS)).withRequestBody(containing(to("+14045550111"))));
    }
}
