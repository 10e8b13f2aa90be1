package io.leadhub.dispatch.dynamics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.leadhub.dispatch.http.CrmStubs.EMAIL;
import static io.leadhub.dispatch.http.CrmStubs.EVENT_ID;
import static io.leadhub.dispatch.http.CrmStubs.MAPPER;
import static io.leadhub.dispatch.http.CrmStubs.PHONE;
import static io.leadhub.dispatch.http.CrmStubs.assertNoSecret;
import static io.leadhub.dispatch.http.CrmStubs.requestLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.MutableClock;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.CrmStubs;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

/** The Dataverse side of create_task / assign_owner against a WireMock environment that also plays Entra ID. */
class DynamicsWorkflowWriterTest {

    private static final String TENANT_ID = "8f2c1a7e-1111-2222-3333-444455556666";
    private static final String CLIENT_SECRET = "entra+secret&SECRET=1";
    private static final String ACCESS_TOKEN = "eyJ0eXAi.access.SECRET-2";
    private static final String ACCESS_TOKEN_2 = "eyJ0eXAi.access.SECRET-3";
    private static final String TOKEN_PATH = "/" + TENANT_ID + "/oauth2/v2.0/token";
    private static final String API = "/api/data/v9.2";
    private static final String LEAD = "7d577253-3ef0-4a0a-bb7f-8335c2596e70";
    private static final String TASK = "0c8b7a1e-9f00-4e55-a1b2-c3d4e5f60718";
    private static final String USER = "a1b2c3d4-0000-4000-8000-00000000beef";
    private static final String RESOURCE = "https://contoso.crm.dynamics.com";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Due 2026-11-22 in New York: midnight there is 05:00 UTC. */
    private static final CrmTask FOLLOW_UP = new CrmTask(EVENT_ID, "Call back Jane", "Kitchen remodel, budget 40k",
            LocalDate.parse("2026-11-22"), Instant.parse("2026-11-22T05:00:00Z"), NEW_YORK, CrmTask.Priority.HIGH);

    private static WireMockServer dataverse;

    @TempDir
    Path tmp;

