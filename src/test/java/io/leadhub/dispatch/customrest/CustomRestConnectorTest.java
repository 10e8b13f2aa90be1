package io.leadhub.dispatch.customrest;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.MutableClock;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.client.RestClient;

class CustomRestConnectorTest {

    private static final String TOKEN = "rest-secret-token-9f8e";
    private static final String CLIENT_SECRET = "client-secret-5a5a";
    private static final String EVENT_ID = "0d6f1c7e-2b1a-4c3d-9e8f-7a6b5c4d3e2f";
    private static final String PHONE = "+14045558514";
    private static final String EMAIL = "jane.doe@example.com";
    private static final String BODY = """
            {"lead":{"name":"Jane Doe","phone":"+14045558514","score":85,"hot":true}}""";

    private static WireMockServer crm;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final OutboundHttp http = new OutboundHttp(RestClient.builder());
    private final OAuthTokens tokens = new OAuthTokens(http, mapper, Optional.of(clock));
    private final CustomRestConnector connector = new CustomRestConnector(new RestTargetClient(http, tokens, mapper));

    @BeforeAll
    static void start() {
        crm = new WireMockServer(options().dynamicPort());
        crm.start();
    }

    @AfterAll
    static void stop() {
        crm.stop();
    }

    @BeforeEach
    void reset() {
        crm.resetAll();
    }

    // ---- create, update, search ----------------------------------------------------------------------

    @Test
    void typeIsCustomRest() {
        assertThat(connector.type()).isEqualTo("custom_rest");
    }

