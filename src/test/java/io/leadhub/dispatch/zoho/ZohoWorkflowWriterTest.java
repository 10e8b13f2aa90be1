package io.leadhub.dispatch.zoho;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
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

class ZohoWorkflowWriterTest {

    private static final String CLIENT_ID = "1000.CLIENTID123";
    private static final String CLIENT_SECRET = "zoho-client-SECRET-1";
    private static final String REFRESH_TOKEN = "1000.refresh.SECRET-2";
    private static final String ACCESS_TOKEN = "1000.access.SECRET-3";
    private static final String TOKEN_PATH = "/oauth/v2/token";
    private static final String TASKS = "/crm/v8/Tasks";
    private static final String LEAD_ID = "5725767000000411001";
    private static final String OWNER_ID = "5725767000000411002";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDate DUE = LocalDate.parse("2026-03-04");

    /** Plays both the accounts server and the API domain. */
    private static WireMockServer zoho;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final ZohoConnector connector =
            new ZohoConnector(new OutboundHttp(RestClient.builder()), MAPPER, clock);
    private final ZohoWorkflowWriter writer = new ZohoWorkflowWriter(connector, MAPPER);

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

    @Test
    void isASpringBeanOnTheConnectorThatWorkflowActionsFindsByType() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
                .withUserConfiguration(OutboundHttp.class, ZohoConnector.class, ZohoWorkflowWriter.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("zohoWorkflowWriter", CrmWorkflowWriter.class).type()).isEqualTo("zoho");
                });
    }

    @Test
    void typeIsZoho() {
        assertThat(writer.type()).isEqualTo("zoho");
    }

    @Test
    void createTaskInsertsATaskLinkedToTheLeadAtTheTokensApiDomain() {
        stubToken();
        zoho.stubFor(post(urlPathEqualTo(TASKS)).willReturn(json(201, result("5725767000000524157"))));

        String done = writer.createTask("acme", destination(settings()), LEAD_ID, task(CrmTask.Priority.HIGH));

        assertThat(done).isEqualTo("Zoho CRM task 5725767000000524157 on Leads record " + LEAD_ID + " due 2026-03-04");
        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST " + TASKS);
        zoho.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withQueryParam("refresh_token", equalTo(REFRESH_TOKEN))
                .withQueryParam("grant_type", equalTo("refresh_token")));
        zoho.verify(1, postRequestedFor(urlPathEqualTo(TASKS))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + ACCESS_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"data":[{"Subject":"Call Jane Doe","Due_Date":"2026-03-04",
                                  "Description":"Budget <40k>\\nCall back","Priority":"High",
                                  "What_Id":{"id":"5725767000000411001"},"$se_module":"Leads"}],
                         "trigger":["workflow"]}""")));
    }

    @Test
    void aContactsDestinationLinksTheTaskThroughWhoIdWithItsPriority() {
        stubToken();
        zoho.stubFor(post(urlPathEqualTo(TASKS)).willReturn(json(201, result("1"))));
        Map<String, Object> settings = settings();
        settings.put("module", "Contacts");
        settings.put("trigger", java.util.List.of());

        writer.createTask("acme", destination(settings), LEAD_ID, task(CrmTask.Priority.LOW));

        zoho.verify(1, postRequestedFor(urlPathEqualTo(TASKS)).withRequestBody(equalToJson("""
                {"data":[{"Subject":"Call Jane Doe","Due_Date":"2026-03-04","Description":"Budget <40k>\\nCall back",
                          "Priority":"Low","Who_Id":{"id":"5725767000000411001"}}],"trigger":[]}""")));
    }

    @Test
    void assignOwnerUpdatesTheOwnerOfTheRecordInTheConnectorsModule() {
        stubToken();
        zoho.stubFor(put(urlPathEqualTo("/crm/v8/Leads/" + LEAD_ID)).willReturn(json(200, result(LEAD_ID))));

        assertThat(writer.assignOwner("acme", destination(settings()), LEAD_ID, OWNER_ID))
                .isEqualTo("Zoho CRM owner " + OWNER_ID + " on Leads record " + LEAD_ID);

        zoho.verify(1, putRequestedFor(urlPathEqualTo("/crm/v8/Leads/" + LEAD_ID))
                .withHeader("Authorization", equalTo("Zoho-oauthtoken " + ACCESS_TOKEN))
                .withRequestBody(equalToJson("""
                        {"data":[{"Owner":{"id":"5725767000000411002"}}],"trigger":["workflow"]}""")));
    }

    @Test
    void theWriterReusesTheAccessTokenTheConnectorFetched() {
        stubToken();
        zoho.stubFor(post(urlPathEqualTo("/crm/v8/Leads/upsert")).willReturn(json(201, result(LEAD_ID))));
        zoho.stubFor(post(urlPathEqualTo(TASKS)).willReturn(json(201, result("1"))));
        DestinationConfig destination = destination(settings());

        connector.deliver(new DeliveryRequest("acme", destination, EVENT_ID, Map.of(), PHONE, EMAIL, null,
                tmp.resolve("dry-run"), CrmStubs.event()));
        writer.createTask("acme", destination, LEAD_ID, task(CrmTask.Priority.NORMAL));

        assertThat(requestLog(zoho)).containsExactly("POST " + TOKEN_PATH, "POST /crm/v8/Leads/upsert",
                "POST " + TASKS);
    }

    @Test
    void anErrorRecordInsideA2xxAnswerIsPermanentWithZohosCodeAndMessage() {
        stubToken();
        String body = """
                {"data":[{"code":"INVALID_DATA","details":{"api_name":"What_Id","json_path":"$.data[0].What_Id"},
                 "message":"the related id given seems to be invalid","status":"error"}]}""";
        zoho.stubFor(post(urlPathEqualTo(TASKS)).willReturn(json(202, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), LEAD_ID, task(CrmTask.Priority.HIGH)));

        assertThat(e.httpStatus()).isEqualTo(202);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("Zoho CRM insert Tasks (POST /crm/v8/Tasks): HTTP 202 INVALID_DATA: "
                + "the related id given seems to be invalid");
        assertNoSecret(e, ACCESS_TOKEN);
    }

    @Test
    void rateLimitedIsTransientWithRetryAfter() {
        stubToken();
        zoho.stubFor(put(urlPathEqualTo("/crm/v8/Leads/" + LEAD_ID)).willReturn(json(429, """
                {"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}""")
                .withHeader("Retry-After", "30")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), LEAD_ID, OWNER_ID));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.getMessage()).contains("TOO_MANY_REQUESTS");
    }

    @Test
    void serverErrorIsTransient() {
        stubToken();
        zoho.stubFor(post(urlPathEqualTo(TASKS)).willReturn(json(500, """
                {"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}""")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), LEAD_ID, task(CrmTask.Priority.HIGH)));

        assertThat(e.httpStatus()).isEqualTo(500);
    }

    @Test
    void aClientErrorIsPermanentWithZohosBody() {
        stubToken();
        String body = """
                {"data":[{"code":"INVALID_DATA","details":{"api_name":"Owner"},"message":"invalid data","status":"error"}]}""";
        zoho.stubFor(put(urlPathEqualTo("/crm/v8/Leads/" + LEAD_ID)).willReturn(json(400, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), LEAD_ID, OWNER_ID));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("HTTP 400 INVALID_DATA: invalid data", "Owner");
    }

    @Test
    void anOwnerThatIsNotAZohoUserIdFailsWithoutARequest() {
        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), LEAD_ID, "Jane"));

        assertThat(e.getMessage()).contains("is not a Zoho user id");
        assertThat(zoho.getAllServeEvents()).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static CrmTask task(CrmTask.Priority priority) {
        return new CrmTask(EVENT_ID, "Call Jane Doe", "Budget <40k>\nCall back", DUE,
                DUE.atStartOfDay(NEW_YORK).toInstant(), NEW_YORK, priority);
    }

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("client_id", CLIENT_ID);
        settings.put("client_secret", Secret.of(CLIENT_SECRET));
        settings.put("refresh_token", Secret.of(REFRESH_TOKEN));
        settings.put("accounts_url", zoho.baseUrl());
        return settings;
    }

    private static DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("zoho", "zoho", true, null, Secret.empty(), DryRun.OFF,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private static void stubToken() {
        zoho.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson("""
                {"access_token":"%s","api_domain":"%s","token_type":"Bearer","expires_in":3600}"""
                .formatted(ACCESS_TOKEN, zoho.baseUrl()))));
    }

    private static String result(String id) {
        return """
                {"data":[{"code":"SUCCESS","details":{"Modified_Time":"2026-03-02T10:00:00-05:00",
                 "Modified_By":{"name":"Admin","id":"1"},"Created_Time":"2026-03-02T10:00:00-05:00","id":"%s",
                 "Created_By":{"name":"Admin","id":"1"}},"message":"record added","status":"success"}]}"""
                .formatted(id);
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
