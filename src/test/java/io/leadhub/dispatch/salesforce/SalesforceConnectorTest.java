package io.leadhub.dispatch.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantChange;
import io.leadhub.tenant.TenantConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Salesforce connector through the real camel-salesforce component (Jetty client, JWT bearer login) against a
 * WireMock org: token endpoint and REST API on one stub, which the login answer names as {@code instance_url}.
 */
class SalesforceConnectorTest {

    private static final String PASSWORD = "keystore-SECRET-pw";
    private static final String CLIENT_ID = "3MVG9test.consumer.key";
    private static final String USERNAME = "integration@acme.test";
    private static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";
    private static final String PHONE = "+14045558514";
    private static final String EMAIL = "jane.doe@example.com";
    private static final String LEAD_ID = "00Q5e00000AbCdEAAA";
    private static final String TASK_ID = "00T5e00000XyZabAAA";
    private static final String ORG_ID_URL = "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA";

    private static final String TOKEN = "/services/oauth2/token";
    private static final String DATA = "/services/data/v56.0";
    private static final String QUERY = DATA + "/query/";
    private static final String COMPOSITE = DATA + "/composite";
    private static final String PHONE_SOQL = "SELECT Id FROM Lead WHERE Phone = '+14045558514' AND IsConverted = false "
            + "ORDER BY LastModifiedDate DESC LIMIT 1";
    private static final String EMAIL_SOQL = "SELECT Id FROM Lead WHERE Email = 'jane.doe@example.com' AND "
            + "IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1";

    private static final String LEAD_BODY = """
            {"FirstName":"Jane","LastName":"Doe","Company":"[not provided]","Phone":"+14045558514",
             "Email":"jane.doe@example.com","LeadSource":"Phone Inquiry"}""";
    /** Tenant zone New York, clock 2026-11-21T02:30Z: today is 2026-11-20, due in 1 day = 2026-11-21. */
    private static final String TASK_DEFAULTS = """
            "Subject":"Follow up on LeadHub call","Status":"Not Started","Priority":"Normal",
            "ActivityDate":"2026-11-21","Description":"Caller wants a kitchen remodel." """;
    private static final String NO_RECORDS = """
            {"totalSize":0,"done":true,"records":[]}""";

    @TempDir
    static Path keys;
    private static Path keystore;
    private static PublicKey publicKey;
    private static WireMockServer salesforce;
    private static DefaultCamelContext camel;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private SalesforceOrgs orgs;
    private SalesforceConnector connector;
    private String destinationId;

    @BeforeAll
    static void start() {
        keystore = JwtTestKeys.createKeystore(keys.resolve("salesforce-jwt.p12"), PASSWORD);
        publicKey = JwtTestKeys.publicKey(keystore, PASSWORD);
        salesforce = new WireMockServer(options().dynamicPort());
        salesforce.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        salesforce.stop();
    }

    @BeforeEach
    void setUp(TestInfo test) {
        salesforce.resetAll();
        stubToken(tokenAnswer("tok-1"));
        salesforce.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        orgs = new SalesforceOrgs(camel, Optional.empty());
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T02:30:00Z"), ZoneId.of("UTC"));
        connector = new SalesforceConnector(orgs, mapper, tenant -> ZoneId.of("America/New_York"), clock);
        // one destination (and so one component and one login) per test
        destinationId = "sf-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
    }

    @AfterEach
    void removeComponent() {
        orgs.remove("acme", destinationId);
    }

    // ---- login -----------------------------------------------------------------------------------

    @Test
    void typeIsSalesforce() {
        assertThat(connector.type()).isEqualTo("salesforce");
    }