    @Test
    void searchWithoutHitThenCreateSendsExactRequests() {
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(okJson("{\"data\":[]}")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":4711}")));

        DeliveryResult result = connector.deliver(request(destination(bearerSettings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "4711"));
        assertThat(requestLog()).containsExactly("GET /v2/leads?phone=%2B14045558514", "POST /v2/leads");
        crm.verify(1, getRequestedFor(urlEqualTo("/v2/leads?phone=%2B14045558514"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("X-Source", equalTo("leadhub"))
                .withHeader("Idempotency-Key", absent()));
        crm.verify(1, postRequestedFor(urlEqualTo("/v2/leads"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("X-Source", equalTo("leadhub"))
                .withHeader("Idempotency-Key", equalTo(idempotencyKeyOf("/v2/leads")))
                .withRequestBody(equalToJson(BODY)));
        assertThat(idempotencyKeyOf("/v2/leads")).matches("leadhub-[0-9a-f]{40}");
    }

    @Test
    void searchHitUpdatesTheFoundRecordInsteadOfCreating() {
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(okJson("""
                {"data":[{"id":"L-77","phone":"+14045558514"}]}""")));
        crm.stubFor(put(urlEqualTo("/v2/leads/L-77")).willReturn(okJson("{\"ok\":true}")));

        DeliveryResult result = connector.deliver(request(destination(bearerSettings()), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "L-77"));
        assertThat(requestLog()).containsExactly("GET /v2/leads?phone=%2B14045558514", "PUT /v2/leads/L-77");
        crm.verify(1, putRequestedFor(urlEqualTo("/v2/leads/L-77"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Idempotency-Key", absent())
                .withRequestBody(equalToJson(BODY)));
    }

    @Test
    void knownRecordIsUpdatedWithoutSearching() {
        crm.stubFor(put(urlEqualTo("/v2/leads/L-9")).willReturn(okJson("{}")));

        assertThat(connector.deliver(request(destination(bearerSettings()), "L-9")))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "L-9"));
        assertThat(requestLog()).containsExactly("PUT /v2/leads/L-9");
    }

    @Test
    void knownRecordGoneIn404FallsBackToSearchAndCreate() {
        crm.stubFor(put(urlEqualTo("/v2/leads/L-9")).willReturn(json(404, "{\"message\":\"not found\"}")));
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(json(404, "{}")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":\"L-10\"}")));

        assertThat(connector.deliver(request(destination(bearerSettings()), "L-9")))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "L-10"));
        assertThat(requestLog()).containsExactly("PUT /v2/leads/L-9", "GET /v2/leads?phone=%2B14045558514",
                "POST /v2/leads");
    }

    @Test
    void searchesAreTriedInOrderAndASearchWithoutValueIsSkipped() {
        Map<String, Object> settings = bearerSettings();
        settings.put("search", List.of(
                Map.of("path", "/v2/leads?email={email}", "id_path", "$.data[0].id"),
                Map.of("method", "POST", "path", "/v2/leads/search", "id_path", "$.results[0].id",
                        "body", Map.of("filter", Map.of("phone", "{phone}", "label", "caller {phone_digits}")))));
        crm.stubFor(post(urlEqualTo("/v2/leads/search")).willReturn(okJson("{\"results\":[{\"id\":12}]}")));
        crm.stubFor(put(urlEqualTo("/v2/leads/12")).willReturn(okJson("{}")));

        DeliveryResult result = connector.deliver(new DeliveryRequest("acme", destination(settings), EVENT_ID,
                properties(), PHONE, null, null, dryRunDir));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "12"));
        assertThat(requestLog()).containsExactly("POST /v2/leads/search", "PUT /v2/leads/12");
        crm.verify(postRequestedFor(urlEqualTo("/v2/leads/search")).withRequestBody(equalToJson("""
                {"filter":{"phone":"+14045558514","label":"caller 14045558514"}}""")));
    }

    @Test
    void skipActionWritesNothingToTheFoundRecord() {
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(okJson("{\"data\":[{\"id\":5}]}")));
        DestinationConfig destination = destination(bearerSettings(),
                new DuplicateDetection(List.of("phone"), DuplicateAction.SKIP), DryRun.OFF);

        assertThat(connector.deliver(request(destination, null))).isEqualTo(new DeliveryResult(Outcome.SKIPPED, "5"));
        assertThat(requestLog()).containsExactly("GET /v2/leads?phone=%2B14045558514");
    }

    @Test
    void withoutUpdateEndpointAFoundRecordIsSkipped() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("update");
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(okJson("{\"data\":[{\"id\":5}]}")));

        assertThat(connector.deliver(request(destination(settings), null)))
                .isEqualTo(new DeliveryResult(Outcome.SKIPPED, "5"));
    }

    @Test
    void withoutSearchAndWithoutKnownRecordItCreatesWithoutBodyRoot() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        settings.remove("body_root");
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(200, "{\"data\":{\"lead_id\":\"x-1\"}}")));
        settings.put("create", Map.of("path", "/v2/leads", "id_path", "$.data.lead_id"));

        assertThat(connector.deliver(request(destination(settings), null)))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "x-1"));
        crm.verify(postRequestedFor(urlEqualTo("/v2/leads")).withRequestBody(equalToJson("""
                {"name":"Jane Doe","phone":"+14045558514","score":85,"hot":true}""")));
    }

    @Test
    void createAnswerWithoutIdIsStillCreated() {
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(okJson("[]")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(aResponse().withStatus(204)));

        assertThat(connector.deliver(request(destination(bearerSettings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, null));
    }

    @Test
    void idempotencyKeyIsStablePerEventAndDiffersBetweenEvents() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(settings), null));
        connector.deliver(request(destination(settings), null));
        connector.deliver(new DeliveryRequest("acme", destination(settings), "another-event", properties(), PHONE,
                EMAIL, null, dryRunDir));

        List<String> keys = crm.getAllServeEvents().stream()
                .map(e -> e.getRequest().getHeader("Idempotency-Key")).toList();
        assertThat(keys).hasSize(3);
        assertThat(keys.stream().distinct().count()).isEqualTo(2);
    }

    @Test
    void idempotencyHeaderCanBeRenamedOrSwitchedOff() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        settings.put("idempotency_header", "");
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(settings), null));

        crm.verify(postRequestedFor(urlEqualTo("/v2/leads")).withHeader("Idempotency-Key", absent()));
    }

    // ---- auth schemes --------------------------------------------------------------------------------

    @Test
    void basicAuthSendsBase64OfUsernameAndPassword() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        settings.put("auth", Map.of("type", "basic", "username", "leadhub", "password", Secret.of("p@ss:word")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(settings), null));

        crm.verify(postRequestedFor(urlEqualTo("/v2/leads")).withHeader("Authorization",
                equalTo("Basic " + b64("leadhub:p@ss:word"))));
    }

    @Test
    void apiKeyAuthSendsTheConfiguredHeaderWithPrefix() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        settings.put("auth", Map.of("type", "api_key", "header", "X-Api-Token", "prefix", "Token ",
                "api_key", Secret.of("k-123")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(settings), null));

        crm.verify(postRequestedFor(urlEqualTo("/v2/leads")).withHeader("X-Api-Token", equalTo("Token k-123"))
                .withHeader("Authorization", absent()));
    }

    @Test
    void bearerWithoutAuthBlockUsesTheDestinationToken() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("auth");
        settings.remove("search");
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(settings), null));

        crm.verify(postRequestedFor(urlEqualTo("/v2/leads")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void oauthFetchesATokenWithClientCredentialsAndUsesIt() {
        stubToken("tok-1", 3600);
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(oauthSettings()), null));

        assertThat(requestLog()).containsExactly("POST /oauth/token", "POST /v2/leads");
        crm.verify(postRequestedFor(urlEqualTo("/oauth/token"))
                .withHeader("Authorization", equalTo("Basic " + b64("leadhub-client:" + CLIENT_SECRET)))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=leads.write+leads.read")));
        crm.verify(postRequestedFor(urlEqualTo("/v2/leads")).withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    @Test
    void oauthClientAuthBodySendsTheCredentialsAsFormFields() {
        Map<String, Object> settings = oauthSettings();
        Map<String, Object> auth = new LinkedHashMap<>(castMap(settings.get("auth")));
        auth.put("client_auth", "body");
        auth.put("audience", "https://api.example.com");
        settings.put("auth", auth);
        stubToken("tok-1", 3600);
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));

        connector.deliver(request(destination(settings), null));

        crm.verify(postRequestedFor(urlEqualTo("/oauth/token")).withHeader("Authorization", absent())
                .withRequestBody(equalTo("grant_type=client_credentials&scope=leads.write+leads.read"
                        + "&audience=https%3A%2F%2Fapi.example.com&client_id=leadhub-client&client_secret="
                        + CLIENT_SECRET)));
    }

    @Test
    void oauthTokenIsCachedUntilShortlyBeforeItExpires() {
        stubToken("tok-1", 3600);
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(201, "{\"id\":1}")));
        DestinationConfig destination = destination(oauthSettings());

        connector.deliver(request(destination, null));
        clock.advance(Duration.ofMinutes(59));
        connector.deliver(request(destination, null));
        assertThat(requestLog()).filteredOn(l -> l.equals("POST /oauth/token")).hasSize(1);

        clock.advance(Duration.ofSeconds(31)); // 3600 s - 30 s skew reached
        connector.deliver(request(destination, null));
        assertThat(requestLog()).filteredOn(l -> l.equals("POST /oauth/token")).hasSize(2);
    }

    @Test
    void oauth401RefreshesTheTokenOnceAndRepeatsTheRequest() {
        crm.stubFor(post(urlEqualTo("/oauth/token")).inScenario("token").whenScenarioStateIs(STARTED)
                .willReturn(okJson("{\"access_token\":\"old\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))
                .willSetStateTo("second"));
        crm.stubFor(post(urlEqualTo("/oauth/token")).inScenario("token").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"new\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).withHeader("Authorization", equalTo("Bearer old"))
                .willReturn(json(401, "{\"message\":\"token revoked\"}")));
        crm.stubFor(post(urlEqualTo("/v2/leads")).withHeader("Authorization", equalTo("Bearer new"))
                .willReturn(json(201, "{\"id\":\"n-1\"}")));

        assertThat(connector.deliver(request(destination(oauthSettings()), null)))
                .isEqualTo(new DeliveryResult(Outcome.CREATED, "n-1"));
        assertThat(requestLog()).containsExactly("POST /oauth/token", "POST /v2/leads", "POST /oauth/token",
                "POST /v2/leads");
        List<String> idempotencyKeys = crm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/v2/leads"))
                .map(e -> e.getRequest().getHeader("Idempotency-Key")).distinct().toList();
        assertThat(idempotencyKeys).hasSize(1);
    }

    @Test
    void oauthSecond401IsPermanent() {
        stubToken("tok", 3600);
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(401, "{\"message\":\"client not allowed\"}")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(oauthSettings()), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(requestLog()).containsExactly("POST /oauth/token", "POST /v2/leads", "POST /oauth/token",
                "POST /v2/leads");
    }

    @Test
    void tokenEndpointRefusingTheClientIsPermanentWithoutTheSecretInTheMessage() {
        crm.stubFor(post(urlEqualTo("/oauth/token")).willReturn(json(401,
                "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(oauthSettings()), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("OAuth token request", "/oauth/token", "HTTP 401",
                "Client authentication failed").doesNotContain(CLIENT_SECRET);
        assertThat(requestLog()).containsExactly("POST /oauth/token");
    }

    @Test
    void tokenEndpointUnavailableIsTransient() {
        crm.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "7")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(oauthSettings()), null)));

        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void tokenAnswerWithoutAccessTokenIsPermanent() {
        crm.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson("{\"token_type\":\"Bearer\"}")));

        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(oauthSettings()), null))).getMessage())
                .contains("without an access_token");
    }

    // ---- rate limits and errors ----------------------------------------------------------------------

    @Test
    void rateLimitIsTransientWithTheRetryAfterWait() {
        crm.stubFor(get(urlEqualTo("/v2/leads?phone=%2B14045558514")).willReturn(json(429,
                "{\"message\":\"slow down\"}").withHeader("Retry-After", "12")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(bearerSettings()), null)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
        assertThat(e.getMessage()).contains("custom REST search record", "HTTP 429", "slow down")
                .doesNotContain(PHONE, "14045558514");
    }

    @ParameterizedTest(name = "HTTP {0} is transient by default")
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void defaultRetryOnCoversRequestTimeoutAndServerErrors(int status) {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(status, "{\"message\":\"busy\"}")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(settings), null)));

        assertThat(e.httpStatus()).isEqualTo(status);
    }

    @Test
    void validationErrorIsPermanentWithTheBodyVerbatimAndPersonalDataMaskedInTheMessage() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        String body = "{\"message\":\"phone +14045558514 and jane.doe@example.com are invalid\",\"code\":\"E42\"}";
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(422, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings), null)));

        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage()).startsWith("custom REST create record (POST /v2/leads): HTTP 422 phone +1404*****14")
                .contains("j***@example.com").doesNotContain(PHONE, EMAIL, TOKEN);
    }

    @Test
    void retryOnSettingDecidesWhatIsRetried() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        settings.put("retry_on", List.of(409, "520-529"));
        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(409, "{}")));
        assertThat(catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(settings), null))).httpStatus()).isEqualTo(409);

        crm.stubFor(post(urlEqualTo("/v2/leads")).willReturn(json(503, "{}")));
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings), null))).httpStatus()).isEqualTo(503);
    }

    @Test
    void connectionRefusedIsTransientWithStatusZero() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DestinationConfig destination = new DestinationConfig("crm", "custom_rest", true,
                URI.create("http://127.0.0.1:" + port), Secret.of(TOKEN), DryRun.OFF, DuplicateDetection.DEFAULT,
                LeadMapping.empty(), bearerSettings());

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination, "L-1")));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("update record", "no response").doesNotContain(TOKEN);
    }

    @Test
    void invalidSettingsArePermanentAndNameTheKey() {
        Map<String, Object> noCreate = bearerSettings();
        noCreate.remove("create");
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(noCreate), null))).getMessage())
                .isEqualTo("custom_rest destination crm: setting 'create' is required: {method: POST, path: /leads}");

        Map<String, Object> badPath = bearerSettings();
        badPath.put("search", Map.of("path", "/v2/leads?phone={phone}", "id_path", "data[0"));
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(badPath), null))).getMessage())
                .contains("setting 'search.id_path' is not a JSONPath");

        Map<String, Object> badRetry = bearerSettings();
        badRetry.put("retry_on", List.of("5xx"));
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(badRetry), null))).getMessage())
                .contains("setting 'retry_on'", "'5xx'");
        assertThat(crm.getAllServeEvents()).isEmpty();
    }

    @Test
    void pathPlaceholderWithoutValueOnUpdateIsPermanent() {
        Map<String, Object> settings = bearerSettings();
        settings.put("update", Map.of("method", "PATCH", "path", "/v2/people/{crm_owner}/leads/{id}"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings), "L-1")));

        assertThat(e.getMessage()).contains("update.path", "[crm_owner]");
    }

    // ---- dry run -------------------------------------------------------------------------------------

    @Test
    void dryRunWritesSearchAndCreateWithMaskedAuthorizationAndSendsNothing() throws IOException {
        DeliveryResult result = connector.deliver(request(destination(bearerSettings(), DuplicateDetection.DEFAULT,
                DryRun.ON), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(crm.getAllServeEvents()).isEmpty();
        assertThat(fileNames()).containsExactly(EVENT_ID + "-01-search-1.json", EVENT_ID + "-02-create.json");
        JsonNode create = mapper.readTree(Files.readString(dryRunDir.resolve(EVENT_ID + "-02-create.json")));
        assertThat(create.path("method").asText()).isEqualTo("POST");
        assertThat(create.path("url").asText()).isEqualTo(crm.baseUrl() + "/v2/leads");
        assertThat(create.path("headers").path("Authorization").asText()).isEqualTo("Bearer ****");
        assertThat(create.path("body")).isEqualTo(mapper.readTree(BODY));
        assertThat(Files.readString(dryRunDir.resolve(EVENT_ID + "-02-create.json"))).doesNotContain(TOKEN);
    }

    @Test
    void dryRunAutoFollowsTheAuthCredential() throws IOException {
        Map<String, Object> settings = oauthSettings();
        Map<String, Object> auth = new LinkedHashMap<>(castMap(settings.get("auth")));
        auth.put("client_secret", Secret.empty());
        settings.put("auth", auth);

        DeliveryResult result = connector.deliver(request(destination(settings, DuplicateDetection.DEFAULT,
                DryRun.AUTO), "L-1"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, "L-1"));
        assertThat(fileNames()).containsExactly(EVENT_ID + "-01-update.json");
        assertThat(crm.getAllServeEvents()).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Map<String, Object> bearerSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("auth", Map.of("type", "bearer", "token", Secret.of(TOKEN)));
        settings.put("headers", Map.of("X-Source", "leadhub"));
        settings.put("body_root", "lead");
        settings.put("search", Map.of("method", "GET", "path", "/v2/leads?phone={phone}", "id_path", "$.data[0].id"));
        settings.put("create", Map.of("method", "POST", "path", "/v2/leads", "id_path", "$.id"));
        settings.put("update", Map.of("method", "PUT", "path", "/v2/leads/{id}"));
        return settings;
    }

    private Map<String, Object> oauthSettings() {
        Map<String, Object> settings = bearerSettings();
        settings.remove("search");
        settings.remove("headers");
        settings.put("auth", Map.of("type", "oauth_client_credentials", "token_url", "/oauth/token",
                "client_id", "leadhub-client", "client_secret", Secret.of(CLIENT_SECRET),
                "scope", "leads.write leads.read"));
        return settings;
    }

    private void stubToken(String token, int expiresIn) {
        crm.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson("""
                {"access_token":"%s","token_type":"Bearer","expires_in":%d}""".formatted(token, expiresIn))));
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return destination(settings, DuplicateDetection.DEFAULT, DryRun.OFF);
    }

    private DestinationConfig destination(Map<String, Object> settings, DuplicateDetection detection, DryRun dryRun) {
        return new DestinationConfig("crm", "custom_rest", true, URI.create(crm.baseUrl()), Secret.of(TOKEN), dryRun,
                detection, LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination, String knownRecordId) {
        return new DeliveryRequest("acme", destination, EVENT_ID, properties(), PHONE, EMAIL, knownRecordId, dryRunDir);
    }

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", "Jane Doe");
        properties.put("phone", PHONE);
        properties.put("score", 85L);
        properties.put("hot", true);
        return properties;
    }

    /** Requests received, oldest first, as "METHOD url". */
    private static List<String> requestLog() {
        List<ServeEvent> events = new ArrayList<>(crm.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl()).toList();
    }

    private static String idempotencyKeyOf(String url) {
        return crm.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(url))
                .map(e -> e.getRequest().getHeader("Idempotency-Key")).findFirst().orElseThrow();
    }

    private List<String> fileNames() throws IOException {
        if (!Files.isDirectory(dryRunDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dryRunDir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
