package io.leadhub.dispatch.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.client.RestClient;

class HubSpotConnectorTest {

    private static final String TOKEN = "pat-na1-secret-token-1234";
    private static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";
    private static final String PHONE = "+14045558514";
    private static final String EMAIL = "jane.doe@example.com";

    private static final String SEARCH = "/crm/v3/objects/contacts/search";
    private static final String CONTACTS = "/crm/v3/objects/contacts";

    private static final String SEARCH_PHONE_BODY = """
            {"filterGroups":[{"filters":[{"propertyName":"phone","operator":"EQ","value":"+14045558514"}]}],
             "properties":["email","phone"],"limit":1}""";
    private static final String SEARCH_EMAIL_BODY = """
            {"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"jane.doe@example.com"}]}],
             "properties":["email","phone"],"limit":1}""";
    private static final String PROPERTIES_BODY = """
            {"properties":{"firstname":"Jane","lastname":"Doe","phone":"+14045558514",
             "email":"jane.doe@example.com","hs_lead_status":"NEW","call_duration":42,"first_call":true}}""";

    private static final String NO_HIT = """
            {"total":0,"results":[]}""";

    private static WireMockServer hubspot;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HubSpotConnector connector = new HubSpotConnector(RestClient.builder(), mapper);

    @BeforeAll
    static void startHubSpot() {
        hubspot = new WireMockServer(options().dynamicPort());
        hubspot.start();
    }

    @AfterAll
    static void stopHubSpot() {
        hubspot.stop();
    }

    @BeforeEach
    void resetHubSpot() {
        hubspot.resetAll();
    }

    // ---- create / update / search ------------------------------------------------------------------

    @Test
    void typeIsHubspot() {
        assertThat(connector.type()).isEqualTo("hubspot");
    }

