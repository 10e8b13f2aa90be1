package io.leadhub.dispatch.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import io.leadhub.dispatch.CrmWorkflowWriter;
import org.apache.camel.CamelContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Salesforce side of create_task / assign_owner through the real camel-salesforce component (JWT bearer login)
 * against a WireMock org, with the component the connector uses for the same destination.
 */
class SalesforceWorkflowWriterTest {

    private static final String PASSWORD = "keystore-SECRET-pw";
    private static final String LEAD_ID = "00Q5e00000AbCdEAAA";
    private static final String TASK_ID = "00T5e00000XyZabAAA";
    private static final String USER_ID = "0055e000001AbCdAAK";
    private static final String ORG_ID_URL = "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA";
    private static final String TOKEN = "/services/oauth2/token";
    private static final String DATA = "/services/data/v56.0";
    private static final String COMPOSITE = DATA + "/composite";
    private static final CrmTask FOLLOW_UP = new CrmTask("ev-1", "Call back Jane", "Kitchen remodel, budget 40k",
            LocalDate.parse("2026-11-22"), Instant.parse("2026-11-22T05:00:00Z"), ZoneId.of("America/New_York"),
            CrmTask.Priority.HIGH);

    @TempDir
    static Path keys;
    private static Path keystore;
    private static WireMockServer salesforce;
    private static DefaultCamelContext camel;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private SalesforceOrgs orgs;
    private SalesforceWorkflowWriter writer;
    private String destinationId;

    @BeforeAll
    static void start() {
        keystore = JwtTestKeys.createKeystore(keys.resolve("salesforce-jwt.p12"), PASSWORD);
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
        salesforce.stubFor(post(urlEqualTo(TOKEN)).willReturn(okJson(tokenAnswer("tok-1"))));
        salesforce.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        orgs = new SalesforceOrgs(camel, java.util.Optional.empty());
        writer = new SalesforceWorkflowWriter(orgs, mapper);
        // one destination (and so one component and one login) per test
        destinationId = "sfw-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
    }

    @AfterEach
    void removeComponent() {
        orgs.remove("acme", destinationId);
    }

    @Test
    void typeIsSalesforce() {
        assertThat(writer.type()).isEqualTo("salesforce");
    }

    // ---- create_task -------------------------------------------------------------------------------

