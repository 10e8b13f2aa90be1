package io.leadhub.dispatch.perfex;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.MultipartValuePattern;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfigException;
import io.leadhub.tenant.TenantFileLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

class PerfexWorkflowWriterTest {

    private static final String TOKEN = "perfex-authtoken-0c0c";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** 2026-03-03 02:00 UTC = 2026-03-02 21:00 in New York: the task starts on the tenant's date, not UTC's. */
    private static final Instant NOW = Instant.parse("2026-03-03T02:00:00Z");
    private static final LocalDate DUE = LocalDate.parse("2026-03-04");
    private static final String LEAD = "/api/leads/7";

    private static WireMockServer perfex;

    private final ObjectMapper mapper = new ObjectMapper();
    private final PerfexWorkflowWriter writer = new PerfexWorkflowWriter(
            new PerfexConnector(new OutboundHttp(RestClient.builder()), mapper), mapper, Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void start() {
        perfex = new WireMockServer(options().dynamicPort());
        perfex.start();
    }

    @AfterAll
    static void stop() {
        perfex.stop();
    }

    @BeforeEach
    void reset() {
        perfex.resetAll();
    }

    @Test
    void isASpringBeanOnTheConnectorThatWorkflowActionsFindsByType() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
                .withUserConfiguration(OutboundHttp.class, PerfexConnector.class, PerfexWorkflowWriter.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("perfexWorkflowWriter", CrmWorkflowWriter.class).type()).isEqualTo("perfex");
                });
    }

    @Test
    void typeIsPerfex() {
        assertThat(writer.type()).isEqualTo("perfex");
    }

    @Test
    void createTaskPostsAMultipartTaskRelatedToTheLead() {
        perfex.stubFor(post(urlEqualTo("/api/tasks")).willReturn(okJson("""
                {"status":true,"message":"Task add successful.","record_id":42}""")));

        String done = writer.createTask("acme", destination(Map.of()), "7", task(CrmTask.Priority.HIGH));

        assertThat(done).isEqualTo("Perfex task 42 on lead 7 due 2026-03-04");
        perfex.verify(1, postRequestedFor(urlEqualTo("/api/tasks"))
                .withHeader("authtoken", equalTo(TOKEN)).withHeader("Accept", equalTo("application/json"))
                .withHeader("Content-Type", containing("multipart/form-data"))
                .withRequestBodyPart(part("name", "Call Maria Gonzalez"))
                .withRequestBodyPart(part("startdate", "2026-03-02"))
                .withRequestBodyPart(part("duedate", "2026-03-04"))
                .withRequestBodyPart(part("priority", "3"))
                .withRequestBodyPart(part("rel_type", "lead"))
                .withRequestBodyPart(part("rel_id", "7"))
                .withRequestBodyPart(part("description", "Budget &lt;40k&gt;<br>Call back")));
    }

    @Test
    void taskPrioritiesSettingOverridesThePriorityIdsAndAMissingTaskIdIsTolerated() {
        perfex.stubFor(post(urlEqualTo("/api/tasks")).willReturn(okJson("""
                {"status":true,"message":"Task add successful."}""")));

        String done = writer.createTask("acme", destination(Map.of("task_priorities", Map.of("high", 4L))), "7",
                task(CrmTask.Priority.HIGH));

        assertThat(done).isEqualTo("Perfex task on lead 7 due 2026-03-04");
        perfex.verify(1, postRequestedFor(urlEqualTo("/api/tasks")).withRequestBodyPart(part("priority", "4")));
    }

    @Test
    void assignOwnerPutsTheAssignedStaffMemberAsJson() {
        perfex.stubFor(put(urlEqualTo(LEAD)).willReturn(okJson("""
                {"status":true,"message":"Lead Update Successful."}""")));

        assertThat(writer.assignOwner("acme", destination(Map.of()), "7", "5")).isEqualTo("Perfex lead 7 assigned to staff 5");

        perfex.verify(1, putRequestedFor(urlEqualTo(LEAD)).withHeader("authtoken", equalTo(TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"assigned\":\"5\"}")));
    }

    @Test
    void aLeadAlreadyAssignedToTheStaffMemberCountsAsDoneAfterTheModulesUnchanged404() {
        perfex.stubFor(put(urlEqualTo(LEAD)).willReturn(json(404, "{\"status\":false,\"message\":\"Lead Update Fail.\"}")));
        perfex.stubFor(get(urlEqualTo(LEAD)).willReturn(okJson("{\"id\":\"7\",\"name\":\"Maria\",\"assigned\":\"5\"}")));

        assertThat(writer.assignOwner("acme", destination(Map.of()), "7", "5"))
                .isEqualTo("Perfex lead 7 already assigned to staff 5");
        assertThat(requestLog()).containsExactly("PUT " + LEAD, "GET " + LEAD);
    }

    @Test
    void anUnknownLeadIsPermanent() {
        perfex.stubFor(put(urlEqualTo(LEAD)).willReturn(json(404, "{\"status\":false,\"message\":\"Lead Update Fail.\"}")));
        String missing = "{\"status\":false,\"message\":\"No data were found\"}";
        perfex.stubFor(get(urlEqualTo(LEAD)).willReturn(json(404, missing)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(Map.of()), "7", "5"));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.responseBody()).isEqualTo(missing);
        assertThat(e.getMessage()).contains("Perfex get lead (GET /api/leads/7): HTTP 404 No data were found");
    }

    @Test
    void aFailedUpdateOfALeadWithAnotherOwnerIsPermanentWithTheUpdatesAnswer() {
        String failed = "{\"status\":false,\"message\":\"Lead Update Fail.\"}";
        perfex.stubFor(put(urlEqualTo(LEAD)).willReturn(json(404, failed)));
        perfex.stubFor(get(urlEqualTo(LEAD)).willReturn(okJson("{\"data\":{\"id\":\"7\",\"assigned\":\"9\"}}")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(Map.of()), "7", "5"));

        assertThat(e.responseBody()).isEqualTo(failed);
        assertThat(e.getMessage()).contains("Perfex assign lead (PUT /api/leads/7): HTTP 404 Lead Update Fail.");
    }

    @Test
    void rateLimitedIsTransientWithRetryAfter() {
        perfex.stubFor(post(urlEqualTo("/api/tasks")).willReturn(json(429, "{\"message\":\"Too many requests\"}")
                .withHeader("Retry-After", "60")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), "7", task(CrmTask.Priority.NORMAL)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
        assertThat(e.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void serverErrorIsTransient() {
        perfex.stubFor(put(urlEqualTo(LEAD)).willReturn(json(502, "Bad gateway")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.assignOwner("acme", destination(Map.of()), "7", "5"));

        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void aValidationErrorIsPermanentWithPerfexsBody() {
        String body = """
                {"status":false,"error":{"rel_id":"The Related field is required."},"message":"The Related field is required."}""";
        perfex.stubFor(post(urlEqualTo("/api/tasks")).willReturn(json(422, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), "7", task(CrmTask.Priority.LOW)));

        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("Perfex create task (POST /api/tasks): HTTP 422 The Related field is required.");
    }

    @Test
    void statusFalseInsideA200IsPermanent() {
        String body = "{\"status\":false,\"message\":\"Task add failed.\"}";
        perfex.stubFor(post(urlEqualTo("/api/tasks")).willReturn(json(200, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(Map.of()), "7", task(CrmTask.Priority.LOW)));

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("status false", "Task add failed.");
    }

    @Test
    void aDestinationWithoutBaseUrlIsAConfigurationError() {
        DestinationConfig noUrl = new DestinationConfig("perfex-main", "perfex", true, null, Secret.of(TOKEN),
                DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), Map.of());

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", noUrl, "7", task(CrmTask.Priority.HIGH)));

        assertThat(e.getMessage()).contains("'base_url' is required");
        assertThat(perfex.getAllServeEvents()).isEmpty();
    }

    @Test
    void taskPrioritiesInATenantFileAreCheckedWhenItLoads(@TempDir Path dir) throws Exception {
        String file = """
                tenant: px
                destinations:
                  - id: perfex-main
                    type: perfex
                    base_url: https://crm.example.com
                    token: ${PERFEX_TOKEN}
                    lead_defaults: { source: 3, status: 2, assigned: 1 }
                    task_priorities: %s
                """;
        TenantFileLoader loader = new TenantFileLoader(Map.of("PERFEX_TOKEN", TOKEN)::get, "US", Clock.systemUTC(),
                null);
        Path good = Files.writeString(dir.resolve("px.yaml"), file.formatted("{ high: 4, normal: \"2\" }"));

        assertThat(loader.load(good).destinations().get(0).settings().get("task_priorities"))
                .isEqualTo(Map.of("high", 4L, "normal", "2"));

        Files.writeString(good, file.formatted("{ high: urgent }"));
        TenantConfigException e = catchThrowableOfType(TenantConfigException.class, () -> loader.load(good));
        assertThat(e.key()).contains("task_priorities");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static CrmTask task(CrmTask.Priority priority) {
        return new CrmTask("ev-1", "Call Maria Gonzalez", "Budget <40k>\nCall back", DUE,
                DUE.atStartOfDay(NEW_YORK).toInstant(), NEW_YORK, priority);
    }

    private static DestinationConfig destination(Map<String, Object> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lead_defaults", Map.of("source", 3L, "status", 2L, "assigned", 1L));
        settings.putAll(extra);
        return new DestinationConfig("perfex-main", "perfex", true, URI.create(perfex.baseUrl() + "/"),
                Secret.of(TOKEN), DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private static MultipartValuePattern part(String name, String value) {
        return aMultipart().withName(name).withBody(equalTo(value)).build();
    }

    private static List<String> requestLog() {
        List<ServeEvent> events = new ArrayList<>(perfex.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl()).toList();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