    @Test
    void createsContactWhenNeitherPhoneNorEmailMatches() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(created("151")));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "151"));
        assertThat(requestLog()).containsExactly(
                "POST " + SEARCH + " phone", "POST " + SEARCH + " email", "POST " + CONTACTS);
        hubspot.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(SEARCH)))
                .withRequestBody(equalToJson(SEARCH_PHONE_BODY)));
        hubspot.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(SEARCH)))
                .withRequestBody(equalToJson(SEARCH_EMAIL_BODY)));
        hubspot.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(CONTACTS)))
                .withRequestBody(equalToJson(PROPERTIES_BODY)));
    }

    @Test
    void updatesKnownRecordWithPatchOnlyAndNoSearch() {
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(ok(contact("151"))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), "151"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "151"));
        assertThat(requestLog()).containsExactly("PATCH " + CONTACTS + "/151");
        hubspot.verify(1, withJsonHeaders(patchRequestedFor(urlEqualTo(CONTACTS + "/151")))
                .withRequestBody(equalToJson(PROPERTIES_BODY)));
    }

    @Test
    void updatesContactFoundByPhoneWithoutSearchingEmail() {
        stubPhoneSearch(ok(hit("151")));
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(ok(contact("151"))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH + " phone", "PATCH " + CONTACTS + "/151");
        hubspot.verify(1, withJsonHeaders(patchRequestedFor(urlEqualTo(CONTACTS + "/151")))
                .withRequestBody(equalToJson(PROPERTIES_BODY)));
    }

    @Test
    void searchesEmailAfterPhoneMissAndUpdatesTheEmailMatch() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(hit("207")));
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/207")).willReturn(ok(contact("207"))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "207"));
        assertThat(requestLog()).containsExactly(
                "POST " + SEARCH + " phone", "POST " + SEARCH + " email", "PATCH " + CONTACTS + "/207");
        hubspot.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(SEARCH)))
                .withRequestBody(equalToJson(SEARCH_EMAIL_BODY)));
    }

    @Test
    void matchFieldsEmailOnlyNeverSearchesPhone() {
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(created("151")));
        DuplicateDetection emailOnly = new DuplicateDetection(List.of("email"), DuplicateAction.UPDATE_EXISTING);

        DeliveryResult result = connector.deliver(request(destination(emailOnly), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH + " email", "POST " + CONTACTS);
    }

    @Test
    void blankLeadValuesAreNotSearched() {
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(created("151")));
        DeliveryRequest noPhone = new DeliveryRequest("acme", destination(DuplicateDetection.DEFAULT), EVENT_ID,
                properties(), "  ", EMAIL, null, dryRunDir);

        assertThat(connector.deliver(noPhone)).isEqualTo(new DeliveryResult(Outcome.CREATED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH + " email", "POST " + CONTACTS);
    }

    @Test
    void phoneSearchPropertySettingChangesTheSearchedProperty() {
        hubspot.stubFor(post(urlEqualTo(SEARCH)).willReturn(ok(hit("151"))));
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(ok(contact("151"))));
        DestinationConfig destination = destination(DuplicateDetection.DEFAULT,
                Map.of("phone_search_property", "mobilephone"));

        assertThat(connector.deliver(request(destination, null)))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "151"));
        hubspot.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(SEARCH))).withRequestBody(equalToJson("""
                {"filterGroups":[{"filters":[{"propertyName":"mobilephone","operator":"EQ","value":"+14045558514"}]}],
                 "properties":["email","mobilephone"],"limit":1}""")));
    }

    // ---- duplicate actions -------------------------------------------------------------------------

    @Test
    void skipActionWritesNothingAndReportsTheMatchedContact() {
        stubPhoneSearch(ok(hit("151")));
        DuplicateDetection skip = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.SKIP);

        DeliveryResult result = connector.deliver(request(destination(skip), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.SKIPPED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH + " phone");
    }

    @Test
    void createActionPostsNewContactEvenWhenAMatchExists() {
        stubPhoneSearch(ok(hit("151")));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(created("152")));
        DuplicateDetection create = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.CREATE);

        DeliveryResult result = connector.deliver(request(destination(create), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "152"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH + " phone", "POST " + CONTACTS);
        hubspot.verify(1, withJsonHeaders(postRequestedFor(urlEqualTo(CONTACTS)))
                .withRequestBody(equalToJson(PROPERTIES_BODY)));
    }

    // ---- 409 conflict and 404 on the known record -------------------------------------------------

    @Test
    void createConflictUpdatesTheExistingContactNamedByHubSpot() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(conflict("151")));
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(ok(contact("151"))));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH + " phone", "POST " + SEARCH + " email",
                "POST " + CONTACTS, "PATCH " + CONTACTS + "/151");
        hubspot.verify(1, withJsonHeaders(patchRequestedFor(urlEqualTo(CONTACTS + "/151")))
                .withRequestBody(equalToJson(PROPERTIES_BODY)));
    }

    @Test
    void createConflictWithSkipActionSkipsTheExistingContact() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(conflict("151")));
        DuplicateDetection skip = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.SKIP);

        assertThat(connector.deliver(request(destination(skip), null)))
                .isEqualTo(new DeliveryResult(Outcome.SKIPPED, "151"));
        assertThat(requestLog()).hasSize(3).last().isEqualTo("POST " + CONTACTS);
    }

    @Test
    void createConflictWithCreateActionIsPermanentBecauseHubSpotRefusesDuplicates() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(conflict("151")));
        DuplicateDetection create = new DuplicateDetection(List.of("phone", "email"), DuplicateAction.CREATE);

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(create), null)));

        assertThat(e.httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).contains("create contact", CONTACTS, "409", "151");
        assertThat(e.responseBody()).contains("Existing ID: 151");
        assertThat(requestLog()).doesNotContain("PATCH " + CONTACTS + "/151");
    }

    @Test
    void conflictWithoutExistingIdIsPermanent() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(409, """
                {"status":"error","message":"Conflict","correlationId":"c-1","category":"CONFLICT"}""")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(409);
    }

    @Test
    void knownRecordGoneIn404FallsBackToSearchThenCreate() {
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/999")).willReturn(json(404, """
                {"status":"error","message":"Object not found.  objectId are usually numeric.",
                 "correlationId":"8d2f","context":{"id":["999"]},"category":"OBJECT_NOT_FOUND"}""")));
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(created("152")));

        DeliveryResult result = connector.deliver(request(destination(DuplicateDetection.DEFAULT), "999"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "152"));
        assertThat(requestLog()).containsExactly("PATCH " + CONTACTS + "/999", "POST " + SEARCH + " phone",
                "POST " + SEARCH + " email", "POST " + CONTACTS);
    }

    @Test
    void notFoundOnASearchedContactIsPermanent() {
        stubPhoneSearch(ok(hit("151")));
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(json(404, """
                {"status":"error","message":"Object not found.","correlationId":"8d2f","category":"OBJECT_NOT_FOUND"}""")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.getMessage()).contains("update contact", CONTACTS + "/151", "404", "OBJECT_NOT_FOUND");
    }

    // ---- error mapping -----------------------------------------------------------------------------

    @Test
    void rateLimitWithRetryAfterSecondsIsTransientWithThatWait() {
        stubPhoneSearch(rateLimited().withHeader("Retry-After", "1")
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(e.getMessage()).contains("search contact by phone", SEARCH, "HTTP 429", "RATE_LIMIT")
                .doesNotContain(PHONE);
        assertThat(e.responseBody()).contains("ten_secondly_rolling");
    }

    @Test
    void rateLimitWithOnlyTheIntervalHeaderWaitsTheInterval() {
        stubPhoneSearch(rateLimited().withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(10));
    }

    @Test
    void rateLimitWithoutHeadersHasNoRetryAfter() {
        stubPhoneSearch(rateLimited());

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @ValueSource(ints = {500, 502, 503, 408})
    void serverErrorsAndRequestTimeoutAreTransient(int status) {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(status, """
                {"status":"error","message":"internal error","correlationId":"c-5"}""")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains("HubSpot create contact", CONTACTS, "HTTP " + status);
    }

    @Test
    void validationErrorIsPermanentCarryingTheBodyVerbatimWithoutTokenOrPersonalDataInTheMessage() {
        stubPhoneSearch(ok(NO_HIT));
        stubEmailSearch(ok(NO_HIT));
        String body = """
                {"status":"error","message":"Property values were not valid: [{\\"isValid\\":false,\
                \\"message\\":\\"Email address jane.doe@example.com is invalid; phone +14045558514\\",\
                \\"error\\":\\"INVALID_EMAIL\\",\\"name\\":\\"email\\"}]","correlationId":"4d3e-77",\
                "category":"VALIDATION_ERROR","errors":[]}""";
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(400, body)));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.responseBody()).isEqualTo(body);
        assertThat(e.getMessage())
                .startsWith("HubSpot create contact (POST /crm/v3/objects/contacts): HTTP 400 VALIDATION_ERROR: "
                        + "Property values were not valid")
                .contains("j***@example.com", "+1404*****14", "4d3e-77")
                .doesNotContain(EMAIL, PHONE, TOKEN);
    }

    @Test
    void invalidTokenIsPermanent() {
        stubPhoneSearch(json(401, """
                {"status":"error","message":"Authentication credentials not found.","correlationId":"a-1",\
                "category":"INVALID_AUTHENTICATION"}"""));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(DuplicateDetection.DEFAULT), null)));

        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("INVALID_AUTHENTICATION").doesNotContain(TOKEN);
    }

    @Test
    void connectionRefusedIsTransientWithStatusZero() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DestinationConfig destination = new DestinationConfig("crm", "hubspot", true,
                URI.create("http://127.0.0.1:" + closedPort), Secret.of(TOKEN), DryRun.OFF,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), Map.of());

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination, "151")));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.responseBody()).isNull();
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains("update contact", CONTACTS + "/151").doesNotContain(TOKEN);
    }

    @Test
    void readTimeoutSettingMakesASlowAnswerTransientWithStatusZero() {
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(ok(contact("151")).withFixedDelay(3000)));
        DestinationConfig destination = destination(DuplicateDetection.DEFAULT, Map.of("timeout_ms", 100));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination, "151")));

        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("update contact", "no response");
    }

    @Test
    void invalidTimeoutSettingIsPermanent() {
        DestinationConfig destination = destination(DuplicateDetection.DEFAULT, Map.of("timeout_ms", "soon"));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination, "151")));

        assertThat(e.getMessage()).contains("timeout_ms");
        assertThat(hubspot.getAllServeEvents()).isEmpty();
    }

    @Test
    void retryAfterAcceptsAnHttpDate() {
        var now = java.time.Instant.parse("2015-10-21T07:27:30Z");

        assertThat(HubSpotErrors.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(HubSpotErrors.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(HubSpotErrors.parseRetryAfter(" 2 ", now)).isEqualTo(Duration.ofSeconds(2));
        assertThat(HubSpotErrors.parseRetryAfter("soon", now)).isNull();
        assertThat(HubSpotErrors.parseRetryAfter(null, now)).isNull();
    }

    // ---- dry run -----------------------------------------------------------------------------------

    @Test
    void dryRunWritesSearchesAndCreateAsFilesWithoutTokenAndSendsNothing() throws IOException {
        DeliveryResult result = connector.deliver(request(dryRunDestination(DuplicateDetection.DEFAULT), null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(hubspot.getAllServeEvents()).isEmpty();
        assertThat(fileNames()).containsExactly(EVENT_ID + "-01-search-phone.json",
                EVENT_ID + "-02-search-email.json", EVENT_ID + "-03-create.json");

        assertDryRunFile(EVENT_ID + "-01-search-phone.json", "POST", SEARCH, SEARCH_PHONE_BODY);
        assertDryRunFile(EVENT_ID + "-02-search-email.json", "POST", SEARCH, SEARCH_EMAIL_BODY);
        assertDryRunFile(EVENT_ID + "-03-create.json", "POST", CONTACTS, PROPERTIES_BODY);
    }

    @Test
    void dryRunWithKnownRecordWritesOnlyTheUpdate() throws IOException {
        DeliveryResult result = connector.deliver(request(dryRunDestination(DuplicateDetection.DEFAULT), "151"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, "151"));
        assertThat(hubspot.getAllServeEvents()).isEmpty();
        assertThat(fileNames()).containsExactly(EVENT_ID + "-01-update.json");
        assertDryRunFile(EVENT_ID + "-01-update.json", "PATCH", CONTACTS + "/151", PROPERTIES_BODY);
    }

    @Test
    void dryRunWithKnownRecordAndSkipActionWritesNothing() throws IOException {
        DuplicateDetection skip = new DuplicateDetection(List.of("phone"), DuplicateAction.SKIP);

        DeliveryResult result = connector.deliver(request(dryRunDestination(skip), "151"));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, "151"));
        assertThat(fileNames()).isEmpty();
        assertThat(hubspot.getAllServeEvents()).isEmpty();
    }

    @Test
    void dryRunAutoWithoutTokenWritesFilesWithMaskedAuthorization() throws IOException {
        DestinationConfig destination = new DestinationConfig("crm", "hubspot", true, URI.create(hubspot.baseUrl()),
                Secret.empty(), DryRun.AUTO, DuplicateDetection.DEFAULT, LeadMapping.empty(), Map.of());

        assertThat(connector.deliver(request(destination, null)).outcome()).isEqualTo(Outcome.DRY_RUN);
        assertThat(fileNames()).hasSize(3);
        assertThat(hubspot.getAllServeEvents()).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private DestinationConfig destination(DuplicateDetection detection) {
        return destination(detection, Map.of());
    }

    private DestinationConfig destination(DuplicateDetection detection, Map<String, Object> settings) {
        return new DestinationConfig("crm", "hubspot", true, URI.create(hubspot.baseUrl()), Secret.of(TOKEN),
                DryRun.OFF, detection, LeadMapping.empty(), settings);
    }

    private DestinationConfig dryRunDestination(DuplicateDetection detection) {
        return new DestinationConfig("crm", "hubspot", true, URI.create("https://api.hubapi.com/"),
                Secret.of(TOKEN), DryRun.ON, detection, LeadMapping.empty(), Map.of());
    }

    private DeliveryRequest request(DestinationConfig destination, String knownRecordId) {
        return new DeliveryRequest("acme", destination, EVENT_ID, properties(), PHONE, EMAIL, knownRecordId,
                dryRunDir.resolve("dry-run/acme/crm"));
    }

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("firstname", "Jane");
        properties.put("lastname", "Doe");
        properties.put("phone", PHONE);
        properties.put("email", EMAIL);
        properties.put("hs_lead_status", "NEW");
        properties.put("call_duration", 42L);
        properties.put("first_call", true);
        return properties;
    }

    private static RequestPatternBuilder withJsonHeaders(RequestPatternBuilder pattern) {
        return pattern.withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"));
    }

    private static void stubPhoneSearch(ResponseDefinitionBuilder response) {
        hubspot.stubFor(searchFor("phone").willReturn(response));
    }

    private static void stubEmailSearch(ResponseDefinitionBuilder response) {
        hubspot.stubFor(searchFor("email").willReturn(response));
    }

    private static MappingBuilder searchFor(String property) {
        return post(urlEqualTo(SEARCH))
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].propertyName", equalTo(property)));
    }

    /** Requests received, oldest first, as "METHOD path" plus the searched property for searches. */
    private List<String> requestLog() {
        List<ServeEvent> events = new ArrayList<>(hubspot.getAllServeEvents());
        Collections.reverse(events);
        List<String> log = new ArrayList<>();
        for (ServeEvent event : events) {
            String line = event.getRequest().getMethod().getName() + " " + event.getRequest().getUrl();
            if (event.getRequest().getUrl().equals(SEARCH)) {
                line += " " + readTree(event.getRequest().getBodyAsString())
                        .at("/filterGroups/0/filters/0/propertyName").asText();
            }
            log.add(line);
        }
        return log;
    }

    private List<String> fileNames() throws IOException {
        Path dir = dryRunDir.resolve("dry-run/acme/crm");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertDryRunFile(String name, String method, String path, String expectedBody) throws IOException {
        String text = Files.readString(dryRunDir.resolve("dry-run/acme/crm").resolve(name));
        assertThat(text).doesNotContain(TOKEN).contains("\n");
        JsonNode file = readTree(text);
        assertThat(file.path("method").asText()).isEqualTo(method);
        assertThat(file.path("url").asText()).isEqualTo("https://api.hubapi.com" + path);
        assertThat(file.path("headers")).isEqualTo(readTree("""
                {"Content-Type":"application/json","Accept":"application/json","Authorization":"Bearer ****"}"""));
        assertThat(file.path("body")).isEqualTo(readTree(expectedBody));
    }

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return json(200, body);
    }

    private static ResponseDefinitionBuilder created(String id) {
        return json(201, contact(id));
    }

    private static ResponseDefinitionBuilder conflict(String existingId) {
        return json(409, """
                {"status":"error","message":"Contact already exists. Existing ID: %s",\
                "correlationId":"0f1e2d3c","category":"CONFLICT"}""".formatted(existingId));
    }

    private static ResponseDefinitionBuilder rateLimited() {
        return json(429, """
                {"status":"error","message":"You have reached your ten_secondly_rolling limit.",\
                "errorType":"RATE_LIMIT","correlationId":"r-1","policyName":"TEN_SECONDLY_ROLLING"}""");
    }

    private static String contact(String id) {
        return """
                {"id":"%s","properties":{"email":"jane.doe@example.com","phone":"+14045558514"},\
                "createdAt":"2025-01-15T10:00:00.000Z","updatedAt":"2025-01-15T10:00:00.000Z","archived":false}"""
                .formatted(id);
    }

    private static String hit(String id) {
        return """
                {"total":1,"results":[%s]}""".formatted(contact(id));
    }
}