    @Test
    void createTaskLogsInAndPostsOneTaskSubrequestOnTheLead() {
        DestinationConfig destination = destination(Map.of());
        stubComposite(okJson(compositeAnswer(sub("task", 201, "{\"id\":\"" + TASK_ID + "\",\"success\":true,\"errors\":[]}"))));

        String result = writer.createTask("acme", destination, LEAD_ID, FOLLOW_UP);

        assertThat(result).isEqualTo("Salesforce Task " + TASK_ID + " on Lead " + LEAD_ID + " due 2026-11-22");
        salesforce.verify(1, postRequestedFor(urlEqualTo(TOKEN)));
        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"allOrNone":true,"compositeRequest":[
                          {"method":"POST","url":"/services/data/v56.0/sobjects/Task","referenceId":"task",
                           "body":{"Subject":"Call back Jane","Description":"Kitchen remodel, budget 40k",
                                   "ActivityDate":"2026-11-22","Priority":"High","Status":"Not Started",
                                   "WhoId":"%s"}}]}""".formatted(LEAD_ID))));
        assertThat(orgs.componentNames()).containsExactly("salesforce-acme-" + destinationId);
    }

    @Test
    void createTaskMapsLowPriorityLeavesAnEmptyBodyOutAndUsesTheDestinationsTaskStatus() {
        DestinationConfig destination = destination(Map.of("task", Map.of("status", "Open")));
        stubComposite(okJson(compositeAnswer(sub("task", 201, "{\"id\":\"" + TASK_ID + "\",\"success\":true,\"errors\":[]}"))));
        CrmTask low = new CrmTask("ev-1", "Send brochure", "", FOLLOW_UP.dueDate(), FOLLOW_UP.dueAt(),
                FOLLOW_UP.zone(), CrmTask.Priority.LOW);

        writer.createTask("acme", destination, LEAD_ID, low);

        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE)).withRequestBody(equalToJson("""
                {"allOrNone":true,"compositeRequest":[
                  {"method":"POST","url":"/services/data/v56.0/sobjects/Task","referenceId":"task",
                   "body":{"Subject":"Send brochure","ActivityDate":"2026-11-22","Priority":"Low","Status":"Open",
                           "WhoId":"%s"}}]}""".formatted(LEAD_ID))));
    }

    @Test
    void theWriterUsesTheComponentAndLoginOfTheConnectorsDelivery() {
        DestinationConfig destination = destination(Map.of());
        stubComposite(okJson(compositeAnswer(sub("lead", 204, null),
                sub("task", 201, "{\"id\":\"" + TASK_ID + "\",\"success\":true,\"errors\":[]}"))));
        SalesforceConnector connector = new SalesforceConnector(orgs, mapper, tenant -> ZoneId.of("UTC"),
                Clock.systemUTC());

        connector.deliver(new DeliveryRequest("acme", destination, "ev-1", Map.of("LastName", "Doe"), "+14045558514",
                null, LEAD_ID, dryRunDir));
        writer.createTask("acme", destination, LEAD_ID, FOLLOW_UP);

        salesforce.verify(1, postRequestedFor(urlEqualTo(TOKEN)));
        salesforce.verify(2, postRequestedFor(urlEqualTo(COMPOSITE)).withHeader("Authorization", equalTo("Bearer tok-1")));
        assertThat(orgs.componentNames()).containsExactly("salesforce-acme-" + destinationId);
    }

    // ---- assign_owner ------------------------------------------------------------------------------

    @Test
    void assignOwnerPatchesTheLeadsOwnerId() {
        DestinationConfig destination = destination(Map.of());
        stubComposite(okJson(compositeAnswer(sub("lead", 204, null))));

        String result = writer.assignOwner("acme", destination, LEAD_ID, USER_ID);

        assertThat(result).isEqualTo("Salesforce owner " + USER_ID + " on Lead " + LEAD_ID);
        salesforce.verify(1, postRequestedFor(urlEqualTo(COMPOSITE))
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .withRequestBody(equalToJson("""
                        {"allOrNone":true,"compositeRequest":[
                          {"method":"PATCH","url":"/services/data/v56.0/sobjects/Lead/%s","referenceId":"lead",
                           "body":{"OwnerId":"%s"}}]}""".formatted(LEAD_ID, USER_ID))));
    }

    @Test
    void anOwnerIdThatIsNotASalesforceIdIsPermanentWithoutARequest() {
        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(Map.of()), LEAD_ID, "1234"));

        assertThat(e.getMessage()).isEqualTo("Salesforce destination " + destinationId + ": owner id (a user or "
                + "queue id) must be a 15- or 18-character Salesforce id, got '1234'");
        assertThat(salesforce.getAllServeEvents()).isEmpty();
    }

    // ---- errors ------------------------------------------------------------------------------------

    @Test
    void aFailedSubrequestIsPermanentWithItsErrors() {
        String error = "[{\"message\":\"Owner ID: owner cannot be blank\",\"errorCode\":\"INVALID_CROSS_REFERENCE_KEY\","
                + "\"fields\":[\"OwnerId\"]}]";
        stubComposite(okJson(compositeAnswer(sub("lead", 400, error))));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(Map.of()), LEAD_ID, USER_ID));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(error);
        assertThat(e.getMessage()).isEqualTo("Salesforce assign owner of lead " + LEAD_ID + " (POST " + COMPOSITE
                + "), subrequest 'lead': HTTP 400 INVALID_CROSS_REFERENCE_KEY: Owner ID: owner cannot be blank");
    }

    @Test
    void a429IsTransient() {
        stubComposite(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"Too many requests\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), LEAD_ID, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.getMessage()).startsWith("Salesforce create task on lead " + LEAD_ID + " (POST " + COMPOSITE
                + "): HTTP 429");
    }

    @Test
    void requestLimitExceededIsTransientWithAWait() {
        stubComposite(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), LEAD_ID, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.retryAfter()).contains(Duration.ofMinutes(1));
    }

    @Test
    void serverErrorIsTransient() {
        stubComposite(aResponse().withStatus(503).withBody("Service Unavailable"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), LEAD_ID, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(503);
    }

    @Test
    void aRefusedRequestIsPermanentWithTheBody() {
        String error = "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]";
        stubComposite(aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody(error));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), LEAD_ID, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.responseBody()).isEqualTo(error);
        assertThat(e.getMessage()).contains("NOT_FOUND: The requested resource does not exist");
    }

    @Test
    void aMissingCredentialIsPermanentNamingIt() {
        Map<String, Object> settings = settings(Map.of());
        settings.put("keystore_password", Secret.empty());
        DestinationConfig destination = new DestinationConfig(destinationId, "salesforce", true, null, Secret.empty(),
                DryRun.OFF, DuplicateDetection.DEFAULT, null, settings);

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination, LEAD_ID, FOLLOW_UP));

        assertThat(e.getMessage()).startsWith("Salesforce destination " + destinationId
                + ": setting keystore_password is empty");
        assertThat(salesforce.getAllServeEvents()).isEmpty();
    }

    // ---- wiring ------------------------------------------------------------------------------------

    @Test
    void isANamedSpringBeanOnTheSharedOrgs() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withBean(CamelContext.class, DefaultCamelContext::new) // its own: closing the context stops it
                .withUserConfiguration(SalesforceOrgs.class, SalesforceWorkflowWriter.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("salesforceWorkflowWriter")).isInstanceOf(SalesforceWorkflowWriter.class);
                    assertThat(ctx.getBeansOfType(CrmWorkflowWriter.class).values()).extracting(CrmWorkflowWriter::type)
                            .containsExactly("salesforce");
                });
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("login_url", salesforce.baseUrl());
        settings.put("client_id", "3MVG9test.consumer.key");
        settings.put("username", "integration@acme.test");
        settings.put("keystore_path", keystore.toString());
        settings.put("keystore_password", Secret.of(PASSWORD));
        settings.putAll(extra);
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> extra) {
        return new DestinationConfig(destinationId, "salesforce", true, null, Secret.empty(), DryRun.OFF,
                DuplicateDetection.DEFAULT, null, settings(extra));
    }


    private String tokenAnswer(String token) {
        return "{\"access_token\":\"" + token + "\",\"instance_url\":\"" + salesforce.baseUrl() + "\",\"id\":\""
                + ORG_ID_URL + "\",\"token_type\":\"Bearer\",\"scope\":\"api\",\"issued_at\":\"1700000000000\"}";
    }

    private static void stubComposite(ResponseDefinitionBuilder answer) {
        salesforce.stubFor(post(urlEqualTo(COMPOSITE)).willReturn(answer));
    }

    private static String sub(String referenceId, int status, String body) {
        return "{\"body\":" + (body == null ? "null" : body) + ",\"httpHeaders\":{},\"httpStatusCode\":" + status
                + ",\"referenceId\":\"" + referenceId + "\"}";
    }

    private static String compositeAnswer(String... subresponses) {
        return "{\"compositeResponse\":[" + String.join(",", subresponses) + "]}";
    }
}
