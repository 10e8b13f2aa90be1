package io.leadhub.dispatch.pipedrive;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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

class PipedriveWorkflowWriterTest {

    private static final String TOKEN = "pd-api-token-SECRET-123";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDate DUE = LocalDate.parse("2026-03-04");
    private static final CrmTask TASK = new CrmTask(EVENT_ID, "Call Jane Doe", "Budget <40k>\nCall back before 5",
            DUE, DUE.atStartOfDay(NEW_YORK).toInstant(), NEW_YORK, CrmTask.Priority.HIGH);

    private static WireMockServer pipedrive;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final PipedriveConnector connector =
            new PipedriveConnector(new OutboundHttp(RestClient.builder()), MAPPER, clock);
    private final PipedriveWorkflowWriter writer = new PipedriveWorkflowWriter(connector, MAPPER);

    @BeforeAll
    static void start() {
        pipedrive = new WireMockServer(options().dynamicPort());
        pipedrive.start();
    }

    @AfterAll
    static void stop() {
        pipedrive.stop();
    }

    @BeforeEach
    void reset() {
        pipedrive.resetAll();
    }

    @Test
    void isASpringBeanOnTheConnectorThatWorkflowActionsFindsByType() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
                .withUserConfiguration(OutboundHttp.class, PipedriveConnector.class, PipedriveWorkflowWriter.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("pipedriveWorkflowWriter", CrmWorkflowWriter.class).type()).isEqualTo("pipedrive");
                });
    }

    @Test
    void typeIsPipedrive() {
        assertThat(writer.type()).isEqualTo("pipedrive");
    }

    @Test
    void createTaskAddsATaskActivityForThePersonDueOnTheTaskDate() {
        pipedrive.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(json(201, data(901))));

        String done = writer.createTask("acme", destination(settings()), "17", TASK);

        assertThat(done).isEqualTo("Pipedrive activity 901 (task) on person 17 due 2026-03-04");
        pipedrive.verify(1, postRequestedFor(urlPathEqualTo("/v1/activities"))
                .withQueryParam("api_token", equalTo(TOKEN)).withHeader("Authorization", absent())
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"subject":"Call Jane Doe","type":"task","due_date":"2026-03-04",
                         "note":"Budget &lt;40k&gt;<br>Call back before 5","person_id":17}""")));
    }

    @Test
    void theActivityTypeComesFromTheTaskActivityTypeSetting() {
        pipedrive.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(json(201, data(902))));
        Map<String, Object> settings = settings();
        settings.put("task_activity_type", "call");

        assertThat(writer.createTask("acme", destination(settings), "17", TASK)).contains("(call)");

        pipedrive.verify(1, postRequestedFor(urlPathEqualTo("/v1/activities"))
                .withRequestBody(equalToJson("{\"type\":\"call\"}", true, true)));
    }

    @Test
    void assignOwnerPutsTheOwnerIdOnThePerson() {
        pipedrive.stubFor(put(urlPathEqualTo("/v1/persons/17")).willReturn(json(200, data(17))));

        assertThat(writer.assignOwner("acme", destination(settings()), "17", "11"))
                .isEqualTo("Pipedrive owner 11 on person 17");

        pipedrive.verify(1, putRequestedFor(urlPathEqualTo("/v1/persons/17"))
                .withQueryParam("api_token", equalTo(TOKEN))
                .withRequestBody(equalToJson("{\"owner_id\":11}")));
    }

    @Test
    void anOwnerThatIsNotAPipedriveUserIdFailsWithoutARequest() {
        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), "17", "jane@example.com"));

        assertThat(e.getMessage()).contains("is not a Pipedrive user id");
        assertThat(pipedrive.getAllServeEvents()).isEmpty();
    }

    @Test
    void rateLimited429WaitsRetryAfter() {
        pipedrive.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(json(429,
                "{\"success\":false,\"error\":\"Too many requests\"}").withHeader("Retry-After", "2")
                .withHeader("x-ratelimit-reset", "7")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), "17", TASK));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(e.getMessage()).contains("Pipedrive create activity (POST /v1/activities): HTTP 429 Too many requests");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void rateLimited429WithoutRetryAfterWaitsTheRateLimitReset() {
        pipedrive.stubFor(put(urlPathEqualTo("/v1/persons/17")).willReturn(json(429,
                "{\"success\":false,\"error\":\"Too many requests\"}").withHeader("x-ratelimit-reset", "7")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), "17", "11"));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void anExhaustedBurstWindowHoldsTheConnectorsNextRequestWithTheSameToken() {
        pipedrive.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(json(201, data(903))
                .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", "2")));
        DestinationConfig destination = destination(settings());
        writer.createTask("acme", destination, "17", TASK);

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(new DeliveryRequest("acme", destination, EVENT_ID, Map.of(), PHONE, EMAIL,
                        null, tmp.resolve("dry-run"), CrmStubs.event())));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(requestLog(pipedrive)).containsExactly("POST /v1/activities");
    }

    @Test
    void serverErrorIsTransient() {
        pipedrive.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(json(503,
                "{\"success\":false,\"error\":\"Service unavailable\"}")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), "17", TASK));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void validationErrorIsPermanentWithPipedrivesBody() {
        String body = """
                {"success":false,"error":"Activity type task is not active","error_info":"Please check developers.pipedrive.com","data":null}""";
        pipedrive.stubFor(post(urlPathEqualTo("/v1/activities")).willReturn(json(400, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), "17", TASK));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("HTTP 400 Activity type task is not active (Please check");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void successFalseInsideA200IsPermanent() {
        String body = "{\"success\":false,\"error\":\"Person not found\"}";
        pipedrive.stubFor(put(urlPathEqualTo("/v1/persons/404")).willReturn(json(200, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), "404", "11"));

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("Person not found");
    }

    @Test
    void anEmptyApiTokenIsAConfigurationError() {
        Map<String, Object> settings = settings();
        settings.put("api_token", Secret.empty());

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings), "17", TASK));

        assertThat(e.getMessage()).contains("api_token resolved empty");
        assertThat(pipedrive.getAllServeEvents()).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("api_token", Secret.of(TOKEN));
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("pd", "pipedrive", true, URI.create(pipedrive.baseUrl()), Secret.empty(),
                DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String data(long id) {
        return "{\"success\":true,\"data\":{\"id\":" + id + "},\"additional_data\":{}}";
    }
}