    private final DynamicsConnector connector = new DynamicsConnector(new OutboundHttp(RestClient.builder()),
            MAPPER, new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));
    private final DynamicsWorkflowWriter writer = new DynamicsWorkflowWriter(connector, MAPPER);

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

    @Test
    void typeIsDynamics() {
        assertThat(writer.type()).isEqualTo("dynamics");
    }

    // ---- create_task -------------------------------------------------------------------------------

    @Test
    void createTaskPostsATaskRegardingTheLeadWithTheClientCredentialsTokenAndODataHeaders() {
        stubToken(ACCESS_TOKEN);
        stubCreateTask(aResponse().withStatus(204)
                .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/tasks(" + TASK + ")"));

        String result = writer.createTask("acme", destination(settings()), LEAD, FOLLOW_UP);

        assertThat(result).isEqualTo("Dynamics 365 task " + TASK + " regarding lead " + LEAD
                + " due 2026-11-22T05:00:00Z");
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "POST " + API + "/tasks");
        dataverse.verify(1, postRequestedFor(urlEqualTo(API + "/tasks"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withHeader("OData-MaxVersion", equalTo("4.0"))
                .withHeader("OData-Version", equalTo("4.0"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"subject":"Call back Jane","description":"Kitchen remodel, budget 40k",
                         "scheduledend":"2026-11-22T05:00:00Z","prioritycode":2,
                         "regardingobjectid_lead_task@odata.bind":"/leads(%s)"}""".formatted(LEAD))));
    }

    @Test
    void createTaskOnAContactsDestinationBindsTheContactAndMapsLowAndNormalPriority() {
        stubToken(ACCESS_TOKEN);
        stubCreateTask(aResponse().withStatus(204)
                .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/tasks(" + TASK + ")"));
        Map<String, Object> contacts = settings();
        contacts.put("entity_set", "contacts");
        CrmTask low = new CrmTask(EVENT_ID, "Send brochure", "", FOLLOW_UP.dueDate(), FOLLOW_UP.dueAt(), NEW_YORK,
                CrmTask.Priority.LOW);
        CrmTask normal = new CrmTask(EVENT_ID, "Send brochure", "", FOLLOW_UP.dueDate(), FOLLOW_UP.dueAt(), NEW_YORK,
                CrmTask.Priority.NORMAL);

        assertThat(writer.createTask("acme", destination(contacts), LEAD, low)).contains("regarding contact " + LEAD);
        writer.createTask("acme", destination(contacts), LEAD, normal);

        // an empty body sends no description
        dataverse.verify(1, postRequestedFor(urlEqualTo(API + "/tasks")).withRequestBody(equalToJson("""
                {"subject":"Send brochure","scheduledend":"2026-11-22T05:00:00Z","prioritycode":0,
                 "regardingobjectid_contact_task@odata.bind":"/contacts(%s)"}""".formatted(LEAD))));
        dataverse.verify(1, postRequestedFor(urlEqualTo(API + "/tasks")).withRequestBody(equalToJson("""
                {"subject":"Send brochure","scheduledend":"2026-11-22T05:00:00Z","prioritycode":1,
                 "regardingobjectid_contact_task@odata.bind":"/contacts(%s)"}""".formatted(LEAD))));
    }

    @Test
    void theWriterReusesTheTokenTheConnectorFetchedForTheSameDestination() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + LEAD + ")")).willReturn(aResponse().withStatus(204)));
        stubCreateTask(aResponse().withStatus(204)
                .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/tasks(" + TASK + ")"));
        DestinationConfig destination = destination(settings());

        connector.deliver(new DeliveryRequest("acme", destination, EVENT_ID, Map.of(), PHONE, EMAIL, LEAD,
                tmp.resolve("dry-run"), CrmStubs.event()));
        writer.createTask("acme", destination, LEAD, FOLLOW_UP);

        dataverse.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
        dataverse.verify(1, postRequestedFor(urlEqualTo(API + "/tasks"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN)));
    }

    @Test
    void a401FetchesANewTokenOnceAndRepeatsTheTask() {
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs(STARTED)
                .willReturn(okJson(tokenAnswer(ACCESS_TOKEN))).willSetStateTo("second"));
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs("second")
                .willReturn(okJson(tokenAnswer(ACCESS_TOKEN_2))));
        dataverse.stubFor(post(urlEqualTo(API + "/tasks")).withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .willReturn(aResponse().withStatus(401)));
        dataverse.stubFor(post(urlEqualTo(API + "/tasks")).withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN_2))
                .willReturn(aResponse().withStatus(204)
                        .withHeader("OData-EntityId", dataverse.baseUrl() + API + "/tasks(" + TASK + ")")));

        assertThat(writer.createTask("acme", destination(settings()), LEAD, FOLLOW_UP)).startsWith("Dynamics 365 task " + TASK);
        assertThat(requestLog(dataverse)).containsExactly("POST " + TOKEN_PATH, "POST " + API + "/tasks",
                "POST " + TOKEN_PATH, "POST " + API + "/tasks");
    }

    // ---- assign_owner ------------------------------------------------------------------------------

    @Test
    void assignOwnerPatchesTheOwnerLookupOfTheLeadUpdateOnly() {
        stubToken(ACCESS_TOKEN);
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + LEAD + ")")).willReturn(aResponse().withStatus(204)));

        String result = writer.assignOwner("acme", destination(settings()), LEAD, USER.toUpperCase());

        assertThat(result).isEqualTo("Dynamics 365 owner " + USER + " on lead " + LEAD);
        dataverse.verify(1, patchRequestedFor(urlEqualTo(API + "/leads(" + LEAD + ")"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_TOKEN))
                .withHeader("OData-Version", equalTo("4.0"))
                .withHeader("If-Match", equalTo("*"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"ownerid@odata.bind\":\"/systemusers(" + USER + ")\"}")));
    }

    @Test
    void anOwnerIdThatIsNotAGuidIsPermanentWithoutARequest() {
        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), LEAD, "1234"));

        assertThat(e.getMessage()).isEqualTo("Dynamics 365 destination d365: owner id (a system user's GUID) must be "
                + "a GUID, got '1234'");
        assertThat(dataverse.getAllServeEvents()).isEmpty();
    }

    @Test
    void aDeletedRowIsPermanentWithTheBody() {
        stubToken(ACCESS_TOKEN);
        String body = "{\"error\":{\"code\":\"0x80040217\",\"message\":\"lead With Id = " + LEAD + " Does Not Exist\"}}";
        dataverse.stubFor(patch(urlEqualTo(API + "/leads(" + LEAD + ")")).willReturn(json(404, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), LEAD, USER));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).isEqualTo("Dynamics 365 assign owner of leads (PATCH " + API + "/leads(" + LEAD
                + ")): HTTP 404 0x80040217: lead With Id = " + LEAD + " Does Not Exist");
    }

    // ---- errors ------------------------------------------------------------------------------------

    @Test
    void serviceProtection429IsTransientWaitingRetryAfter() {
        stubToken(ACCESS_TOKEN);
        stubCreateTask(json(429, """
                {"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""")
                .withHeader("Retry-After", "7"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), LEAD, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.getMessage()).isEqualTo("Dynamics 365 create task (POST " + API + "/tasks): HTTP 429 0x80072322: "
                + "Number of requests exceeded the limit of 6000 over time window of 300 seconds.");
        assertNoSecret(e, ACCESS_TOKEN);
    }

    @Test
    void serverErrorIsTransient() {
        stubToken(ACCESS_TOKEN);
        stubCreateTask(json(503, "{\"error\":{\"code\":\"0x80040216\",\"message\":\"An unexpected error occurred.\"}}"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), LEAD, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void validationErrorIsPermanentWithTheBody() {
        stubToken(ACCESS_TOKEN);
        String body = """
                {"error":{"code":"0x0","message":"An undeclared property 'regardingobjectid_lead_task' which only has property annotations in the payload but no property value was found in the payload."}}""";
        stubCreateTask(json(400, body));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), LEAD, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).startsWith("Dynamics 365 create task (POST " + API + "/tasks): HTTP 400 0x0: "
                + "An undeclared property");
    }

    @Test
    void refusedClientSecretIsPermanentWithoutTheSecret() {
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(json(401, """
                {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}""")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), LEAD, FOLLOW_UP));

        assertThat(e.getMessage()).contains("client credentials token", "invalid_client");
        assertNoSecret(e, CLIENT_SECRET);
    }

    @Test
    void missingBaseUrlIsPermanentNamingIt() {
        DestinationConfig noBase = new DestinationConfig("d365", "dynamics", true, null, Secret.empty(), DryRun.OFF,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), settings());

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", noBase, LEAD, FOLLOW_UP));

        assertThat(e.getMessage()).contains("base_url").contains("is required");
        assertThat(dataverse.getAllServeEvents()).isEmpty();
    }

    // ---- wiring ------------------------------------------------------------------------------------

    @Test
    void isANamedSpringBeanOnTheConnector() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
                .withUserConfiguration(OutboundHttp.class, DynamicsConnector.class, DynamicsWorkflowWriter.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("dynamicsWorkflowWriter")).isInstanceOf(DynamicsWorkflowWriter.class);
                    assertThat(ctx.getBeansOfType(CrmWorkflowWriter.class).values()).extracting(CrmWorkflowWriter::type)
                            .containsExactly("dynamics");
                });
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tenant_id", TENANT_ID);
        settings.put("client_id", "0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff");
        settings.put("client_secret", Secret.of(CLIENT_SECRET));
        settings.put("auth_url", dataverse.baseUrl());
        settings.put("resource", RESOURCE);
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("d365", "dynamics", true, URI.create(dataverse.baseUrl()), Secret.empty(),
                DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private static void stubToken(String accessToken) {
        dataverse.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(tokenAnswer(accessToken))));
    }

    private static String tokenAnswer(String accessToken) {
        return """
                {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"%s"}""".formatted(accessToken);
    }

    private static void stubCreateTask(ResponseDefinitionBuilder answer) {
        dataverse.stubFor(post(urlEqualTo(API + "/tasks")).willReturn(answer));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
