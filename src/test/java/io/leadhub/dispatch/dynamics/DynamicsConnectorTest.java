package io.leadhub.dispatch.dynamics;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
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

class DynamicsConnectorTest {

    private static final String TENANT_ID = "8f2c1a7e-1111-2222-3333-444455556666";
    private static final String CLIENT_ID = "0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff";
    private static final String CLIENT_SECRET = "entra+secret&SECRET=1";
    private static final String ACCESS_TOKEN = "eyJ0eXAi.access.SECRET-2";
    private static final String ACCESS_TOKEN_2 = "eyJ0eXAi.access.SECRET-3";
    private static final String TOKEN_PATH = "/" + TENANT_ID + "/oauth2/v2.0/token";
    private static final String API = "/api/data/v9.2";
    private static final String GUID = "7d577253-3ef0-4a0a-bb7f-8335c2596e70";
    private static final String RESOURCE = "https://contoso.crm.dynamics.com";

    private static final String LEAD_ROW = """
            {"subject":"Jane Doe - kitchen","firstname":"Jane","lastname":"Doe","telephone1":"+14045558514",
             "emailaddress1":"jane.doe@example.com","address1_city":"Marietta","address1_stateorprovince":"GA",
             "address1_country":"US","leadsourcecode":8}""";

    /** Plays both Entra ID and the Dataverse environment. */
    private static WireMockServer dataverse;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final DynamicsConnector connector =
            new DynamicsConnector(new OutboundHttp(RestClient.builder()), MAPPER, clock);

    @BeforeAll
    static void start() {
        dataverse = new WireMockServer(options().dynamicPort());
        dataverse.start();
    }

    @AfterAll
    static void stop() {
        dataverse.stop();
    }

    @BeforeEach
    void reset() {
        dataverse.resetAll();
    }

    // ---- token and create --------------------------------------------------------------------------

    @Test
    void typeIsDynamics() {
        assertThat(connector.type()).isEqualTo("dynamics");
    }

