package io.leadhub.dispatch.pipedrive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import static io.leadhub.dispatch.http.CrmStubs.fileNames;
import static io.leadhub.dispatch.http.CrmStubs.readJson;
import static io.leadhub.dispatch.http.CrmStubs.requestLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
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
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

class PipedriveConnectorTest {

    private static final String TOKEN = "pd-api-token-SECRET-123";
    private static final String SCORE_FIELD = "7a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

    private static WireMockServer pipedrive;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final PipedriveConnector connector =
            new PipedriveConnector(new OutboundHttp(RestClient.builder()), MAPPER, clock);

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

    // ---- create ------------------------------------------------------------------------------------

    @Test
    void typeIsPipedrive() {
        assertThat(connector.type()).isEqualTo("pipedrive");
    }

    @Test
    void createsPersonDealAndTranscriptNoteWhenNeitherPhoneNorEmailMatches() {
        stubSearch("phone", ok(noHit()));
        stubSearch("email", ok(noHit()));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/persons")).willReturn(created(17)));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/deals")).willReturn(created(30)));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(created(50)));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "17"));
        assertThat(requestLog(pipedrive)).containsExactly("GET /v1/persons/search", "GET /v1/persons/search",
                "POST /v1/persons", "POST /v1/deals", "POST /v1/notes");
        pipedrive.verify(1, authorized(getRequestedFor(urlPathEqualTo("/v1/persons/search")))
                .withQueryParam("term", equalTo(PHONE)).withQueryParam("fields", equalTo("phone"))
                .withQueryParam("exact_match", equalTo("true")).withHeader("Accept", equalTo("application/json")));
        pipedrive.verify(1, authorized(getRequestedFor(urlPathEqualTo("/v1/persons/search")))
                .withQueryParam("term", equalTo(EMAIL)).withQueryParam("fields", equalTo("email"))
                .withQueryParam("exact_match", equalTo("true")));
        pipedrive.verify(1, json(authorized(postRequestedFor(urlPathEqualTo("/v1/persons")))).withRequestBody(equalToJson("""
                {"name":"Jane Doe",
                 "phone":[{"value":"+14045558514","primary":true,"label":"mobile"}],
                 "email":[{"value":"jane.doe@example.com","primary":true,"label":"work"}],
                 "7a1b2c3d4e5f60718293a4b5c6d7e8f901234567":85}""")));
        pipedrive.verify(1, json(authorized(postRequestedFor(urlPathEqualTo("/v1/deals")))).withRequestBody(equalToJson("""
                {"title":"Jane Doe - kitchen","value":45000,"currency":"USD","pipeline_id":1,"stage_id":2,
                 "person_id":17}""")));
        pipedrive.verify(1, json(authorized(postRequestedFor(urlPathEqualTo("/v1/notes")))).withRequestBody(equalToJson("""
                {"content":"<b>Call transcript</b><br>Hi, we want a new kitchen.<br>Budget is about 40k &lt;soon&gt;.<br><br>LeadHub event 5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c",
                 "person_id":17,"deal_id":30}""")));
    }

    @Test
    void mappedTitleAndNoteWinOverTheDefaultsAndAreNotPersonFields() {
        stubSearch("phone", ok(noHit()));
        stubSearch("email", ok(noHit()));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/persons")).willReturn(created(17)));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/deals")).willReturn(created(30)));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(created(50)));
        Map<String, Object> properties = new LinkedHashMap<>(properties());
        properties.put("name", "J. Doe");
        properties.put("title", "Kitchen for J. Doe");
        properties.put("note", "Summary: wants a kitchen");

        connector.deliver(new DeliveryRequest("acme", destination(DuplicateDetection.DEFAULT), EVENT_ID, properties,
                PHONE, EMAIL, null, tmp, CrmStubs.event()));

        List<JsonNode> bodies = CrmStubs.requestBodies(pipedrive);
        assertThat(bodies.get(2).path("name").asText()).isEqualTo("J. Doe");
        assertThat(bodies.get(2).has("title")).isFalse();
        assertThat(bodies.get(2).has("note")).isFalse();
        assertThat(bodies.get(3).path("title").asText()).isEqualTo("Kitchen for J. Doe");
        assertThat(bodies.get(4).path("content").asText())
                .isEqualTo("Summary: wants a kitchen<br><br>LeadHub event " + EVENT_ID);
    }

    // ---- update on duplicate -----------------------------------------------------------------------

    @Test
    void updatesPersonFoundByPhoneAddingTheEmailAndCreatesDealAndNoteOnce() {
        stubSearch("phone", ok(hit(17, "[\"+14045558514\"]", "[]")));
        pipedrive.stubFor(put(urlPathEqualTo("/v1/persons/17")).willReturn(ok(data(17))));
        pipedrive.stubFor(get(urlPathEqualTo("/v1/persons/17/deals")).willReturn(ok("{\"success\":true,\"data\":null}")));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/deals")).willReturn(created(30)));
        pipedrive.stubFor(get(urlPathEqualTo("/v1/notes")).willReturn(ok("{\"success\":true,\"data\":[]}")));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(created(50)));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "17"));
        assertThat(requestLog(pipedrive)).containsExactly("GET /v1/persons/search", "PUT /v1/persons/17",
                "GET /v1/persons/17/deals", "POST /v1/deals", "GET /v1/notes", "POST /v1/notes");
        // the phone is already there: no phone list (which would replace the person's numbers)
        pipedrive.verify(1, json(authorized(putRequestedFor(urlPathEqualTo("/v1/persons/17")))).withRequestBody(equalToJson("""
                {"name":"Jane Doe",
                 "email":[{"value":"jane.doe@example.com","primary":true,"label":"work"}],
                 "7a1b2c3d4e5f60718293a4b5c6d7e8f901234567":85}""")));
        pipedrive.verify(1, authorized(getRequestedFor(urlPathEqualTo("/v1/persons/17/deals")))
                .withQueryParam("status", equalTo("open")));
        pipedrive.verify(1, authorized(getRequestedFor(urlPathEqualTo("/v1/notes")))
                .withQueryParam("person_id", equalTo("17")).withQueryParam("sort", equalTo("add_time DESC")));
    }

    @Test
    void redeliveryToTheKnownPersonReusesItsOpenDealAndDoesNotRepeatTheNote() {
        pipedrive.stubFor(get(urlPathEqualTo("/v1/persons/17")).willReturn(ok("""
                {"success":true,"data":{"id":17,"name":"Jane Doe","active_flag":true,
                 "phone":[{"label":"home","value":"(404) 555-0000","primary":false},
                          {"label":"work","value":"+14045551111","primary":true}],
                 "email":[{"label":"work","value":"jane.doe@example.com","primary":true}]}}""")));
        pipedrive.stubFor(put(urlPathEqualTo("/v1/persons/17")).willReturn(ok(data(17))));
        pipedrive.stubFor(get(urlPathEqualTo("/v1/persons/17/deals")).willReturn(ok("""
                {"success":true,"data":[{"id":29,"pipeline_id":9},{"id":30,"pipeline_id":1}]}""")));
        pipedrive.stubFor(get(urlPathEqualTo("/v1/notes")).willReturn(ok("""
                {"success":true,"data":[{"id":50,"content":"<b>Call transcript</b><br>...<br><br>LeadHub event %s"}]}"""
                .formatted(EVENT_ID))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), "17"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "17"));
        assertThat(requestLog(pipedrive)).containsExactly("GET /v1/persons/17", "PUT /v1/persons/17",
                "GET /v1/persons/17/deals", "GET /v1/notes");
        // the lead's number is added after the person's numbers, which keep their labels; the primary stays primary
        pipedrive.verify(1, putRequestedFor(urlPathEqualTo("/v1/persons/17")).withRequestBody(equalToJson("""
                {"name":"Jane Doe",
                 "phone":[{"value":"+14045551111","primary":true,"label":"work"},
                          {"value":"(404) 555-0000","primary":false,"label":"home"},
                          {"value":"+14045558514","primary":false,"label":"mobile"}],
                 "7a1b2c3d4e5f60718293a4b5c6d7e8f901234567":85}""")));
    }

    @Test
    void knownPersonDeletedInPipedriveFallsBackToTheSearch() {
        pipedrive.stubFor(get(urlPathEqualTo("/v1/persons/17")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\":false,\"error\":\"Person not found\",\"errorCode\":404}")));
        stubSearch("phone", ok(noHit()));
        stubSearch("email", ok(hit(21, "[]", "[\"jane.doe@example.com\"]")));
        pipedrive.stubFor(put(urlPathEqualTo("/v1/persons/21")).willReturn(ok(data(21))));
        pipedrive.stubFor(get(urlPathEqualTo("/v1/persons/21/deals")).willReturn(ok("{\"success\":true,\"data\":[]}")));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/deals")).willReturn(created(31)));
        pipedrive.stubFor(get(urlPathEqualTo("/v1/notes")).willReturn(ok("{\"success\":true,\"data\":null}")));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(created(51)));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), "17"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "21"));
        assertThat(requestLog(pipedrive)).startsWith("GET /v1/persons/17", "GET /v1/persons/search",
                "GET /v1/persons/search", "PUT /v1/persons/21");
    }

    @Test
    void skipActionWritesNothingAndReportsTheMatchedPerson() {
        stubSearch("phone", ok(hit(17, "[\"+14045558514\"]", "[]")));
        DuplicateDetection skip = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.SKIP);

        assertThat(connector.deliver(request(destination(skip), null))).isEqualTo(new DeliveryResult(Outcome.SKIPPED, "17"));
        assertThat(requestLog(pipedrive)).containsExactly("GET /v1/persons/search");
    }

    @Test
    void createDealAndCreateNoteFalseWriteOnlyThePerson() {
        stubSearch("phone", ok(noHit()));
        stubSearch("email", ok(noHit()));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/persons")).willReturn(created(17)));
        Map<String, Object> settings = new HashMap<>(settings());
        settings.put("create_deal", false);
        settings.put("create_note", false);

        connector.deliver(request(destination(DuplicateDetection.DEFAULT, settings), null));

        assertThat(requestLog(pipedrive)).endsWith("POST /v1/persons");
    }

    // ---- rate limits and errors --------------------------------------------------------------------

    @Test
    void rateLimited429WaitsRetryAfter() {
        stubSearch("phone", aResponse().withStatus(429).withHeader("Retry-After", "2")
                .withHeader("x-ratelimit-reset", "7").withBody("{\"success\":false,\"error\":\"Too many requests\"}"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(e.getMessage()).contains("Pipedrive search person by phone (GET /v1/persons/search): HTTP 429")
                .doesNotContain(PHONE);
        assertNoSecret(e, TOKEN);
    }

    @Test
    void rateLimited429WithoutRetryAfterWaitsTheRateLimitReset() {
        stubSearch("phone", aResponse().withStatus(429).withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", "7").withBody("{\"success\":false,\"error\":\"Too many requests\"}"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void exhaustedBurstWindowHoldsTheNextRequestUntilTheReset() {
        stubSearch("phone", ok(noHit()).withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", "2"));
        stubSearch("email", ok(noHit()));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/persons")).willReturn(created(17)));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/deals")).willReturn(created(30)));
        pipedrive.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(created(50)));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(requestLog(pipedrive)).containsExactly("GET /v1/persons/search");

        clock.advance(Duration.ofSeconds(2));
        pipedrive.resetRequests();
        stubSearch("phone", ok(noHit()));
        assertThat(connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)).outcome())
                .isEqualTo(Outcome.CREATED);
    }

    @Test
    void validationErrorIsPermanentWithPipedrivesBodyAndNoTokenOrPersonalData() {
        stubSearch("phone", ok(noHit()));
        stubSearch("email", ok(noHit()));
        String body = """
                {"success":false,"error":"Bad request: email jane.doe@example.com is invalid","error_info":"Please check developers.pipedrive.com","data":null,"additional_data":null}""";
        pipedrive.stubFor(post(urlPathEqualTo("/v1/persons")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).startsWith("Pipedrive create person (POST /v1/persons): HTTP 400 Bad request: email "
                + "j***@example.com is invalid (Please check developers.pipedrive.com)").doesNotContain(EMAIL);
        assertNoSecret(e, TOKEN);
    }

    @Test
    void unauthorizedIsPermanent() {
        stubSearch("phone", aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"success\":false,\"error\":\"unauthorized access\",\"errorCode\":401}"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("unauthorized access");
        assertNoSecret(e, TOKEN);
    }

    @Test
    void successFalseInA200IsPermanent() {
        stubSearch("phone", ok("{\"success\":false,\"error\":\"Scope and URL mismatch\"}"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).contains("Scope and URL mismatch");
    }

    @Test
    void serverErrorIsTransient() {
        stubSearch("phone", aResponse().withStatus(502).withBody("bad gateway"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(502);
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void connectionRefusedIsTransientAndNeverShowsTheTokenInTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DestinationConfig destination = new DestinationConfig("pd", "pipedrive", true,
                URI.create("http://127.0.0.1:" + closedPort), Secret.empty(), DryRun.OFF, DuplicateDetection.DEFAULT,
                LeadMapping.empty(), settings());

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination, null)));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("GET /v1/persons/search").doesNotContain("api_token");
        assertNoSecret(e, TOKEN);
    }

    // ---- dry run -----------------------------------------------------------------------------------

    @Test
    void dryRunWritesEveryRequestWithTheTokenMaskedAndSendsNothing() {
        Map<String, Object> settings = new HashMap<>(settings());
        DestinationConfig destination = new DestinationConfig("pd", "pipedrive", true,
                URI.create("https://api.pipedrive.com"), Secret.empty(), DryRun.ON, DuplicateDetection.DEFAULT,
                LeadMapping.empty(), settings);

        DeliveryResult result = connector.deliver(request(destination, null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(pipedrive.getAllServeEvents()).isEmpty();
        Path dir = tmp.resolve("dry-run");
        assertThat(fileNames(dir)).containsExactly(EVENT_ID + "-01-search-phone.json", EVENT_ID + "-02-search-email.json",
                EVENT_ID + "-03-create-person.json", EVENT_ID + "-04-create-deal.json", EVENT_ID + "-05-create-note.json");
        JsonNode search = readJson(dir.resolve(EVENT_ID + "-01-search-phone.json"));
        assertThat(search.path("method").asText()).isEqualTo("GET");
        assertThat(search.path("url").asText()).isEqualTo("https://api.pipedrive.com/v1/persons/search"
                + "?term=%2B14045558514&fields=phone&exact_match=true&api_token=****");
        JsonNode person = readJson(dir.resolve(EVENT_ID + "-03-create-person.json"));
        assertThat(person.path("url").asText()).isEqualTo("https://api.pipedrive.com/v1/persons?api_token=****");
        assertThat(person.path("headers").path("Content-Type").asText()).isEqualTo("application/json");
        assertThat(person.path("body").path("name").asText()).isEqualTo("Jane Doe");
        JsonNode deal = readJson(dir.resolve(EVENT_ID + "-04-create-deal.json"));
        assertThat(deal.path("body").path("person_id").isNull()).isTrue();
        assertThat(deal.path("body").path("value").asInt()).isEqualTo(45000);
        for (String name : fileNames(dir)) {
            assertThat(readJson(dir.resolve(name)).toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void dryRunAutoStaysLiveWhenTheApiTokenIsSet() {
        stubSearch("phone", ok(hit(17, "[\"+14045558514\"]", "[]")));
        DestinationConfig destination = new DestinationConfig("pd", "pipedrive", true, URI.create(pipedrive.baseUrl()),
                Secret.empty(), DryRun.AUTO, new DuplicateDetection(List.of("phone"), DuplicateAction.SKIP),
                LeadMapping.empty(), settings());

        assertThat(connector.deliver(request(destination, null)).outcome()).isEqualTo(Outcome.SKIPPED);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("api_token", Secret.of(TOKEN));
        settings.put("pipeline_id", 1L);
        settings.put("stage_id", "2");
        settings.put("value_estimation", Map.of("kitchen", 45000L, "bathroom", 20000L));
        settings.put("currency", "USD");
        settings.put("phone_label", "mobile");
        return settings;
    }

    private DestinationConfig destination(DuplicateDetection detection) {
        return destination(detection, settings());
    }

    private DestinationConfig destination(DuplicateDetection detection, Map<String, Object> settings) {
        return new DestinationConfig("pd", "pipedrive", true, URI.create(pipedrive.baseUrl()), Secret.empty(),
                DryRun.OFF, detection, LeadMapping.empty(), settings);
    }

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(SCORE_FIELD, 85L);
        return properties;
    }

    private DeliveryRequest request(DestinationConfig destination, String known) {
        return new DeliveryRequest("acme", destination, EVENT_ID, properties(), PHONE, EMAIL, known,
                tmp.resolve("dry-run"), CrmStubs.event());
    }

    private static void stubSearch(String field, ResponseDefinitionBuilder response) {
        MappingBuilder search = get(urlPathEqualTo("/v1/persons/search")).withQueryParam("fields", equalTo(field));
        pipedrive.stubFor(search.willReturn(response));
    }

    private static RequestPatternBuilder authorized(RequestPatternBuilder pattern) {
        return pattern.withQueryParam("api_token", equalTo(TOKEN)).withHeader("Authorization", absent());
    }

    private static RequestPatternBuilder json(RequestPatternBuilder pattern) {
        return pattern.withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"));
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return okJson(body);
    }

    private static ResponseDefinitionBuilder created(long id) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(data(id));
    }

    private static String data(long id) {
        return "{\"success\":true,\"data\":{\"id\":" + id + "},\"additional_data\":{}}";
    }

    private static String noHit() {
        return "{\"success\":true,\"data\":{\"items\":[]},\"additional_data\":{\"pagination\":{\"start\":0,\"limit\":100,\"more_items_in_collection\":false}}}";
    }

    private static String hit(long id, String phones, String emails) {
        return """
                {"success":true,"data":{"items":[{"result_score":1.0,"item":{"id":%d,"type":"person","name":"Jane Doe",
                 "phones":%s,"emails":%s}}]},"additional_data":{}}""".formatted(id, phones, emails);
    }
}
