package io.leadhub.dispatch.monday;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.leadhub.dispatch.http.CrmStubs.EVENT_ID;
import static io.leadhub.dispatch.http.CrmStubs.MAPPER;
import static io.leadhub.dispatch.http.CrmStubs.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
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
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

/** The monday.com side of create_task / assign_owner against a WireMock GraphQL endpoint. */
class MondayWorkflowWriterTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.monday.SECRET-1";
    private static final String BOARD = "1234567890";
    private static final String ITEM = "9876543210";
    private static final CrmTask FOLLOW_UP = new CrmTask(EVENT_ID, "Call back Jane", "Kitchen remodel",
            LocalDate.parse("2026-11-22"), Instant.parse("2026-11-22T05:00:00Z"), ZoneId.of("America/New_York"),
            CrmTask.Priority.HIGH);

    private static WireMockServer monday;

    private final MondayConnector connector = new MondayConnector(new OutboundHttp(RestClient.builder()),
            MAPPER, new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));
    private final MondayWorkflowWriter writer = new MondayWorkflowWriter(connector, MAPPER);

    @BeforeAll
    static void start() {
        monday = new WireMockServer(options().dynamicPort());
        monday.start();
    }

    @AfterAll
    static void stop() {
        monday.stop();
    }

    @BeforeEach
    void reset() {
        monday.resetAll();
    }

    @Test
    void typeIsMonday() {
        assertThat(writer.type()).isEqualTo("monday");
    }

    // ---- create_task -------------------------------------------------------------------------------

    @Test
    void createTaskCreatesASubitemOfTheLeadsItemWithTheDueDateInTheDateColumn() {
        stubOperation("create_subitem", okJson("{\"data\":{\"create_subitem\":{\"id\":\"5550001\"}},\"account_id\":1}"));

        String result = writer.createTask("acme", destination(settings()), ITEM, FOLLOW_UP);

        assertThat(result).isEqualTo("monday.com subitem 5550001 of item " + ITEM + " due 2026-11-22");
        monday.verify(1, postRequestedFor(urlEqualTo("/v2"))
                .withHeader("Authorization", equalTo(TOKEN))
                .withHeader("API-Version", equalTo("2026-10"))
                .withHeader("Content-Type", equalTo("application/json")));
        JsonNode body = CrmStubs.requestBodies(monday).get(0);
        assertThat(body.path("query").asText()).isEqualTo(MondayWorkflowWriter.CREATE_SUBITEM)
                .contains("create_subitem(parent_item_id: $parent, item_name: $name, column_values: $columns)")
                .doesNotContain(ITEM, "Jane");
        assertThat(body.path("variables").path("parent").asText()).isEqualTo(ITEM);
        assertThat(body.path("variables").path("name").asText()).isEqualTo("Call back Jane");
        // column_values travels as a JSON-encoded string
        assertThat(body.path("variables").path("columns").isTextual()).isTrue();
        assertThat(CrmStubs.json(body.path("variables").path("columns").asText()))
                .isEqualTo(CrmStubs.json("{\"date_mkq9\":{\"date\":\"2026-11-22\"}}"));
    }

    @Test
    void withoutADateColumnTheSubitemHasNoColumnValues() {
        Map<String, Object> settings = settings();
        settings.remove("task_date_column");
        stubOperation("create_subitem", okJson("{\"data\":{\"create_subitem\":{\"id\":\"5550002\"}}}"));

        assertThat(writer.createTask("acme", destination(settings), ITEM, FOLLOW_UP))
                .isEqualTo("monday.com subitem 5550002 of item " + ITEM);
        assertThat(CrmStubs.requestBodies(monday).get(0).path("variables").has("columns")).isFalse();
    }

    // ---- assign_owner ------------------------------------------------------------------------------

    @Test
    void assignOwnerChangesThePeopleColumnOfTheItem() {
        stubOperation("change_column_value", okJson("{\"data\":{\"change_column_value\":{\"id\":\"" + ITEM + "\"}}}"));

        String result = writer.assignOwner("acme", destination(settings()), ITEM, "31855020");

        assertThat(result).isEqualTo("monday.com owner 31855020 in column person of item " + ITEM);
        monday.verify(1, postRequestedFor(urlEqualTo("/v2")).withHeader("Authorization", equalTo(TOKEN)));
        JsonNode body = CrmStubs.requestBodies(monday).get(0);
        assertThat(body.path("query").asText()).isEqualTo(MondayWorkflowWriter.CHANGE_COLUMN);
        assertThat(body.path("variables").path("board").asText()).isEqualTo(BOARD);
        assertThat(body.path("variables").path("item").asText()).isEqualTo(ITEM);
        assertThat(body.path("variables").path("column").asText()).isEqualTo("person");
        assertThat(body.path("variables").path("value").isTextual()).isTrue();
        assertThat(CrmStubs.json(body.path("variables").path("value").asText()))
                .isEqualTo(CrmStubs.json("{\"personsAndTeams\":[{\"id\":31855020,\"kind\":\"person\"}]}"));
    }

    @Test
    void assignOwnerWithoutThePeopleColumnSettingIsPermanentNamingIt() {
        Map<String, Object> settings = settings();
        settings.remove("owner_column_id");

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings), ITEM, "31855020"));

        assertThat(e.getMessage()).isEqualTo("monday.com destination board: setting owner_column_id (the id of the "
                + "board's people column) is required for assign_owner");
        assertThat(monday.getAllServeEvents()).isEmpty();
    }

    @Test
    void anOwnerIdThatIsNotANumberIsPermanentWithoutARequest() {
        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), ITEM, "jane@example.com"));

        assertThat(e.getMessage()).startsWith("monday.com destination board: owner id (a monday.com user id) must be "
                + "a number");
        assertThat(monday.getAllServeEvents()).isEmpty();
    }

    @Test
    void anItemMondayNoLongerFindsIsPermanentWithMondaysBody() {
        String body = """
                {"errors":[{"message":"Item not found in board","path":["change_column_value"],
                 "extensions":{"code":"ResourceNotFoundException","status_code":404,"error_data":{"item_id":9876543210}}}],
                 "account_id":1}""";
        stubOperation("change_column_value", okJson(body));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), ITEM, "31855020"));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).isEqualTo("monday.com change_column_value (POST /v2): HTTP 404 "
                + "ResourceNotFoundException: Item not found in board");
    }

    // ---- errors ------------------------------------------------------------------------------------

    @Test
    void complexityBudgetExhaustedInsideA200IsTransientWithRetryInSeconds() {
        stubOperation("create_subitem", okJson("""
                {"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED",
                 "retry_in_seconds":23,"status_code":429}}],"account_id":1}"""));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), ITEM, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(23));
        assertThat(e.getMessage()).startsWith("monday.com create_subitem (POST /v2): HTTP 429 COMPLEXITY_BUDGET_EXHAUSTED");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void otherGraphQlErrorInsideA200IsPermanentWithMondaysBody() {
        String body = """
                {"errors":[{"message":"The column date_mkq9 was not found on the board","extensions":{"code":"InvalidColumnIdException",\
                "status_code":200,"error_data":{"column_id":"date_mkq9"}}}],"account_id":1}""";
        stubOperation("create_subitem", okJson(body));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), ITEM, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).isEqualTo("monday.com create_subitem (POST /v2): HTTP 200 InvalidColumnIdException: "
                + "The column date_mkq9 was not found on the board");
    }

    @Test
    void olderTopLevelErrorCodeInsideA200IsRecognised() {
        stubOperation("create_subitem", okJson("""
                {"error_code":"ComplexityException","status_code":429,"error_message":"Complexity budget exhausted, query cost 30001 budget remaining 2 out of 1000000 reset in 12 seconds","error_data":{}}"""));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), ITEM, FOLLOW_UP));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
    }

    @Test
    void http429IsTransientWithRetryAfter() {
        stubOperation("change_column_value", aResponse().withStatus(429).withHeader("Retry-After", "8")
                .withBody("{\"errors\":[{\"message\":\"Rate limit exceeded\",\"extensions\":{\"code\":\"RATE_LIMIT_EXCEEDED\"}}]}"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.assignOwner("acme", destination(settings()), ITEM, "31855020"));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(8));
    }

    @Test
    void serverErrorIsTransient() {
        stubOperation("create_subitem", aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), ITEM, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void unauthorizedIsPermanentWithTheBodyAndWithoutTheToken() {
        String body = "{\"errors\":[{\"message\":\"Not Authenticated\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}";
        stubOperation("create_subitem", aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody(body));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", destination(settings()), ITEM, FOLLOW_UP));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("UNAUTHENTICATED: Not Authenticated");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void anEmptyTokenIsPermanentWithoutARequest() {
        DestinationConfig noToken = new DestinationConfig("board", "monday", true, URI.create(monday.baseUrl()),
                Secret.empty(), DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings());

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> writer.createTask("acme", noToken, ITEM, FOLLOW_UP));

        assertThat(e.getMessage()).contains("token resolved empty");
        assertThat(monday.getAllServeEvents()).isEmpty();
    }

    // ---- wiring ------------------------------------------------------------------------------------

    @Test
    void isANamedSpringBeanOnTheConnector() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                        HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
                .withUserConfiguration(OutboundHttp.class, MondayConnector.class, MondayWorkflowWriter.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("mondayWorkflowWriter")).isInstanceOf(MondayWorkflowWriter.class);
                    assertThat(ctx.getBeansOfType(CrmWorkflowWriter.class).values()).extracting(CrmWorkflowWriter::type)
                            .containsExactly("monday");
                });
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("board_id", Long.parseLong(BOARD));
        settings.put("phone_column", "phone_mkq1");
        settings.put("task_date_column", "date_mkq9");
        settings.put("owner_column_id", "person");
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("board", "monday", true, URI.create(monday.baseUrl()), Secret.of(TOKEN),
                DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private static void stubOperation(String operation, ResponseDefinitionBuilder response) {
        monday.stubFor(post(urlEqualTo("/v2")).withRequestBody(matchingJsonPath("$.query", containing(operation + "(")))
                .willReturn(response));
    }
}