    @Test
    void fetchesAClientCredentialsTokenSearchesThenCreatesTheLeadAndReadsTheGuidFromODataEntityId() {
        stubToken(ACCESS_TOKEN);
        stubSearch("telephone1", "+14045558514", "[]");
        stubSearch("emailaddress1", EMAIL, "[]");
        dataverse.stubFor(post(urlEqualTo(API + "/leads")).willReturn(aResponse().withStatus(204)
                .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/leads(" + GUID + ")")));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, GUID));
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "GET " + API + "/leads",
                "GET " + API + "/leads", "POST " + API + "/leads");
        dataverse.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=client_credentials&client_id=" + CLIENT_ID
                        + "&client_secret=entra%2Bsecret%26SECRET%3D1"
                        + "&scope=https%3A%2F%2Fcontoso.crm.dynamics.com%2F.default")));
        dataverse.verify(1, odata(getRequestedFor(urlPathEqualTo(API + "/leads")))
                .withQueryParam("$select", equalTo("leadid"))
                .withQueryParam("$filter", equalTo("telephone1 eq '+14045558514'"))
                .withQueryParam("$top", equalTo("1")));
        dataverse.verify(1, odata(getRequestedFor(urlPathEqualTo(API + "/leads")))
                .withQueryParam("$filter", equalTo("emailaddress1 eq 'jane.doe@example.com'")));
        dataverse.verify(1, odata(postRequestedFor(urlEqualTo(API + "/leads")))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("If-Match", absent())
                .withRequestBody(equalToJson(LEAD_ROW)));
    }

    @Test
    void updatesTheLeadFoundByPhoneWithIfMatchStar() {
        stubToken(ACCESS_TOKEN);
        stubSearch("telephone1", "+14045558514", "[{\"leadid\":\"" + GUID + "\"}]");
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")")).willReturn(aResponse().withStatus(204)));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, GUID));
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "GET " + API + "/leads",
                "PATCH " + API + "/leads(" + GUID + ")");
        dataverse.verify(1, odata(patchRequestedFor(urlEqualTo(API + "/leads(" + GUID + ")")))
                .withHeader("If-Match", equalTo("*")).withRequestBody(equalToJson(LEAD_ROW)));
    }

    @Test
    void knownRowIsUpdatedWithoutASearchAndAGoneRowFallsBackToSearchAndCreate() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")")).willReturn(aResponse().withStatus(204)));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, GUID));
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "PATCH " + API + "/leads(" + GUID + ")");

        dataverse.resetRequests();
        String gone = "11111111-2222-3333-4444-555555555555";
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + gone + ")")).willReturn(json(404,
                "{\"error\":{\"code\":\"0x80040217\",\"message\":\"lead With Id = " + gone + " Does Not Exist\"}}")));
        stubSearch("telephone1", "+14045558514", "[]");
        stubSearch("emailaddress1", EMAIL, "[]");
        dataverse.stubFor(post(urlEqualTo(API + "/leads")).willReturn(aResponse().withStatus(204)
                .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/leads(" + GUID + ")")));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), gone)))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, GUID));
        assertThat(requestLog(dataverse)).containsExactly("PATCH " + API + "/leads(" + gone + ")",
                "GET " + API + "/leads", "GET " + API + "/leads", "POST " + API + "/leads");
    }

    // ---- alternate key upsert ----------------------------------------------------------------------

    @Test
    void alternateKeyUpsertsTheContactByEmailAndReports201AsCreated() {
        stubToken(ACCESS_TOKEN);
        String path = API + "/contacts(emailaddress1='jane.doe@example.com')";
        dataverse.stubFor(patch(urlPathEqualTo(path)).willReturn(json(201, "{\"contactid\":\"" + GUID + "\"}")));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT, contactSettings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, GUID));
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "PATCH " + path);
        dataverse.verify(1, odata(patchRequestedFor(urlPathEqualTo(path)))
                .withQueryParam("$select", equalTo("contactid"))
                .withHeader("Prefer", equalTo("return=representation"))
                .withHeader("If-Match", absent()).withHeader("If-None-Match", absent())
                .withRequestBody(equalToJson("""
                        {"firstname":"Jane","lastname":"Doe","telephone1":"+14045558514",
                         "emailaddress1":"jane.doe@example.com","address1_city":"Marietta",
                         "address1_stateorprovince":"GA","address1_country":"US","leadsourcecode":8}""")));
    }

    @Test
    void alternateKeyUpsertAnswered200IsAnUpdate() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlPathEqualTo(API + "/contacts(emailaddress1='jane.doe@example.com')"))
                .willReturn(json(200, "{\"contactid\":\"" + GUID + "\"}")));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT, contactSettings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, GUID));
    }

    @Test
    void alternateKeyWithSkipCreatesOnlyAndSkipsAnExistingRow() {
        stubToken(ACCESS_TOKEN);
        String path = API + "/contacts(emailaddress1='jane.doe@example.com')";
        dataverse.stubFor(patch(urlPathEqualTo(path)).willReturn(json(412,
                "{\"error\":{\"code\":\"0x80060892\",\"message\":\"A record with matching key values already exists.\"}}")));
        dataverse.stubFor(get(urlPathEqualTo(path)).willReturn(okJson("{\"contactid\":\"" + GUID + "\"}")));
        DuplicateDetection skip = new DuplicateDetection(List.of("email"), DuplicateAction.SKIP);

        assertThat(connector.deliver(request(destination(skip, contactSettings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.SKIPPED, GUID));
        dataverse.verify(1, patchRequestedFor(urlPathEqualTo(path)).withHeader("If-None-Match", equalTo("*")));
        dataverse.verify(1, odata(getRequestedFor(urlPathEqualTo(path))).withQueryParam("$select", equalTo("contactid")));
    }

    @Test
    void quotesInSearchValuesAreDoubledAsODataRequires() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(get(urlPathEqualTo(API + "/leads")).willReturn(okJson("{\"value\":[]}")));
        dataverse.stubFor(post(urlEqualTo(API + "/leads")).willReturn(aResponse().withStatus(204)
                .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/leads(" + GUID + ")")));
        DeliveryRequest request = new DeliveryRequest("acme", destination(
                new DuplicateDetection(List.of("email"), DuplicateAction.UPDATE_EXISTING), settings()), EVENT_ID,
                Map.of(), PHONE, "o'brien@example.com", null, tmp, CrmStubs.event());

        connector.deliver(request);

        dataverse.verify(1, getRequestedFor(urlPathEqualTo(API + "/leads"))
                .withQueryParam("$filter", equalTo("emailaddress1 eq 'o''brien@example.com'")));
    }

    // ---- token caching and refresh -----------------------------------------------------------------

    @Test
    void theTokenIsCachedAcrossDeliveries() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")")).willReturn(aResponse().withStatus(204)));

        connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID));
        clock.advance(Duration.ofMinutes(30));
        connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID));

        dataverse.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
        dataverse.verify(2, patchRequestedFor(urlEqualTo(API + "/leads(" + GUID + ")"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN)));
    }

    @Test
    void a401FetchesANewTokenOnceAndRepeatsTheRequest() {
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs(STARTED)
                .willReturn(okJson(tokenAnswer(ACCESS_TOKEN))).willSetStateTo("second"));
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs("second")
                .willReturn(okJson(tokenAnswer(ACCESS_TOKEN_2))));
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN)).willReturn(aResponse().withStatus(401)));
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN_2)).willReturn(aResponse().withStatus(204)));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, GUID));
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "PATCH " + API + "/leads(" + GUID + ")",
                "POST " + TOKEN_PATH, "PATCH " + API + "/leads(" + GUID + ")");
    }

    @Test
    void aSecond401IsPermanent() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")")).willReturn(json(401,
                "{\"error\":{\"code\":\"0x80072560\",\"message\":\"The user is not a member of the organization.\"}}")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("0x80072560", "not a member of the organization");
        assertThat(requestLog(dataverse)).hasSize(4);
        assertNoSecret(e, ACCESS_TOKEN);
    }

    @Test
    void invalidClientSecretIsPermanentWithoutTheSecret() {
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(json(401, """
                {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: 1",
                 "error_codes":[7000215]}""")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("client credentials token", "invalid_client", "AADSTS7000215");
        assertNoSecret(e, CLIENT_SECRET);
    }

    // ---- errors ------------------------------------------------------------------------------------

    @Test
    void serviceProtection429IsTransientWaitingRetryAfter() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + GUID + ")")).willReturn(json(429, """
                {"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""")
                .withHeader("Retry-After", "5")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), GUID)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("Dynamics 365 update leads (PATCH /api/data/v9.2/leads(" + GUID
                + ")): HTTP 429 0x80072322: Number of requests exceeded");
    }

    @Test
    void validationErrorIsPermanentWithTheBody() {
        stubToken(ACCESS_TOKEN);
        stubSearch("telephone1", "+14045558514", "[]");
        stubSearch("emailaddress1", EMAIL, "[]");
        String body = """
                {"error":{"code":"0x80048d19","message":"Error identified in Payload provided by the user for Entity :'leads', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: Does not support untyped value in non-open type."}}""";
        dataverse.stubFor(post(urlEqualTo(API + "/leads")).willReturn(json(400, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).startsWith("Dynamics 365 create leads (POST /api/data/v9.2/leads): HTTP 400 0x80048d19");
    }

    // ---- dry run -----------------------------------------------------------------------------------

    @Test
    void dryRunWritesSearchesAndCreateWithTheTokenMaskedAndFetchesNoToken() {
        DestinationConfig destination = new DestinationConfig("d365", "dynamics", true, URI.create(RESOURCE),
                Secret.empty(), DryRun.ON, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings());

        assertThat(connector.deliver(request(destination, null))).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(dataverse.getAllServeEvents()).isEmpty();
        Path dir = tmp.resolve("dry-run");
        assertThat(fileNames(dir)).containsExactly(EVENT_ID + "-01-search-phone.json",
                EVENT_ID + "-02-search-email.json", EVENT_ID + "-03-create.json");
        JsonNode search = readJson(dir.resolve(EVENT_ID + "-01-search-phone.json"));
        assertThat(search.path("url").asText()).isEqualTo(RESOURCE + API
                + "/leads?$select=leadid&$filter=telephone1%20eq%20%27%2B14045558514%27&$top=1");
        JsonNode create = readJson(dir.resolve(EVENT_ID + "-03-create.json"));
        assertThat(create.path("headers")).isEqualTo(CrmStubs.json("""
                {"Authorization":"Bearer ****","OData-MaxVersion":"4.0","OData-Version":"4.0",
                 "Accept":"application/json","Content-Type":"application/json"}"""));
        assertThat(create.path("body")).isEqualTo(CrmStubs.json(LEAD_ROW));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tenant_id", TENANT_ID);
        settings.put("client_id", CLIENT_ID);
        settings.put("client_secret", Secret.of(CLIENT_SECRET));
        settings.put("auth_url", dataverse.baseUrl());
        settings.put("resource", RESOURCE);
        return settings;
    }

    private Map<String, Object> contactSettings() {
        Map<String, Object> settings = settings();
        settings.put("entity_set", "contacts");
        settings.put("alternate_key", "emailaddress1");
        return settings;
    }

    private DestinationConfig destination(DuplicateDetection detection, Map<String, Object> settings) {
        return new DestinationConfig("d365", "dynamics", true, URI.create(dataverse.baseUrl()), Secret.empty(),
                DryRun.OFF, detection, LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination, String known) {
        return new DeliveryRequest("acme", destination, EVENT_ID, Map.of("leadsourcecode", 8L), PHONE, EMAIL, known,
                tmp.resolve("dry-run"), CrmStubs.event());
    }

    private static void stubToken(String accessToken) {
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(tokenAnswer(accessToken))));
    }

    private static String tokenAnswer(String accessToken) {
        return """
                {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"%s"}""".formatted(accessToken);
    }

    private static void stubSearch(String column, String value, String rows) {
        dataverse.stubFor(get(urlPathEqualTo(API + "/leads"))
                .withQueryParam("$filter", equalTo(column + " eq '" + value + "'"))
                .willReturn(okJson("{\"@odata.context\":\"" + dataverse.baseUrl() + API
                        + "/$metadata#leads(leadid)\",\"value\":" + rows + "}")));
    }

    private static RequestPatternBuilder odata(RequestPatternBuilder pattern) {
        return pattern.withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withHeader("OData-MaxVersion", equalTo("4.0"))
                .withHeader("OData-Version", equalTo("4.0"))
                .withHeader("Accept", equalTo("application/json"));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
