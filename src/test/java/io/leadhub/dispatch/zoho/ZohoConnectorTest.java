package io.leadhub.dispatch.zoho;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.leadhub.dispatch.http.CrmStubs.EMAIL;
import static io.leadhub.dispatch.http.CrmStubs.EVENT_ID;
import static io.leadhub.dispatch.http.CrmStubs.MAPPER;
import static io.leadhub.dispatch.http.CrmStubs.PHONE;
import static io.leadhub.dispatch.http.CrmStubs.assertNoSecret;
import static io.leadhub.dispatch.http.CrmStubs.fileNames;
import static io.leadhub.dispatch.http.CrmStubs.readJson;
import static io.leadhub.dispatch.http.CrmStubs.requestLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.MutableClock;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.CrmStubs;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

class ZohoConnectorTest {

    private static final String CLIENT_ID = "1000.CLIENTID123";
    private static final String CLIENT_SECRET = "zoho-client-SECRET-1";
    private static final String REFRESH_TOKEN = "1000.refresh.SECRET-2";
    private static final String ACCESS_TOKEN = "1000.access.SECRET-3";
    private static final String ACCESS_TOKEN_2 = "1000.access.SECRET-4";
    private static final String TOKEN_PATH = "/oauth/v2/token";
    private static final String UPSERT = "/crm/v8/Leads/upsert";

    private static final String RECORD = """
            {"First_Name":"Jane","Last_Name":"Doe","Phone":"+14045558514","Email":"jane.doe@example.com",
             "City":"Marietta","State":"GA","Country":"US","Lead_Source":"CallRail","AI_Lead_Score":85}""";
    private static final String UPSERT_BODY = """
            {"data":[%s],"duplicate_check_fields":["Phone","Email"],"trigger":["workflow"]}""".formatted(RECORD);

    /** Plays both the accounts server and the API domain. */
    private static WireMockServer zoho;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final ZohoConnector connector =
            new ZohoConnector(new OutboundHttp(RestClient.builder()), MAPPER, clock);

    @BeforeAll
    static void start() {
        zoho = new WireMockServer(options().dynamicPort());
        zoho.start();
    }

    @AfterAll
    static void stop() {
        zoho.stop();
    }

    @BeforeEach
    void reset() {
        zoho.resetAll();
    }

    // ---- token and create --------------------------------------------------------------------------

    @Test
    void typeIsZoho() {
        assertThat(connector.type()).isEqualTo("zoho");
    }

