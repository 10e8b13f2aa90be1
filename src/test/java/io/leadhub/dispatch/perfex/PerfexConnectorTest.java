package io.leadhub.dispatch.perfex;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.MultipartValuePatternBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

class PerfexConnectorTest {

    private static final String TOKEN = "perfex-authtoken-0c0c";
    private static final String PHONE = "+14045558514";
    private static final String EMAIL = "maria@example.com";
    private static final String EVENT_ID = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String SEARCH_PHONE = "/api/leads/search/4045558514";
    private static final String SEARCH_EMAIL = "/api/leads/search/maria@example.com";

    private static WireMockServer perfex;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final PerfexConnector connector = new PerfexConnector(new OutboundHttp(RestClient.builder()), mapper);

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
    void typeIsPerfex() {
        assertThat(connector.type()).isEqualTo("perfex");
    }

    @Test
    void leadFoundByPhoneIsUpdatedWithJsonAndCustomFields() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(okJson("""
                [{"id":"12","name":"Other","phonenumber":"+1 (770) 555-8514","email":""},
                 {"id":"17","name":"Maria Gonzalez","phonenumber":"404-555-8514","email":"maria@example.com"}]""")));
        perfex.stubFor(put(urlEqualTo("/api/leads/17")).willReturn(okJson("""
                {"status":true,"message":"Lead Update Successful."}""")));

        DeliveryResult result = connector.deliver(request(destination(settings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "17"));
        assertThat(requestLog()).containsExactly("GET " + SEARCH_PHONE, "PUT /api/leads/17");
        perfex.verify(1, authed(getRequestedFor(urlEqualTo(SEARCH_PHONE))));
        perfex.verify(1, authed(putRequestedFor(urlEqualTo("/api/leads/17")))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"phonenumber":"+14045558514","description":"Wants a kitchen remodel",
                         "custom_fields":{"leads":{"4":"answered","5":"positive","6":"Book estimate","7":"2026-11-24"}}}""")));
    }

    @Test
    void searchByEmailAfterAPhoneMiss() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(json(404, "{\"status\":false,\"message\":\"No data were found\"}")));
        perfex.stubFor(get(urlEqualTo(SEARCH_EMAIL)).willReturn(okJson("""
                {"data":[{"id":"31","phonenumber":"","email":"Maria@Example.com"}],"meta":{"total":1}}""")));
        perfex.stubFor(put(urlEqualTo("/api/leads/31")).willReturn(okJson("{\"status\":true}")));

        assertThat(connector.deliver(request(destination(settings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "31"));
        assertThat(requestLog()).containsExactly("GET " + SEARCH_PHONE, "GET " + SEARCH_EMAIL, "PUT /api/leads/31");
    }

    @Test
    void unknownLeadIsCreatedAsMultipartWithRequiredFieldsAndCustomFields() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(json(404, "{\"status\":false}")));
        perfex.stubFor(get(urlEqualTo(SEARCH_EMAIL)).willReturn(json(404, "{\"status\":false}")));
        perfex.stubFor(post(urlEqualTo("/api/leads")).willReturn(okJson("""
                {"status":true,"message":"Lead add successful.","record_id":88}""")));

        DeliveryResult result = connector.deliver(request(destination(settings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "88"));
        RequestPatternBuilder create = authed(postRequestedFor(urlEqualTo("/api/leads")))
                .withHeader("Content-Type", containing("multipart/form-data;boundary="));
        for (Map.Entry<String, String> field : Map.of("name", "Maria Gonzalez", "source", "3", "status", "2",
                "assigned", "1", "country", "236", "phonenumber", PHONE, "description", "Wants a kitchen remodel",
                "custom_fields[leads][4]", "answered", "custom_fields[leads][7]", "2026-11-24").entrySet()) {
            create = create.withRequestBodyPart(part(field.getKey(), field.getValue()).build());
        }
        perfex.verify(1, create);
        LoggedRequest sent = perfex.findAll(postRequestedFor(urlEqualTo("/api/leads"))).get(0);
        assertThat(sent.getParts()).extracting(p -> p.getName()).containsExactly("name", "source", "status",
                "assigned", "country", "phonenumber", "description", "custom_fields[leads][4]",
                "custom_fields[leads][5]", "custom_fields[leads][6]", "custom_fields[leads][7]");
    }

    @Test
    void createAnswerWithoutIdIsFollowedByASearchForTheNewLead() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).inScenario("new").whenScenarioStateIs(STARTED)
                .willReturn(json(404, "{\"status\":false}")));
        perfex.stubFor(get(urlEqualTo(SEARCH_EMAIL)).willReturn(json(404, "{\"status\":false}")));
        perfex.stubFor(post(urlEqualTo("/api/leads")).inScenario("new").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"status\":true,\"message\":\"Lead add successful.\"}")).willSetStateTo("created"));
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).inScenario("new").whenScenarioStateIs("created")
                .willReturn(okJson("[{\"id\":\"90\",\"phonenumber\":\"+14045558514\"}]")));

        assertThat(connector.deliver(request(destination(settings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "90"));
        assertThat(requestLog()).containsExactly("GET " + SEARCH_PHONE, "GET " + SEARCH_EMAIL, "POST /api/leads",
                "GET " + SEARCH_PHONE);
    }

    @Test
    void knownLeadIsUpdatedWithoutSearchAndAGoneOneFallsBackToTheSearch() {
        perfex.stubFor(put(urlEqualTo("/api/leads/17")).willReturn(okJson("{\"status\":true}")));
        assertThat(connector.deliver(request(destination(settings()), "17")))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "17"));
        assertThat(requestLog()).containsExactly("PUT /api/leads/17");

        perfex.resetAll();
        perfex.stubFor(put(urlEqualTo("/api/leads/5")).willReturn(json(404, "{\"status\":false,\"message\":\"Lead Update Fail.\"}")));
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(okJson("[{\"id\":\"17\",\"phonenumber\":\"4045558514\"}]")));
        perfex.stubFor(put(urlEqualTo("/api/leads/17")).willReturn(okJson("{\"status\":true}")));
        assertThat(connector.deliver(request(destination(settings()), "5")))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "17"));
        assertThat(requestLog()).containsExactly("PUT /api/leads/5", "GET " + SEARCH_PHONE, "PUT /api/leads/17");
    }

    @Test
    void updateThatChangesNothingIsAnsweredWith404AndCountsAsUpdated() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(okJson("[{\"id\":\"17\",\"phonenumber\":\"+14045558514\"}]")));
        perfex.stubFor(put(urlEqualTo("/api/leads/17")).willReturn(json(404,
                "{\"status\":false,\"message\":\"Lead Update Fail.\"}")));

        assertThat(connector.deliver(request(destination(settings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "17"));
    }

    @Test
    void skipAndCreateActionsOnAFoundLead() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(okJson("[{\"id\":\"17\",\"phonenumber\":\"+14045558514\"}]")));
        assertThat(connector.deliver(request(destination(settings(),
                new DuplicateDetection(List.of("phone"), DuplicateAction.SKIP), DryRun.OFF), null)))
                .isEqualTo(new DeliveryResult(Outcome.SKIPPED, "17"));

        perfex.stubFor(post(urlEqualTo("/api/leads")).willReturn(okJson("{\"status\":true,\"id\":\"18\"}")));
        assertThat(connector.deliver(request(destination(settings(),
                new DuplicateDetection(List.of("phone"), DuplicateAction.CREATE), DryRun.OFF), null)))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "18"));
    }

    @Test
    void phoneSearchSettingChoosesTheSearchTerm() {
        Map<String, Object> settings = settings();
        settings.put("phone_search", "e164");
        perfex.stubFor(get(urlEqualTo("/api/leads/search/+14045558514"))
                .willReturn(okJson("[{\"id\":\"17\",\"phonenumber\":\"+14045558514\"}]")));
        perfex.stubFor(put(urlEqualTo("/api/leads/17")).willReturn(okJson("{\"status\":true}")));

        assertThat(connector.deliver(request(destination(settings), null)).crmRecordId()).isEqualTo("17");
    }

    @Test
    void rateLimitAndServerErrorsAreTransient() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(json(429, "{\"message\":\"Too many requests\"}")
                .withHeader("Retry-After", "60")));
        TransientDeliveryException limited = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(settings()), null)));
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(60));
        assertThat(limited.getMessage()).startsWith("Perfex search lead by phone (GET /api/leads/search/40455***14)")
                .doesNotContain("4045558514");

        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(aResponse().withStatus(502)));
        assertThat(catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(settings()), null))).httpStatus()).isEqualTo(502);
    }

    @Test
    void badTokenAndValidationErrorsArePermanentWithPerfexsBody() {
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(json(401,
                "{\"status\":false,\"message\":\"Token is not valid\"}")));
        PermanentDeliveryException unauthorized = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings()), null)));
        assertThat(unauthorized.httpStatus()).isEqualTo(401);
        assertThat(unauthorized.getMessage()).contains("Token is not valid").doesNotContain(TOKEN);

        perfex.resetAll();
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(json(404, "{\"status\":false}")));
        perfex.stubFor(get(urlEqualTo(SEARCH_EMAIL)).willReturn(json(404, "{\"status\":false}")));
        String body = "{\"status\":false,\"error\":{\"source\":\"The Source field is required.\"},"
                + "\"message\":\"The Source field is required.\"}";
        perfex.stubFor(post(urlEqualTo("/api/leads")).willReturn(json(404, body)));
        PermanentDeliveryException invalid = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings()), null)));
        assertThat(invalid.httpStatus()).isEqualTo(404);
        assertThat(invalid.responseBody()).isEqualTo(body);
        assertThat(invalid.getMessage()).isEqualTo("Perfex create lead (POST /api/leads): HTTP 404 The Source field is required.");
    }

    @Test
    void twoHundredWithStatusFalseIsPermanent() {
        perfex.stubFor(put(urlEqualTo("/api/leads/17")).willReturn(okJson("{\"status\":false,\"message\":\"Lead Update Fail.\"}")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings()), "17")));

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).contains("status false", "Lead Update Fail.");
    }

    @Test
    void missingLeadDefaultsIsAPermanentSettingError() {
        Map<String, Object> settings = settings();
        settings.put("lead_defaults", Map.of("source", 3, "status", 2));
        perfex.stubFor(get(urlEqualTo(SEARCH_PHONE)).willReturn(json(404, "{}")));
        perfex.stubFor(get(urlEqualTo(SEARCH_EMAIL)).willReturn(json(404, "{}")));

        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings), null))).getMessage())
                .startsWith("perfex destination perfex-main: setting 'lead_defaults.assigned' is required");
    }

    @Test
    void dryRunWritesSearchesAndTheCreateFormWithTheTokenMasked() throws IOException {
        DeliveryResult result = connector.deliver(request(destination(settings(), DuplicateDetection.DEFAULT,
                DryRun.ON), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(perfex.getAllServeEvents()).isEmpty();
        try (Stream<Path> files = Files.list(dryRunDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    EVENT_ID + "-01-search-phone.json", EVENT_ID + "-02-search-email.json", EVENT_ID + "-03-create.json");
        }
        String text = Files.readString(dryRunDir.resolve(EVENT_ID + "-03-create.json"));
        JsonNode create = mapper.readTree(text);
        assertThat(create.path("headers").path("authtoken").asText()).isEqualTo("****");
        assertThat(create.path("body").path("custom_fields[leads][5]").asText()).isEqualTo("positive");
        assertThat(text).doesNotContain(TOKEN);
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lead_defaults", new LinkedHashMap<>(Map.of("source", 3L, "status", 2L, "assigned", 1L)));
        castMap(settings.get("lead_defaults")).put("country", "236");
        settings.put("custom_fields", Map.of("call_outcome", 4L, "sentiment", 5L, "next_action", 6L,
                "follow_up_date", "7"));
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return destination(settings, DuplicateDetection.DEFAULT, DryRun.OFF);
    }

    private DestinationConfig destination(Map<String, Object> settings, DuplicateDetection detection, DryRun dryRun) {
        return new DestinationConfig("perfex-main", "perfex", true, URI.create(perfex.baseUrl() + "/"),
                Secret.of(TOKEN), dryRun, detection, LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination, String knownRecordId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("phonenumber", PHONE);
        properties.put("description", "Wants a kitchen remodel");
        properties.put("call_outcome", "answered");
        properties.put("sentiment", "positive");
        properties.put("next_action", "Book estimate");
        properties.put("follow_up_date", "2026-11-24");
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("full_name", "Maria Gonzalez");
        EnrichedLead event = new EnrichedLead(EVENT_ID, "acme", "callrail", "post_call", "post_call:CAL1",
                Instant.EPOCH, Instant.EPOCH, lead, Map.of(), Map.of(), List.of());
        return new DeliveryRequest("acme", destination, EVENT_ID, properties, PHONE, EMAIL, knownRecordId, dryRunDir,
                event);
    }

    private static RequestPatternBuilder authed(RequestPatternBuilder pattern) {
        return pattern.withHeader("authtoken", equalTo(TOKEN)).withHeader("Accept", equalTo("application/json"));
    }

    private static MultipartValuePatternBuilder part(String name, String value) {
        return aMultipart().withName(name).withBody(equalTo(value));
    }

    private static List<String> requestLog() {
        List<ServeEvent> events = new ArrayList<>(perfex.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl()).toList();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