    @Test
    void logsInWithSignedJwtBearerAssertionAndSendsItsTokenAsBearer() throws IOException {
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));

        connector.deliver(request(destination(Map.of()), null));

        List<ServeEvent> tokenRequests = served(TOKEN);
        assertThat(tokenRequests).hasSize(1);
        Map<String, String> form = form(tokenRequests.get(0).getRequest().getBodyAsString());
        assertThat(tokenRequests.get(0).getRequest().getHeader("Content-Type"))
                .startsWith("application/x-www-form-urlencoded");
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .containsEntry("client_id", CLIENT_ID).containsEntry("format", "json").containsKey("assertion");
        String jwt = form.get("assertion");
        assertThat(JwtTestKeys.decodePart(jwt, 0)).isEqualTo("{\"alg\":\"RS256\"}");
        JsonNode claims = mapper.readTree(JwtTestKeys.decodePart(jwt, 1));
        assertThat(claims.path("iss").asText()).isEqualTo(CLIENT_ID);
        assertThat(claims.path("sub").asText()).isEqualTo(USERNAME);
        assertThat(claims.path("aud").asText()).isEqualTo(salesforce.baseUrl());
        // camel-salesforce writes exp as a JSON string: now + 270 s
        assertThat(claims.path("exp").isTextual()).isTrue();
        assertThat(Long.parseLong(claims.path("exp").asText()))
                .isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 300);
        assertThat(JwtTestKeys.verifiesRs256(jwt, publicKey)).isTrue();
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "GET " + QUERY + " " + PHONE_SOQL,
                "POST " + COMPOSITE);
        salesforce.verify(getRequestedFor(urlPathEqualTo(QUERY)).withHeader("Authorization", equalTo("Bearer tok-1")));
        salesforce.verify(withJsonHeaders(postRequestedFor(urlEqualTo(COMPOSITE)), "tok-1"));
    }

    @Test
    void jwtAudienceSettingReplacesTheLoginUrlAsAud() throws IOException {
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));

        connector.deliver(request(destination(Map.of("jwt_audience", "https://test.salesforce.com")), null));

        String jwt = form(served(TOKEN).get(0).getRequest().getBodyAsString()).get("assertion");
        assertThat(mapper.readTree(JwtTestKeys.decodePart(jwt, 1)).path("aud").asText())
                .isEqualTo("https://test.salesforce.com");
    }

    @Test
    void componentIsCreatedOncePerDestinationAndLogsInOnce() {
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));
        DestinationConfig destination = destination(Map.of());

        connector.deliver(request(destination, null));
        connector.deliver(request(destination, null));

        assertThat(served(TOKEN)).hasSize(1);
        assertThat(orgs.componentNames()).containsExactly("salesforce-acme-" + destinationId);
        assertThat(camel.hasComponent("salesforce-acme-" + destinationId)).isNotNull();
    }

    @Test
    void changedLoginSettingsReplaceTheComponentAndLogInAgain() {
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));

        connector.deliver(request(destination(Map.of()), null));
        connector.deliver(request(destination(Map.of("username", "other@acme.test")), null));

        assertThat(served(TOKEN)).hasSize(2);
        assertThat(orgs.componentNames()).containsExactly("salesforce-acme-" + destinationId);
        // the replaced component was stopped, which revokes its token
        salesforce.verify(1, getRequestedFor(urlPathEqualTo("/services/oauth2/revoke")));
    }

    @Test
    void componentOfADestinationRemovedFromTheTenantFileIsStopped() {
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));
        DestinationConfig destination = destination(Map.of());
        connector.deliver(request(destination, null));
        TenantConfig unchanged = new TenantConfig("acme", Path.of("acme.yaml"), "US", ZoneId.of("UTC"), Map.of(),
                Map.of(), List.of(destination), List.of(), Instant.now());
        TenantConfig without = new TenantConfig("acme", Path.of("acme.yaml"), "US", ZoneId.of("UTC"), Map.of(),
                Map.of(), List.of(), List.of(), Instant.now());

        orgs.onTenantChange(new TenantChange(Set.of(), Set.of("acme"), Set.of()), t -> Optional.of(unchanged));
        assertThat(orgs.componentNames()).containsExactly("salesforce-acme-" + destinationId);

        orgs.onTenantChange(new TenantChange(Set.of(), Set.of("acme"), Set.of()), t -> Optional.of(without));
        assertThat(orgs.componentNames()).isEmpty();
        assertThat(camel.hasComponent("salesforce-acme-" + destinationId)).isNull();
        assertThat(camel.getEndpoints()).noneMatch(e -> e.getEndpointUri().startsWith("salesforce-acme-"));
    }

    @Test
    void expiredSessionLogsInAgainOnceAndRetriesTheRequest() {
        salesforce.resetAll();
        salesforce.stubFor(post(urlEqualTo(TOKEN)).inScenario("login").whenScenarioStateIs(STARTED)
                .willReturn(okJson(tokenAnswer("tok-1"))).willSetStateTo("second"));
        salesforce.stubFor(post(urlEqualTo(TOKEN)).inScenario("login").whenScenarioStateIs("second")
                .willReturn(okJson(tokenAnswer("tok-2"))));
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        salesforce.stubFor(post(urlEqualTo(COMPOSITE)).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]")));
        salesforce.stubFor(post(urlEqualTo(COMPOSITE)).withHeader("Authorization", equalTo("Bearer tok-2"))
                .willReturn(okJson(compositeAnswer(lead(204, null), task(201)))));

        DeliveryResult result = connector.deliver(request(destination(Map.of()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, LEAD_ID));
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "GET " + QUERY + " " + PHONE_SOQL,
                "POST " + COMPOSITE, "POST " + TOKEN, "POST " + COMPOSITE);
        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE)).withHeader("Authorization", equalTo("Bearer tok-2"))
                .withRequestBody(equalToJson(compositeUpdate(LEAD_ID))));
    }

    @Test
    void sessionStillInvalidAfterTheReloginIsPermanent() {
        stubQuery(PHONE_SOQL, aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).isEqualTo("Salesforce query lead by phone (GET " + DATA + "/query): HTTP 401 "
                + "session refused again after a re-login");
        // login, query, re-login, retried query: nothing more
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "GET " + QUERY + " " + PHONE_SOQL,
                "POST " + TOKEN, "GET " + QUERY + " " + PHONE_SOQL);
    }

    @Test
    void refusedLoginIsPermanentWithTheTokenEndpointsError() {
        salesforce.resetAll();
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("Salesforce login (POST " + salesforce.baseUrl() + TOKEN + "): HTTP 400 "
                + "invalid_grant").contains("user hasn't approved this consumer").doesNotContain(PASSWORD);
        assertThat(e.responseBody()).contains("invalid_grant");
        assertThat(orgs.componentNames()).isEmpty();
        assertThat(camel.hasComponent("salesforce-acme-" + destinationId)).isNull();
    }

    @Test
    void unreachableTokenEndpointIsTransientAndTheNextAttemptLogsInAgain() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DestinationConfig down = destination(Map.of("login_url", "http://127.0.0.1:" + closedPort));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(down, null)));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).startsWith("Salesforce login (POST http://127.0.0.1:" + closedPort + TOKEN + "): ");
        assertThat(orgs.componentNames()).isEmpty();
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));
        assertThat(connector.deliver(request(destination(Map.of()), null)).outcome()).isEqualTo(Outcome.UPDATED);
    }

    @Test
    void wrongKeystorePasswordIsPermanentBeforeAnyRequest() {
        Map<String, Object> wrong = Map.of("keystore_password", Secret.of("not-the-password"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(wrong), null)));

        assertThat(e.getMessage()).contains("keystore_password does not open").doesNotContain("not-the-password");
        assertThat(salesforce.getAllServeEvents()).isEmpty();
    }

    @Test
    void missingKeystoreFileIsPermanentNamingTheSetting() {
        Map<String, Object> missing = Map.of("keystore_path", keys.resolve("nope.p12").toString());

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(missing), null)));

        assertThat(e.getMessage()).contains("setting keystore_path").contains("nope.p12 is not a readable file");
        assertThat(salesforce.getAllServeEvents()).isEmpty();
    }

    @Test
    void emptyCredentialWithoutDryRunIsPermanent() {
        Map<String, Object> settings = new LinkedHashMap<>(settings(Map.of()));
        settings.remove("username");
        DestinationConfig destination = new DestinationConfig(destinationId, "salesforce", true, null, Secret.empty(),
                DryRun.OFF, DuplicateDetection.DEFAULT, null, settings);

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination, null)));

        assertThat(e.getMessage()).contains("setting username is empty");
        assertThat(salesforce.getAllServeEvents()).isEmpty();
    }

    // ---- upsert, lookup, create, update ---------------------------------------------------------

    @Test
    void upsertsLeadByExternalIdAndCreatesTaskInOneAllOrNoneComposite() {
        stubComposite(okJson(compositeAnswer(lead(201, "{\"id\":\"" + LEAD_ID
                + "\",\"success\":true,\"errors\":[],\"created\":true}"), leadId(), task(201))));
        Map<String, Object> properties = new LinkedHashMap<>(properties());
        properties.put("LeadHub_Phone__c", PHONE); // the external id goes in the URL, never in the body

        DeliveryResult result = connector.deliver(new DeliveryRequest("acme",
                destination(Map.of("external_id_field", "LeadHub_Phone__c")), EVENT_ID, properties, PHONE, EMAIL,
                null, dryRunDir));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, LEAD_ID));
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "POST " + COMPOSITE);
        salesforce.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(COMPOSITE)), "tok-1")
                .withRequestBody(equalToJson("""
                        {"allOrNone":true,"compositeRequest":[
                          {"method":"PATCH","url":"/services/data/v56.0/sobjects/Lead/LeadHub_Phone__c/%2B14045558514",
                           "referenceId":"lead","body":""" + LEAD_BODY + """
                          },
                          {"method":"GET","url":"/services/data/v56.0/sobjects/Lead/LeadHub_Phone__c/%2B14045558514?fields=Id",
                           "referenceId":"leadId"},
                          {"method":"POST","url":"/services/data/v56.0/sobjects/Task","referenceId":"task",
                           "body":{""" + TASK_DEFAULTS + """
                        ,"WhoId":"@{leadId.Id}"}}]}""")));
    }

    @Test
    void upsertMatchingAnExistingLeadIsAnUpdate() {
        stubComposite(okJson(compositeAnswer(lead(200, "{\"id\":\"" + LEAD_ID
                + "\",\"success\":true,\"errors\":[],\"created\":false}"), leadId(), task(201))));

        DeliveryResult result = connector.deliver(request(
                destination(Map.of("external_id_field", "LeadHub_Phone__c")), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, LEAD_ID));
    }

    @Test
    void upsertAnsweredWithoutBodyTakesTheLeadIdFromTheReadBack() {
        stubComposite(okJson(compositeAnswer(lead(204, null), leadId(), task(201))));

        DeliveryResult result = connector.deliver(request(
                destination(Map.of("external_id_field", "LeadHub_Phone__c")), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, LEAD_ID));
    }

    @Test
    void upsertMatchingSeveralLeadsIsPermanent() {
        stubComposite(okJson(compositeAnswer(
                sub("lead", 300, "[\"/services/data/v56.0/sobjects/Lead/00Q1\",\"/services/data/v56.0/sobjects/Lead/00Q2\"]"),
                sub("leadId", 400, halted()), sub("task", 400, halted()))));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of("external_id_field", "LeadHub_Phone__c")), null)));

        assertThat(e.httpStatus()).isEqualTo(300);
        assertThat(e.getMessage()).contains("several Leads have LeadHub_Phone__c = +1404*****14")
                .doesNotContain("14045558514");
    }

    @Test
    void queriesPhoneThenEmailThenCreatesLeadAndTask() {
        stubQuery(PHONE_SOQL, okJson(NO_RECORDS));
        stubQuery(EMAIL_SOQL, okJson(NO_RECORDS));
        stubComposite(okJson(compositeAnswer(lead(201, "{\"id\":\"" + LEAD_ID + "\",\"success\":true,\"errors\":[]}"),
                task(201))));

        DeliveryResult result = connector.deliver(request(destination(Map.of()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, LEAD_ID));
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "GET " + QUERY + " " + PHONE_SOQL,
                "GET " + QUERY + " " + EMAIL_SOQL, "POST " + COMPOSITE);
        salesforce.verify(2, getRequestedFor(urlPathEqualTo(QUERY)).withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("Accept", containing("application/json")));
        salesforce.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(COMPOSITE)), "tok-1")
                .withRequestBody(equalToJson("""
                        {"allOrNone":true,"compositeRequest":[
                          {"method":"POST","url":"/services/data/v56.0/sobjects/Lead","referenceId":"lead",
                           "body":""" + LEAD_BODY + """
                          },
                          {"method":"POST","url":"/services/data/v56.0/sobjects/Task","referenceId":"task",
                           "body":{""" + TASK_DEFAULTS + """
                        ,"WhoId":"@{lead.id}"}}]}""")));
    }

    @Test
    void updatesTheLeadFoundByEmailAfterAPhoneMiss() {
        stubQuery(PHONE_SOQL, okJson(NO_RECORDS));
        stubQuery(EMAIL_SOQL, okJson(records("00Q5e00000EmAiLAAA")));
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));

        DeliveryResult result = connector.deliver(request(destination(Map.of()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "00Q5e00000EmAiLAAA"));
        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE))
                .withRequestBody(equalToJson(compositeUpdate("00Q5e00000EmAiLAAA"))));
    }

    @Test
    void updatesKnownRecordByIdWithoutLookup() {
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));

        DeliveryResult result = connector.deliver(request(destination(Map.of()), LEAD_ID));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, LEAD_ID));
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "POST " + COMPOSITE);
        salesforce.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(COMPOSITE)), "tok-1")
                .withRequestBody(equalToJson(compositeUpdate(LEAD_ID))));
    }

    @Test
    void knownRecordIdWinsOverTheExternalIdUpsert() {
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));

        DeliveryResult result = connector.deliver(request(
                destination(Map.of("external_id_field", "LeadHub_Phone__c")), LEAD_ID));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, LEAD_ID));
        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE))
                .withRequestBody(equalToJson(compositeUpdate(LEAD_ID))));
    }

    @Test
    void knownRecordDeletedInSalesforceFallsBackToTheLookup() {
        salesforce.stubFor(post(urlEqualTo(COMPOSITE)).withRequestBody(containing("/sobjects/Lead/00Q5e00000GoNeXAAA"))
                .willReturn(okJson(compositeAnswer(
                        sub("lead", 404, "[{\"errorCode\":\"ENTITY_IS_DELETED\",\"message\":\"entity is deleted\"}]"),
                        sub("task", 400, halted())))));
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        salesforce.stubFor(post(urlEqualTo(COMPOSITE)).withRequestBody(containing("/sobjects/Lead/" + LEAD_ID))
                .willReturn(okJson(compositeAnswer(lead(204, null), task(201)))));

        DeliveryResult result = connector.deliver(request(destination(Map.of()), "00Q5e00000GoNeXAAA"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, LEAD_ID));
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "POST " + COMPOSITE,
                "GET " + QUERY + " " + PHONE_SOQL, "POST " + COMPOSITE);
    }

    @Test
    void skipActionWritesNothingForAMatch() {
        stubQuery(PHONE_SOQL, okJson(records(LEAD_ID)));
        DuplicateDetection skip = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.SKIP);

        DeliveryResult result = connector.deliver(request(destination(skip, Map.of()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.SKIPPED, LEAD_ID));
        assertThat(requestLog()).containsExactly("POST " + TOKEN, "GET " + QUERY + " " + PHONE_SOQL);
    }

    @Test
    void taskExternalIdMakesTheTaskAnUpsertByEventId() {
        stubComposite(okJson(compositeAnswer(lead(204, null), task(201))));
        Map<String, Object> task = Map.of("external_id_field", "LeadHub_Event_Id__c", "subject", "Call back the lead",
                "priority", "High", "due_in_days", 0);

        connector.deliver(request(destination(Map.of("task", task)), LEAD_ID));

        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE)).withRequestBody(equalToJson("""
                {"allOrNone":true,"compositeRequest":[
                  {"method":"PATCH","url":"/services/data/v56.0/sobjects/Lead/00Q5e00000AbCdEAAA","referenceId":"lead",
                   "body":""" + LEAD_BODY + """
                  },
                  {"method":"PATCH","referenceId":"task",
                   "url":"/services/data/v56.0/sobjects/Task/LeadHub_Event_Id__c/5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c",
                   "body":{"Subject":"Call back the lead","Status":"Not Started","Priority":"High",
                           "ActivityDate":"2026-11-20","Description":"Caller wants a kitchen remodel.",
                           "WhoId":"00Q5e00000AbCdEAAA"}}]}""")));
    }

    @Test
    void mappedTaskFieldsOverrideTheDefaultsAndTaskCanBeSwitchedOff() {
        stubComposite(okJson(compositeAnswer(lead(204, null))));
        Map<String, Object> properties = new LinkedHashMap<>(properties());
        properties.put("Task.ActivityDate", "2026-12-01");

        connector.deliver(new DeliveryRequest("acme", destination(Map.of("task", Map.of("enabled", false))), EVENT_ID,
                properties, PHONE, EMAIL, LEAD_ID, dryRunDir));

        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE)).withRequestBody(equalToJson("""
                {"allOrNone":true,"compositeRequest":[
                  {"method":"PATCH","url":"/services/data/v56.0/sobjects/Lead/00Q5e00000AbCdEAAA","referenceId":"lead",
                   "body":""" + LEAD_BODY + "}]}")));
    }

    // ---- errors ----------------------------------------------------------------------------------

    @Test
    void requestLimitExceededIsTransientWithAWait() {
        stubComposite(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), LEAD_ID)));

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.retryAfter()).contains(Duration.ofMinutes(1));
        assertThat(e.getMessage()).isEqualTo("Salesforce update lead " + LEAD_ID + " and task (POST " + COMPOSITE
                + "): HTTP 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
        assertThat(e.responseBody()).contains("REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void failedSubrequestIsPermanentWithItsErrorsNotTheHaltedOnes() {
        String error = "[{\"message\":\"Required fields are missing: [Company]\",\"errorCode\":\"REQUIRED_FIELD_MISSING\","
                + "\"fields\":[\"Company\"]}]";
        stubQuery(PHONE_SOQL, okJson(NO_RECORDS));
        stubQuery(EMAIL_SOQL, okJson(NO_RECORDS));
        stubComposite(okJson(compositeAnswer(sub("lead", 400, error), sub("task", 400, halted()))));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Salesforce create lead and task (POST " + COMPOSITE + "), subrequest "
                + "'lead': HTTP 400 REQUIRED_FIELD_MISSING: Required fields are missing: [Company]");
        assertThat(e.responseBody()).isEqualTo(error);
    }

    @Test
    void lockedRowIsTransient() {
        stubComposite(okJson(compositeAnswer(sub("lead", 400,
                "[{\"message\":\"unable to obtain exclusive access to this record\",\"errorCode\":\"UNABLE_TO_LOCK_ROW\"}]"),
                sub("task", 400, halted()))));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), LEAD_ID)));

        assertThat(e.getMessage()).contains("UNABLE_TO_LOCK_ROW");
    }

    @Test
    void serverErrorIsTransient() {
        stubQuery(PHONE_SOQL, aResponse().withStatus(503).withBody("Service Unavailable"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), null)));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.getMessage()).startsWith("Salesforce query lead by phone (GET " + DATA + "/query): HTTP 503");
    }

    @Test
    void badQueryIsPermanentWithTheBodyAndMaskedMessage() {
        String error = "[{\"message\":\"No such column 'Phone' for Lead +14045558514\",\"errorCode\":\"INVALID_FIELD\"}]";
        stubQuery(PHONE_SOQL, aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(error));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(error);
        assertThat(e.getMessage()).contains("INVALID_FIELD").contains("+1404*****14").doesNotContain("14045558514");
    }

    @Test
    void invalidSettingIsPermanentNamingIt() {
        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of("api_version", "latest")), null)));

        assertThat(e.getMessage()).isEqualTo("Salesforce destination " + destinationId
                + ": setting api_version must be a REST API version such as 56.0, got 'latest'");
    }

    // ---- dry run ---------------------------------------------------------------------------------

    @Test
    void dryRunWritesTheLookupsAndTheCompositeWithoutLoggingIn() throws IOException {
        DestinationConfig dry = new DestinationConfig(destinationId, "salesforce", true, null, Secret.empty(),
                DryRun.ON, DuplicateDetection.DEFAULT, null, settings(Map.of("instance_url", "https://acme.my.salesforce.com")));

        DeliveryResult result = connector.deliver(request(dry, null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(salesforce.getAllServeEvents()).isEmpty();
        assertThat(orgs.componentNames()).isEmpty();
        try (Stream<Path> files = Files.list(dryRunDir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly(
                    EVENT_ID + "-01-query-phone.json", EVENT_ID + "-02-query-email.json", EVENT_ID + "-03-composite.json");
        }
        JsonNode phone = mapper.readTree(dryRunDir.resolve(EVENT_ID + "-01-query-phone.json").toFile());
        assertThat(phone.path("method").asText()).isEqualTo("GET");
        assertThat(phone.path("soql").asText()).isEqualTo(PHONE_SOQL);
        assertThat(phone.path("url").asText()).startsWith("https://acme.my.salesforce.com" + QUERY + "?q=SELECT%20Id");
        JsonNode composite = mapper.readTree(dryRunDir.resolve(EVENT_ID + "-03-composite.json").toFile());
        assertThat(composite.path("method").asText()).isEqualTo("POST");
        assertThat(composite.path("url").asText()).isEqualTo("https://acme.my.salesforce.com" + COMPOSITE);
        assertThat(composite.path("headers").path("Authorization").asText()).isEqualTo("Bearer ****");
        assertThat(composite.path("body").path("compositeRequest").get(1).path("body").path("WhoId").asText())
                .isEqualTo("@{lead.id}");
        assertThat(Files.readString(dryRunDir.resolve(EVENT_ID + "-03-composite.json"))).doesNotContain(PASSWORD);
    }

    @Test
    void dryRunAutoWithoutCredentialsWritesTheUpsertOnly() throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>(settings(Map.of("external_id_field", "LeadHub_Phone__c")));
        settings.put("keystore_password", Secret.empty());
        DestinationConfig auto = new DestinationConfig(destinationId, "salesforce", true, null, Secret.empty(),
                DryRun.AUTO, DuplicateDetection.DEFAULT, null, settings);

        assertThat(connector.deliver(request(auto, null)).outcome()).isEqualTo(Outcome.DRY_RUN);

        try (Stream<Path> files = Files.list(dryRunDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(EVENT_ID + "-01-composite.json");
        }
        JsonNode composite = mapper.readTree(dryRunDir.resolve(EVENT_ID + "-01-composite.json").toFile());
        assertThat(composite.path("url").asText()).isEqualTo("<instance_url>" + COMPOSITE);
        assertThat(composite.path("body").path("compositeRequest").get(0).path("url").asText())
                .isEqualTo(DATA + "/sobjects/Lead/LeadHub_Phone__c/%2B14045558514");
        assertThat(salesforce.getAllServeEvents()).isEmpty();
    }

    @Test
    void soqlStringLiteralsAreEscaped() {
        assertThat(SalesforceConnector.soqlEscape("o'brien\\x@example.com")).isEqualTo("o\\'brien\\\\x@example.com");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("login_url", salesforce.baseUrl());
        settings.put("client_id", CLIENT_ID);
        settings.put("username", USERNAME);
        settings.put("keystore_path", keystore.toString());
        settings.put("keystore_password", Secret.of(PASSWORD));
        settings.putAll(extra);
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> extra) {
        return destination(DuplicateDetection.DEFAULT, extra);
    }

    private DestinationConfig destination(DuplicateDetection duplicates, Map<String, Object> extra) {
        return new DestinationConfig(destinationId, "salesforce", true, null, Secret.empty(), DryRun.OFF, duplicates,
                null, settings(extra));
    }

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("FirstName", "Jane");
        properties.put("LastName", "Doe");
        properties.put("Company", "[not provided]");
        properties.put("Phone", PHONE);
        properties.put("Email", EMAIL);
        properties.put("LeadSource", "Phone Inquiry");
        properties.put("Task.Description", "Caller wants a kitchen remodel.");
        return properties;
    }

    private DeliveryRequest request(DestinationConfig destination, String knownRecordId) {
        return new DeliveryRequest("acme", destination, EVENT_ID, properties(), PHONE, EMAIL, knownRecordId, dryRunDir);
    }

    private static String compositeUpdate(String leadId) {
        return """
                {"allOrNone":true,"compositeRequest":[
                  {"method":"PATCH","url":"/services/data/v56.0/sobjects/Lead/%s","referenceId":"lead","body":%s},
                  {"method":"POST","url":"/services/data/v56.0/sobjects/Task","referenceId":"task",
                   "body":{%s,"WhoId":"%s"}}]}""".formatted(leadId, LEAD_BODY, TASK_DEFAULTS, leadId);
    }

    private String tokenAnswer(String token) {
        return "{\"access_token\":\"" + token + "\",\"instance_url\":\"" + salesforce.baseUrl() + "\",\"id\":\""
                + ORG_ID_URL + "\",\"token_type\":\"Bearer\",\"scope\":\"api\",\"issued_at\":\"1700000000000\"}";
    }

    private static void stubToken(ResponseDefinitionBuilder answer) {
        salesforce.stubFor(post(urlEqualTo(TOKEN)).willReturn(answer));
    }

    private static void stubToken(String json) {
        stubToken(okJson(json));
    }

    private static void stubQuery(String soql, ResponseDefinitionBuilder answer) {
        salesforce.stubFor(get(urlPathMatching(QUERY)).withQueryParam("q", equalTo(soql)).willReturn(answer));
    }

    private static void stubComposite(ResponseDefinitionBuilder answer) {
        salesforce.stubFor(post(urlEqualTo(COMPOSITE)).willReturn(answer));
    }

    private static String records(String id) {
        return "{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Lead\",\"url\":\"" + DATA
                + "/sobjects/Lead/" + id + "\"},\"Id\":\"" + id + "\"}]}";
    }

    private static String sub(String referenceId, int status, String body) {
        return "{\"body\":" + (body == null ? "null" : body) + ",\"httpHeaders\":{},\"httpStatusCode\":" + status
                + ",\"referenceId\":\"" + referenceId + "\"}";
    }

    private static String lead(int status, String body) {
        return sub("lead", status, body);
    }

    private static String leadId() {
        return sub("leadId", 200, "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"" + LEAD_ID + "\"}");
    }

    private static String task(int status) {
        return sub("task", status, "{\"id\":\"" + TASK_ID + "\",\"success\":true,\"errors\":[]}");
    }

    private static String halted() {
        return "[{\"errorCode\":\"PROCESSING_HALTED\",\"message\":\"The transaction was rolled back since another "
                + "operation in the same transaction failed.\"}]";
    }

    private static String compositeAnswer(String... subresponses) {
        return "{\"compositeResponse\":[" + String.join(",", subresponses) + "]}";
    }

    private static RequestPatternBuilder withJsonHeaders(RequestPatternBuilder pattern, String token) {
        return pattern.withHeader("Content-Type", containing("application/json"))
                .withHeader("Accept", containing("application/json"))
                .withHeader("Authorization", equalTo("Bearer " + token));
    }

    private static List<ServeEvent> served(String path) {
        return salesforce.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(path)).toList();
    }

    /** @return "METHOD path" of every request in arrival order, queries with their decoded SOQL */
    private static List<String> requestLog() {
        List<ServeEvent> arrivalOrder = new ArrayList<>(salesforce.getAllServeEvents()); // newest first
        Collections.reverse(arrivalOrder);
        return arrivalOrder.stream()
                .filter(e -> !e.getRequest().getUrl().startsWith("/services/oauth2/revoke"))
                .map(e -> {
                    String url = e.getRequest().getUrl();
                    int q = url.indexOf("?q=");
                    return e.getRequest().getMethod() + " " + (q < 0 ? url
                            : url.substring(0, q) + " " + URLDecoder.decode(url.substring(q + 3), StandardCharsets.UTF_8));
                })
                .toList();
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
    }
}