    @Test
    void fetchesAnAccessTokenThenUpsertsAtTheReturnedApiDomainAndReportsAnInsertAsCreated() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(201, result("insert", "5725767000000524157"))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "5725767000000524157"));
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST " + UPSERT);
        zoho.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withQueryParam("refresh_token", equalTo(REFRESH_TOKEN))
                .withQueryParam("client_id", equalTo(CLIENT_ID))
                .withQueryParam("client_secret", equalTo(CLIENT_SECRET))
                .withQueryParam("grant_type", equalTo("refresh_token")));
        zoho.verify(1, postRequestedFor(urlPathEqualTo(UPSERT))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + ACCESS_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalToJson(UPSERT_BODY)));
    }

    @Test
    void upsertThatMatchedAnExistingRecordIsReportedAsUpdated() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(200, result("update", "5725767000000524157"))));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "5725767000000524157"));
    }

    @Test
    void duplicateCheckFieldsFollowTheMatchFields() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(201, result("insert", "1"))));
        DuplicateDetection emailOnly = new DuplicateDetection(List.of("email"), DuplicateAction.UPDATE_EXISTING);

        connector.deliver(request(destination(emailOnly), null));

        JsonNode body = CrmStubs.requestBodies(zoho).get(1);
        assertThat(body.path("duplicate_check_fields").toString()).isEqualTo("[\"Email\"]");
    }

    @Test
    void theAccessTokenIsCachedUntilShortlyBeforeItExpires() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(201, result("insert", "1"))));

        connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));
        clock.advance(Duration.ofMinutes(58));
        connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST " + UPSERT, "POST " + UPSERT);

        clock.advance(Duration.ofMinutes(1)); // 59 min: within the one-minute margin
        connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST " + UPSERT, "POST " + UPSERT,
                "POST " + TOKEN_PATH, "POST " + UPSERT);
    }

    @Test
    void a401InvalidTokenFetchesANewTokenOnceAndRepeatsTheRequest() {
        zoho.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs(STARTED)
                .willReturn(okJson(tokenAnswer(ACCESS_TOKEN, 3600))).willSetStateTo("second"));
        zoho.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs("second")
                .willReturn(okJson(tokenAnswer(ACCESS_TOKEN_2, 3600))));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).withHeader("Authorization", equalTo("Zoho-oauthtoken " + ACCESS_TOKEN))
                .willReturn(json(401, "{\"code\":\"INVALID_TOKEN\",\"details\":{},\"message\":\"invalid oauth token\",\"status\":\"error\"}")));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).withHeader("Authorization", equalTo("Zoho-oauthtoken " + ACCESS_TOKEN_2))
                .willReturn(json(201, result("insert", "77"))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "77"));
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST " + UPSERT, "POST " + TOKEN_PATH,
                "POST " + UPSERT);
        zoho.verify(1, postRequestedFor(urlPathEqualTo(UPSERT)).withHeader("Authorization",
                equalTo("Zoho-oauthtoken " + ACCESS_TOKEN_2)).withRequestBody(equalToJson(UPSERT_BODY)));
    }

    @Test
    void aSecond401IsPermanent() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        String body = "{\"code\":\"INVALID_TOKEN\",\"details\":{},\"message\":\"invalid oauth token\",\"status\":\"error\"}";
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(401, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(requestLog(zoho)).hasSize(4);
        assertNoSecret(e, ACCESS_TOKEN);
    }

    @Test
    void tokenAnswerWithAnErrorIsPermanentWithoutSecrets() {
        stubToken("{\"error\":\"invalid_code\"}");

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.getMessage()).contains("refresh access token (POST /oauth/v2/token)", "invalid_code");
        assertNoSecret(e, REFRESH_TOKEN);
        assertNoSecret(e, CLIENT_SECRET);
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH);
    }

    @Test
    void baseUrlOverridesTheApiDomainOfTheToken() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600).replace(zoho.baseUrl(), "https://www.zohoapis.eu"));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(201, result("insert", "1"))));
        DestinationConfig destination = new DestinationConfig("zoho", "zoho", true, URI.create(zoho.baseUrl()),
                Secret.empty(), DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings());

        assertThat(connector.deliver(request(destination, null)).outcome()).isEqualTo(Outcome.CREATED);
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST " + UPSERT);
    }

    // ---- known record, skip, create ----------------------------------------------------------------

    @Test
    void knownRecordIsUpdatedById() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(put(urlPathEqualTo("/crm/v8/Leads/5725767000000524157")).willReturn(json(200, """
                {"data":[{"code":"SUCCESS","details":{"id":"5725767000000524157"},"message":"record updated","status":"success"}]}""")));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), "5725767000000524157"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "5725767000000524157"));
        zoho.verify(1, putRequestedFor(urlPathEqualTo("/crm/v8/Leads/5725767000000524157"))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + ACCESS_TOKEN))
                .withRequestBody(equalToJson("{\"data\":[" + RECORD + "],\"trigger\":[\"workflow\"]}")));
    }

    @Test
    void knownRecordThatNoLongerExistsFallsBackToTheUpsert() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(put(urlPathEqualTo("/crm/v8/Leads/999")).willReturn(json(400, """
                {"data":[{"code":"INVALID_DATA","details":{"api_name":"id"},"message":"the id given seems to be invalid","status":"error"}]}""")));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(201, result("insert", "1000"))));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT), "999")))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "1000"));
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "PUT /crm/v8/Leads/999", "POST " + UPSERT);
    }

    @Test
    void skipActionSearchesAndSkipsAHit() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(get(urlPathEqualTo("/crm/v8/Leads/search")).withQueryParam("phone", equalTo(PHONE))
                .willReturn(aResponse().withStatus(204)));
        zoho.stubFor(get(urlPathEqualTo("/crm/v8/Leads/search")).withQueryParam("email", equalTo(EMAIL))
                .willReturn(okJson("{\"data\":[{\"id\":\"42\",\"Email\":\"jane.doe@example.com\"}],\"info\":{\"count\":1}}")));
        DuplicateDetection skip = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.SKIP);

        assertThat(connector.deliver(request(destination(skip), null))).isEqualTo(new DeliveryResult(Outcome.SKIPPED, "42"));
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "GET /crm/v8/Leads/search",
                "GET /crm/v8/Leads/search");
    }

    @Test
    void createActionInsertsWithoutDuplicateCheck() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo("/crm/v8/Leads")).willReturn(json(201, result("insert", "5"))));
        DuplicateDetection create = new DuplicateDetection(List.of("phone"), DuplicateAction.CREATE);

        assertThat(connector.deliver(request(destination(create), null))).isEqualTo(new DeliveryResult(Outcome.CREATED, "5"));
        zoho.verify(1, postRequestedFor(urlPathEqualTo("/crm/v8/Leads"))
                .withRequestBody(equalToJson("{\"data\":[" + RECORD + "],\"trigger\":[\"workflow\"]}")));
    }

    // ---- errors ------------------------------------------------------------------------------------

    @Test
    void recordLevelErrorIsPermanentWithZohosBody() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        String body = """
                {"data":[{"code":"INVALID_DATA","details":{"api_name":"Email","json_path":"$.data[0].Email",\
                "expected_data_type":"email"},"message":"invalid data","status":"error"}]}""";
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(202, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(202);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("Zoho CRM upsert Leads (POST /crm/v8/Leads/upsert): HTTP 202 INVALID_DATA: "
                + "invalid data", "\"api_name\":\"Email\"");
    }

    @Test
    void mandatoryFieldMissingIn400IsPermanent() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(400, """
                {"data":[{"code":"MANDATORY_NOT_FOUND","details":{"api_name":"Last_Name"},"message":"required field not found","status":"error"}]}""")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("MANDATORY_NOT_FOUND", "Last_Name");
    }

    @Test
    void rateLimitedIsTransientWithRetryAfter() {
        stubToken(tokenAnswer(ACCESS_TOKEN, 3600));
        zoho.stubFor(post(urlPathEqualTo(UPSERT)).willReturn(json(429, """
                {"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}""")
                .withHeader("Retry-After", "30")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.getMessage()).contains("TOO_MANY_REQUESTS");
    }

    @Test
    void tokenEndpointOutageIsTransient() {
        zoho.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(503)));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.getMessage()).contains("refresh access token");
    }

    // ---- dry run -----------------------------------------------------------------------------------

    @Test
    void dryRunWritesTheUpsertWithTheTokenMaskedAndFetchesNoToken() {
        DestinationConfig destination = new DestinationConfig("zoho", "zoho", true, null, Secret.empty(), DryRun.ON,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), settings());

        DeliveryResult result = connector.deliver(request(destination, null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(zoho.getAllServeEvents()).isEmpty();
        Path dir = tmp.resolve("dry-run");
        assertThat(fileNames(dir)).containsExactly(EVENT_ID + "-01-upsert.json");
        JsonNode file = readJson(dir.resolve(EVENT_ID + "-01-upsert.json"));
        assertThat(file.path("method").asText()).isEqualTo("POST");
        assertThat(file.path("url").asText()).isEqualTo("https://www.zohoapis.com/crm/v8/Leads/upsert");
        assertThat(file.path("headers").path("Authorization").asText()).isEqualTo("Zoho-oauthtoken ****");
        assertThat(file.path("body")).isEqualTo(CrmStubs.json(UPSERT_BODY));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("client_id", CLIENT_ID);
        settings.put("client_secret", Secret.of(CLIENT_SECRET));
        settings.put("refresh_token", Secret.of(REFRESH_TOKEN));
        settings.put("accounts_url", zoho.baseUrl());
        return settings;
    }

    private DestinationConfig destination(DuplicateDetection detection) {
        return new DestinationConfig("zoho", "zoho", true, null, Secret.empty(), DryRun.OFF, detection,
                LeadMapping.empty(), settings());
    }

    private DeliveryRequest request(DestinationConfig destination, String known) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Lead_Source", "CallRail");
        properties.put("AI_Lead_Score", 85L);
        return new DeliveryRequest("acme", destination, EVENT_ID, properties, PHONE, EMAIL, known,
                tmp.resolve("dry-run"), CrmStubs.event());
    }

    private static void stubToken(String answer) {
        zoho.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(answer)));
    }

    private static String tokenAnswer(String accessToken, long expiresIn) {
        return """
                {"access_token":"%s","api_domain":"%s","token_type":"Bearer","expires_in":%d}"""
                .formatted(accessToken, zoho.baseUrl(), expiresIn);
    }

    private static String result(String action, String id) {
        return """
                {"data":[{"code":"SUCCESS","duplicate_field":%s,"action":"%s","details":{"Modified_Time":"2026-11-21T10:00:00-05:00",
                 "Modified_By":{"name":"Admin","id":"1"},"Created_Time":"2026-11-21T10:00:00-05:00","id":"%s",
                 "Created_By":{"name":"Admin","id":"1"}},"message":"record %s","status":"success"}]}"""
                .formatted(action.equals("update") ? "\"Phone\"" : "null", action, id,
                        action.equals("update") ? "updated" : "added");
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
