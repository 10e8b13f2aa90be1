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
import static io.leadhub.dispatch.http.CrmStubs.EMAIL;
import static io.leadhub.dispatch.http.CrmStubs.EVENT_ID;
import static io.leadhub.dispatch.http.CrmStubs.MAPPER;
import static io.leadhub.dispatch.http.CrmStubs.PHONE;
import static io.leadhub.dispatch.http.CrmStubs.assertNoSecret;
import static io.leadhub.dispatch.http.CrmStubs.fileNames;
import static io.leadhub.dispatch.http.CrmStubs.readJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
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

class MondayConnectorTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.monday.SECRET-1";
    private static final String BOARD = "1234567890";
    private static final String COLUMNS = """
            {"phone_mkq1":{"phone":"+14045558514","countryShortName":"US"},
             "email_mkq2":{"email":"jane.doe@example.com","text":"jane.doe@example.com"},
             "status":{"label":"Hot"},"numbers_mkq3":85}""";

    private static WireMockServer monday;

    @TempDir
    Path tmp;

    private final MondayConnector connector = new MondayConnector(new OutboundHttp(RestClient.builder()),
            MAPPER, new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));

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

    // ---- create and update -------------------------------------------------------------------------

    @Test
    void typeIsMonday() {
        assertThat(connector.type()).isEqualTo("monday");
    }

    @Test
    void searchesThePhoneAndEmailColumnsThenCreatesTheItemWithJsonEncodedColumnValues() {
        stubSearch("phone_mkq1", noItems());
        stubSearch("email_mkq2", noItems());
        stubOperation("create_item", okJson("{\"data\":{\"create_item\":{\"id\":\"9876543210\"}},\"account_id\":1}"));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "9876543210"));
        List<JsonNode> bodies = CrmStubs.requestBodies(monday);
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0).path("query").asText()).isEqualTo(MondayConnector.FIND_ITEMS);
        assertThat(bodies.get(0).path("variables")).isEqualTo(CrmStubs.json("""
                {"board":"1234567890","column":"phone_mkq1","value":"+14045558514"}"""));
        assertThat(bodies.get(1).path("variables")).isEqualTo(CrmStubs.json("""
                {"board":"1234567890","column":"email_mkq2","value":"jane.doe@example.com"}"""));
        JsonNode create = bodies.get(2);
        assertThat(create.path("query").asText()).isEqualTo(MondayConnector.CREATE_ITEM_IN_GROUP)
                .contains("create_labels_if_missing: true").doesNotContain("Jane", BOARD);
        assertThat(create.path("variables").path("board").asText()).isEqualTo(BOARD);
        assertThat(create.path("variables").path("group").asText()).isEqualTo("new_leads");
        assertThat(create.path("variables").path("name").asText()).isEqualTo("Jane Doe");
        // column_values travels as a JSON-encoded string
        assertThat(create.path("variables").path("columns").isTextual()).isTrue();
        assertThat(CrmStubs.json(create.path("variables").path("columns").asText())).isEqualTo(CrmStubs.json(COLUMNS));
        monday.verify(3, postRequestedFor(urlEqualTo("/v2"))
                .withHeader("Authorization", equalTo(TOKEN))
                .withHeader("API-Version", equalTo("2026-10"))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void withoutGroupTheItemGoesToTheTopGroup() {
        Map<String, Object> settings = settings();
        settings.remove("group_id");
        settings.remove("phone_column");
        settings.remove("email_column");
        stubOperation("create_item", okJson("{\"data\":{\"create_item\":{\"id\":\"1\"}}}"));

        connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings), null));

        JsonNode create = CrmStubs.requestBodies(monday).get(0);
        assertThat(create.path("query").asText()).isEqualTo(MondayConnector.CREATE_ITEM);
        assertThat(create.path("variables").has("group")).isFalse();
    }

    @Test
    void knownItemIsChangedWithChangeMultipleColumnValuesIncludingTheName() {
        stubOperation("change_multiple_column_values",
                okJson("{\"data\":{\"change_multiple_column_values\":{\"id\":\"555\"}}}"));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), "555"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "555"));
        List<JsonNode> bodies = CrmStubs.requestBodies(monday);
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0).path("query").asText()).isEqualTo(MondayConnector.CHANGE_COLUMNS);
        assertThat(bodies.get(0).path("variables").path("board").asText()).isEqualTo(BOARD);
        assertThat(bodies.get(0).path("variables").path("item").asText()).isEqualTo("555");
        JsonNode columns = CrmStubs.json(bodies.get(0).path("variables").path("columns").asText());
        assertThat(columns.path("name").asText()).isEqualTo("Jane Doe");
        assertThat(columns.path("status").path("label").asText()).isEqualTo("Hot");
    }

    @Test
    void itemFoundByPhoneIsChangedAndWithSkipLeftAlone() {
        stubSearch("phone_mkq1", okJson("{\"data\":{\"items_page_by_column_values\":{\"items\":[{\"id\":\"777\"}]}}}"));
        stubOperation("change_multiple_column_values",
                okJson("{\"data\":{\"change_multiple_column_values\":{\"id\":\"777\"}}}"));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "777"));
        assertThat(CrmStubs.requestBodies(monday)).extracting(b -> b.path("query").asText())
                .containsExactly(MondayConnector.FIND_ITEMS, MondayConnector.CHANGE_COLUMNS);

        monday.resetRequests();
        DuplicateDetection skip = new DuplicateDetection(List.of("phone"), DuplicateAction.SKIP);
        assertThat(connector.deliver(request(destination(skip, settings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.SKIPPED, "777"));
        assertThat(CrmStubs.requestBodies(monday)).hasSize(1);
    }

    @Test
    void knownItemDeletedOnMondayFallsBackToSearchAndCreate() {
        stubOperation("change_multiple_column_values", okJson("""
                {"errors":[{"message":"Item not found in board","locations":[{"line":1,"column":60}],
                 "path":["change_multiple_column_values"],"extensions":{"code":"ResourceNotFoundException",
                 "status_code":404,"error_data":{"item_id":555}}}],"account_id":1}"""));
        stubSearch("phone_mkq1", noItems());
        stubSearch("email_mkq2", noItems());
        stubOperation("create_item", okJson("{\"data\":{\"create_item\":{\"id\":\"556\"}}}"));

        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings()), "555")))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "556"));
        assertThat(CrmStubs.requestBodies(monday)).extracting(b -> b.path("query").asText()).containsExactly(
                MondayConnector.CHANGE_COLUMNS, MondayConnector.FIND_ITEMS, MondayConnector.FIND_ITEMS,
                MondayConnector.CREATE_ITEM_IN_GROUP);
    }

    // ---- errors ------------------------------------------------------------------------------------

    @Test
    void complexityBudgetExhaustedIn200IsTransientWithRetryInSeconds() {
        stubOperation("create_item", okJson("""
                {"errors":[{"message":"Complexity budget exhausted","extensions":{"code":"COMPLEXITY_BUDGET_EXHAUSTED",
                 "retry_in_seconds":23,"status_code":429}}],"account_id":1}"""));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(23));
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.getMessage()).contains("monday.com create_item (POST /v2): HTTP 429 COMPLEXITY_BUDGET_EXHAUSTED");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void olderComplexityExceptionIsTransientWithTheResetFromTheMessage() {
        stubOperation("create_item", aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error_code":"ComplexityException","status_code":429,"error_message":"Complexity budget exhausted, query cost 30001 budget remaining 2 out of 1000000 reset in 12 seconds","error_data":{}}"""));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
    }

    @Test
    void dailyLimitExceededIsTransient() {
        stubOperation("create_item", okJson("""
                {"errors":[{"message":"Daily limit exceeded","extensions":{"code":"DAILY_LIMIT_EXCEEDED","status_code":429}}]}""")
                .withHeader("Retry-After", "3600"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        assertThat(e.getMessage()).contains("DAILY_LIMIT_EXCEEDED");
    }

    @Test
    void http429IsTransientWithRetryAfter() {
        stubOperation("create_item", aResponse().withStatus(429).withHeader("Retry-After", "8")
                .withBody("{\"errors\":[{\"message\":\"Rate limit exceeded\",\"extensions\":{\"code\":\"RATE_LIMIT_EXCEEDED\"}}]}"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(8));
    }

    @Test
    void otherGraphQlErrorIn200IsPermanentWithMondaysBody() {
        String body = """
                {"errors":[{"message":"invalid value, please check our API documentation for the correct data structure for this column.",\
                "extensions":{"code":"ColumnValueException","status_code":200,"error_data":{"column_value":"{\\"phone\\":\\"+14045558514\\"}",\
                "column_type":"PhoneColumn"}}}],"account_id":1}""";
        stubOperation("create_item", okJson(body));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).contains("ColumnValueException: invalid value");
    }

    @Test
    void unauthorizedIsPermanentWithoutTheToken() {
        stubOperation("create_item", aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"Not Authenticated\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("UNAUTHENTICATED");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void serverErrorIsTransient() {
        stubOperation("create_item", aResponse().withStatus(500).withBody("{\"error_message\":\"Internal server error\"}"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT, noSearch()), null)));

        assertThat(e.httpStatus()).isEqualTo(500);
    }

    // ---- dry run -----------------------------------------------------------------------------------

    @Test
    void dryRunWritesTheSearchesAndTheMutationWithTheTokenMasked() {
        DestinationConfig destination = new DestinationConfig("board", "monday", true, URI.create("https://api.monday.com"),
                Secret.of(TOKEN), DryRun.ON, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings());

        assertThat(connector.deliver(request(destination, null))).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(monday.getAllServeEvents()).isEmpty();
        Path dir = tmp.resolve("dry-run");
        assertThat(fileNames(dir)).containsExactly(EVENT_ID + "-01-search-phone.json",
                EVENT_ID + "-02-search-email.json", EVENT_ID + "-03-create-item.json");
        JsonNode create = readJson(dir.resolve(EVENT_ID + "-03-create-item.json"));
        assertThat(create.path("url").asText()).isEqualTo("https://api.monday.com/v2");
        assertThat(create.path("headers").path("Authorization").asText()).isEqualTo("****");
        assertThat(create.path("headers").path("API-Version").asText()).isEqualTo("2026-10");
        assertThat(create.path("body").path("variables").path("name").asText()).isEqualTo("Jane Doe");
        assertThat(create.toString()).doesNotContain(TOKEN);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("board_id", Long.parseLong(BOARD));
        settings.put("group_id", "new_leads");
        settings.put("phone_column", "phone_mkq1");
        settings.put("email_column", "email_mkq2");
        return settings;
    }

    private static Map<String, Object> noSearch() {
        Map<String, Object> settings = settings();
        settings.remove("phone_column");
        settings.remove("email_column");
        return settings;
    }

    private DestinationConfig destination(DuplicateDetection detection, Map<String, Object> settings) {
        return new DestinationConfig("board", "monday", true, URI.create(monday.baseUrl()), Secret.of(TOKEN),
                DryRun.OFF, detection, LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination, String known) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("status", Map.of("label", "Hot"));
        properties.put("numbers_mkq3", 85L);
        return new DeliveryRequest("acme", destination, EVENT_ID, properties, PHONE, EMAIL, known,
                tmp.resolve("dry-run"), CrmStubs.event());
    }

    private static void stubSearch(String column, ResponseDefinitionBuilder response) {
        monday.stubFor(graphql().withRequestBody(containing("items_page_by_column_values"))
                .withRequestBody(matchingJsonPath("$.variables.column", equalTo(column))).willReturn(response));
    }

    private static void stubOperation(String operation, ResponseDefinitionBuilder response) {
        monday.stubFor(graphql().withRequestBody(matchingJsonPath("$.query", containing(operation + "(")))
                .willReturn(response));
    }

    private static MappingBuilder graphql() {
        return post(urlEqualTo("/v2"));
    }

    private static String noItemsJson() {
        return "{\"data\":{\"items_page_by_column_values\":{\"items\":[]}},\"account_id\":1}";
    }

    private static ResponseDefinitionBuilder noItems() {
        return okJson(noItemsJson());
    }
}
