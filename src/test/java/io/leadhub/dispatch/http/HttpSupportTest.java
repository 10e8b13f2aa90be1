package io.leadhub.dispatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.MutableClock;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.AccessTokenCache.AccessToken;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

class HttpSupportTest {

    @Test
    void urlsEncodeThePlusOfE164NumbersAndEverySpecialCharacterOfSecrets() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("term", "+14045558514");
        query.put("api_token", "a&b=c+d e");
        query.put("$filter", "email eq 'x'");

        URI url = CrmUrls.url(URI.create("https://acme.pipedrive.com/api/"), "/v1/persons/search", query);

        assertThat(url.toString()).isEqualTo("https://acme.pipedrive.com/api/v1/persons/search"
                + "?term=%2B14045558514&api_token=a%26b%3Dc%2Bd%20e&$filter=email%20eq%20%27x%27");
    }

    @Test
    void requestsShowSecretsOnlyMaskedAndDescribeThemselvesWithoutTheQuery() {
        OutboundRequest request = OutboundRequest.builder("Pipedrive", "create-person", "create person",
                        HttpMethod.POST, URI.create("https://api.pipedrive.com/v1/persons?api_token=SECRET&x=1"))
                .secretQueryParameter("api_token")
                .secretHeader("Authorization", "Bearer ", "SECRET")
                .header("Accept", "application/json")
                .form(Map.of("client_secret", "SECRET", "client_id", "abc"), Set.of("client_secret"))
                .build();

        assertThat(request.describe()).isEqualTo("Pipedrive create person (POST /v1/persons)");
        assertThat(request.toString()).doesNotContain("SECRET");
        assertThat(request.shownUrl()).isEqualTo("https://api.pipedrive.com/v1/persons?api_token=****&x=1");
        assertThat(DryRunFiles.content(request, CrmStubs.MAPPER).toString()).doesNotContain("SECRET")
                .contains("\"Authorization\":\"Bearer ****\"", "\"client_secret\":\"****\"", "\"client_id\":\"abc\"",
                        "\"Content-Type\":\"application/x-www-form-urlencoded\"");
        assertThat(request.headers()).containsEntry("Authorization", "Bearer SECRET");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).contains("client_secret=SECRET");
    }

    @Test
    void secretHeadersAddedLaterAreMaskedInDryRunFilesAndADisplayTargetReplacesThePath() {
        OutboundRequest request = OutboundRequest.builder("Perfex", "search-phone", "search lead by phone",
                        HttpMethod.POST, URI.create("https://crm.example.com/api/leads/search/4045558514"))
                .displayTarget("/api/leads/search/40455***14")
                .json(CrmStubs.json("{\"a\":1}"), CrmStubs.MAPPER)
                .header("Accept", "application/json")
                .build()
                .withSecretHeader("authtoken", "", "SECRET")
                .withHeader("Idempotency-Key", "k1");

        assertThat(request.describe()).isEqualTo("Perfex search lead by phone (POST /api/leads/search/40455***14)");
        assertThat(request.headers()).containsExactly(Map.entry("Content-Type", "application/json"),
                Map.entry("Accept", "application/json"), Map.entry("authtoken", "SECRET"),
                Map.entry("Idempotency-Key", "k1"));
        assertThat(DryRunFiles.content(request, CrmStubs.MAPPER)).isEqualTo(CrmStubs.json("""
                {"method":"POST","url":"https://crm.example.com/api/leads/search/4045558514",
                 "headers":{"Content-Type":"application/json","Accept":"application/json","authtoken":"****",
                            "Idempotency-Key":"k1"},
                 "body":{"a":1}}"""));
    }

    @Test
    void aDryRunWritesOneFilePerRequestInSendingOrderAndReportsTheKnownRecord(@TempDir Path tmp) {
        OutboundRequest search = OutboundRequest.builder("Pipedrive", "search-phone", "search persons", HttpMethod.GET,
                URI.create("https://api.pipedrive.com/v1/persons/search?term=x&api_token=SECRET"))
                .secretQueryParameter("api_token").build();
        OutboundRequest create = OutboundRequest.builder("Pipedrive", "create-person", "create person",
                HttpMethod.POST, URI.create("https://api.pipedrive.com/v1/persons?api_token=SECRET"))
                .secretQueryParameter("api_token").json(CrmStubs.json("{\"name\":\"Jane\"}"), CrmStubs.MAPPER).build();
        DeliveryRequest request = new DeliveryRequest("acme", destination(Map.of()), "ev/1", Map.of(), null, null,
                "17", tmp.resolve("dry-run"), null);

        DeliveryResult result = DryRunFiles.dryRun(request, List.of(search, create), "17", CrmStubs.MAPPER,
                "Pipedrive");

        assertThat(result).isEqualTo(new DeliveryResult(DeliveryResult.Outcome.DRY_RUN, "17"));
        assertThat(CrmStubs.fileNames(tmp.resolve("dry-run")))
                .containsExactly("ev_1-01-search-phone.json", "ev_1-02-create-person.json");
        JsonNode file = CrmStubs.readJson(tmp.resolve("dry-run").resolve("ev_1-02-create-person.json"));
        assertThat(file.path("url").asText()).isEqualTo("https://api.pipedrive.com/v1/persons?api_token=****");
        assertThat(file.path("body")).isEqualTo(CrmStubs.json("{\"name\":\"Jane\"}"));
        assertThat(catchThrowableOfType(PermanentDeliveryException.class, () -> DryRunFiles.dryRun(
                new DeliveryRequest("acme", destination(Map.of()), "ev-2", Map.of(), null, null, null, null, null),
                List.of(create), null, CrmStubs.MAPPER, "Pipedrive")).getMessage())
                .isEqualTo("Pipedrive dry run: the destination has no dry-run folder");
    }

    @Test
    void accessTokensAreReusedUntilAMinuteBeforeExpiryAndAfterInvalidationFetchedAgain() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        AccessTokenCache cache = new AccessTokenCache(clock);
        AtomicInteger fetches = new AtomicInteger();
        String key = AccessTokenCache.key("acme|zoho", "client", "secret");

        AccessToken first = cache.get(key, () -> new AccessToken("t" + fetches.incrementAndGet(),
                clock.instant().plusSeconds(3600), Map.of("api_domain", "https://www.zohoapis.eu")));
        assertThat(cache.get(key, () -> new AccessToken("t" + fetches.incrementAndGet(),
                clock.instant().plusSeconds(3600), Map.of()))).isSameAs(first);

        clock.advance(Duration.ofSeconds(3540));
        AccessToken second = cache.get(key, () -> new AccessToken("t" + fetches.incrementAndGet(),
                clock.instant().plusSeconds(3600), Map.of()));
        assertThat(second.value()).isEqualTo("t2");

        cache.invalidate(key, second);
        assertThat(cache.get(key, () -> new AccessToken("t" + fetches.incrementAndGet(),
                clock.instant().plusSeconds(3600), Map.of())).value()).isEqualTo("t3");
        assertThat(first.toString()).doesNotContain("t1");
        assertThat(AccessTokenCache.key("acme|zoho", "client", "rotated")).isNotEqualTo(key);
    }

    @Test
    void dryRunAutoCountsSecretSettingsAsCredentials() {
        DestinationConfig withApiToken = destination(Map.of("api_token", Secret.of("x")));
        DestinationConfig withEmptySecrets = destination(Map.of("client_secret", Secret.empty(), "board_id", 1L));

        assertThat(withApiToken.isDryRun()).isFalse();
        assertThat(withEmptySecrets.isDryRun()).isTrue();
    }

    @Test
    void settingsWithWrongValuesNameTheDestinationAndKey() {
        Settings settings = new Settings("Pipedrive",
                destination(Map.of("pipeline_id", "first", "timeout_ms", -5L, "create_deal", "maybe")));

        assertThat(catchThrowableOfType(PermanentDeliveryException.class, () -> settings.optionalLong("pipeline_id"))
                .getMessage())
                .isEqualTo("Pipedrive destination crm: setting 'pipeline_id' must be a whole number, got 'first'");
        assertThat(catchThrowableOfType(PermanentDeliveryException.class, settings::readTimeout).getMessage())
                .contains("setting 'timeout_ms' must be a positive number of milliseconds");
        assertThat(catchThrowableOfType(PermanentDeliveryException.class, () -> settings.bool("create_deal", true))
                .getMessage()).contains("setting 'create_deal' must be true or false");
        assertThat(catchThrowableOfType(PermanentDeliveryException.class, () -> settings.requiredString("board_id"))
                .getMessage()).contains("setting 'board_id' is required");
    }

    @Test
    void topLevelReadsTrimAndAcceptWhatPlaceholdersResolveToNestedReadsNameTheDottedPath() {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("token_url", " ");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("module", " Leads ");
        values.put("group_id", " ");
        values.put("timeout_ms", "1500");
        values.put("create_note", "false");
        values.put("auth", auth);
        Settings settings = new Settings("custom_rest", destination(values));

        assertThat(settings.string("module", "x")).isEqualTo("Leads");
        assertThat(settings.string("group_id", "topics")).isEqualTo("topics");
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.bool("create_note", true)).isFalse();
        assertThat(new Settings("custom_rest", destination(Map.of())).readTimeout())
                .isEqualTo(Settings.DEFAULT_READ_TIMEOUT);
        Map<String, Object> nested = settings.map(settings.all(), "auth", "auth");
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> settings.requiredString(nested, "token_url", "auth.token_url")).getMessage())
                .isEqualTo("custom_rest destination crm: setting 'auth.token_url' must be a non-empty string");
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        Instant now = Instant.parse("2015-10-21T07:27:30Z");
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(" 2 ", now)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse(null, now)).isNull();
        assertThat(RetryAfter.seconds(" 17 ")).isEqualTo(Duration.ofSeconds(17));
        assertThat(RetryAfter.seconds("-1")).isNull();
        assertThat(RetryAfter.seconds("1.5")).isNull();
    }

    @Test
    void theDefaultPolicyWithACrmsOwnWaitKeepsTheWaitFor429OnlyAndShortensTheDetail() {
        OutboundRequest request = OutboundRequest.builder("Zoho CRM", "upsert", "upsert Leads", HttpMethod.POST,
                URI.create("https://www.zohoapis.com/crm/v8/Leads/upsert")).build();
        Duration wait = Duration.ofSeconds(42);

        DeliveryException tooMany = StatusPolicy.DEFAULT.toException(request, response(429, "{}"), "LIMIT", wait);
        DeliveryException unavailable = StatusPolicy.DEFAULT.toException(request, response(503, ""), "", wait);
        DeliveryException invalid = StatusPolicy.DEFAULT.toException(request, response(400, "{\"code\":\"X\"}"),
                "x".repeat(400), wait);

        assertThat(tooMany).isInstanceOf(TransientDeliveryException.class)
                .hasMessage("Zoho CRM upsert Leads (POST /crm/v8/Leads/upsert): HTTP 429 LIMIT");
        assertThat(((TransientDeliveryException) tooMany).retryAfter()).contains(wait);
        assertThat(unavailable).isInstanceOf(TransientDeliveryException.class)
                .hasMessage("Zoho CRM upsert Leads (POST /crm/v8/Leads/upsert): HTTP 503");
        assertThat(((TransientDeliveryException) unavailable).retryAfter()).isEmpty();
        assertThat(invalid).isInstanceOf(PermanentDeliveryException.class);
        assertThat(invalid.getMessage()).endsWith("HTTP 400 " + "x".repeat(ErrorDetail.MAX_CHARS) + "...");
        assertThat(invalid.responseBody()).isEqualTo("{\"code\":\"X\"}");
    }

    @Test
    void jsonTreesReadAnswersThatMayNotBeJsonAndTheirTextFields() {
        JsonNode json = JsonTrees.readOrNull("{\"error\":\"invalid_client\",\"n\":3,\"blank\":\" \",\"o\":{}}",
                CrmStubs.MAPPER);

        assertThat(JsonTrees.text(json, "error")).isEqualTo("invalid_client");
        assertThat(JsonTrees.text(json, "n")).isEqualTo("3");
        assertThat(JsonTrees.text(json, "blank")).isNull();
        assertThat(JsonTrees.text(json, "o")).isNull();
        assertThat(JsonTrees.text(null, "error")).isNull();
        assertThat(JsonTrees.readOrNull("<html>", CrmStubs.MAPPER)).isNull();
        assertThat(JsonTrees.readOrNull("", CrmStubs.MAPPER)).isNull();
    }

    @Test
    void piiMaskMasksTheLeadsPhoneAndEmailInEverySpelling() {
        UnaryOperator<String> mask = PiiMask.of("+14045558514", "jane@example.com");

        assertThat(mask.apply("term=%2B14045558514 14045558514 +14045558514 4045558514 jane@example.com "
                + "jane%40example.com"))
                .doesNotContain("4045558514", "jane@", "jane%40")
                .startsWith("term=%2B14045****14 14045****14 +1404*****14 ");
        assertThat(mask.apply(null)).isNull();
        assertThat(PiiMask.of(null, null).apply("call +14045558514")).isEqualTo("call +1404*****14");
    }

    private static OutboundResponse response(int status, String body) {
        return new OutboundResponse(status, new HttpHeaders(), body);
    }

    private static DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("crm", "pipedrive", true, null, Secret.empty(), DryRun.AUTO,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }
}
