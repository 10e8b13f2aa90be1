package io.leadhub.dispatch.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.DeliverySteps;
import io.leadhub.dispatch.MutableClock;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
import org.springframework.web.client.RestClient;

class WebhookConnectorTest {

    /** A 32-byte key, serialised the Standard Webhooks way. */
    private static final byte[] KEY = "leadhub-webhook-test-key-32bytes".getBytes();
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final String EVENT_ID = "3f2c9a10-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    private static final String PHONE = "+14045558514";

    private static WireMockServer subscribers;

    @TempDir
    Path dryRunDir;

    /** Configured like the application's mapper (spring.jackson.default-property-inclusion: non_null). */
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final DeliverySteps steps = DeliverySteps.inMemory();
    private final WebhookConnector connector = new WebhookConnector(new OutboundHttp(RestClient.builder()), mapper,
            steps, Optional.of(clock));

    @BeforeAll
    static void start() {
        subscribers = new WireMockServer(options().dynamicPort());
        subscribers.start();
    }

    @AfterAll
    static void stop() {
        subscribers.stop();
    }

    @BeforeEach
    void reset() {
        subscribers.resetAll();
    }

    @Test
    void typeIsWebhook() {
        assertThat(connector.type()).isEqualTo("webhook");
    }

    @Test
    void postsTheSignedPayloadToEverySubscriber() throws IOException {
        subscribers.stubFor(post(urlEqualTo("/hooks/a")).willReturn(aResponse().withStatus(204)));
        subscribers.stubFor(post(urlEqualTo("/hooks/b?token=abc")).willReturn(aResponse().withStatus(200)));

        DeliveryResult result = connector.deliver(request(destination(settings(List.of(
                subscribers.baseUrl() + "/hooks/a", "/hooks/b?token=abc")), DryRun.OFF)));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DELIVERED, null));
        for (String url : List.of("/hooks/a", "/hooks/b?token=abc")) {
            subscribers.verify(1, postRequestedFor(urlEqualTo(url))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withHeader("X-Tenant", equalTo("acme"))
                    .withHeader("webhook-id", matching("msg_[0-9a-f]{32}"))
                    .withHeader("webhook-timestamp", equalTo("1795255200"))
                    .withHeader("webhook-signature", matching("v1,[A-Za-z0-9+/]{43}=")));
            LoggedRequest sent = subscribers.findAll(postRequestedFor(urlEqualTo(url))).get(0);
            assertThat(sent.getHeader("webhook-signature")).isEqualTo(StandardWebhookSignature.sign(KEY,
                    sent.getHeader("webhook-id"), 1795255200L, sent.getBodyAsString()));
            assertThat(mapper.readTree(sent.getBodyAsString())).isEqualTo(mapper.readTree(EXPECTED_PAYLOAD));
        }
    }

    private static final String EXPECTED_PAYLOAD = """
            {"type":"lead.enriched","timestamp":"2026-11-21T09:59:58Z",
             "data":{"event_id":"3f2c9a10-5b6d-4e7f-8a9b-0c1d2e3f4a5b","tenant":"acme","destination":"hooks",
               "source":"callrail","event_type":"post_call","provider_event_id":"post_call:CAL1",
               "received_at":"2026-11-21T09:59:57Z",
               "properties":{"firstname":"Maria","ai_lead_score":85},
               "lead":{"phone":"+14045558514","full_name":"Maria Gonzalez","email":null},
               "call":{"id":"CAL1","duration_seconds":247,"transcription":null},
               "ai":{"intent":"new_project","lead_score":85,"sentiment":"positive"},
               "analysis_reasons":["kitchen remodel mentioned"]}}""";

    @Test
    void webhookIdIsStableAcrossAttemptsWhileTimestampAndSignatureFollowTheAttempt() {
        subscribers.stubFor(post(urlEqualTo("/hooks/a")).willReturn(aResponse().withStatus(500)));
        DestinationConfig destination = destination(settings(List.of(subscribers.baseUrl() + "/hooks/a")), DryRun.OFF);

        catchThrowableOfType(TransientDeliveryException.class, () -> connector.deliver(request(destination)));
        clock.advance(Duration.ofSeconds(30));
        catchThrowableOfType(TransientDeliveryException.class, () -> connector.deliver(request(destination)));

        List<LoggedRequest> sent = subscribers.findAll(postRequestedFor(urlEqualTo("/hooks/a")));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("webhook-id")).isEqualTo(sent.get(1).getHeader("webhook-id"))
                .isEqualTo(WebhookConnector.webhookId(request(destination)));
        assertThat(sent.get(0).getBodyAsString()).isEqualTo(sent.get(1).getBodyAsString());
        assertThat(List.of(sent.get(0).getHeader("webhook-timestamp"), sent.get(1).getHeader("webhook-timestamp")))
                .containsExactlyInAnyOrder("1795255200", "1795255230");
        assertThat(sent.get(0).getHeader("webhook-signature")).isNotEqualTo(sent.get(1).getHeader("webhook-signature"));
    }

    @Test
    void webhookIdDiffersPerDestinationAndEvent() {
        DestinationConfig a = destination(settings(List.of("https://a.example")), DryRun.OFF);
        DestinationConfig b = new DestinationConfig("other", "webhook", true, null, Secret.empty(), DryRun.OFF,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), settings(List.of("https://a.example")));

        assertThat(WebhookConnector.webhookId(request(a))).isNotEqualTo(WebhookConnector.webhookId(request(b)));
        assertThat(WebhookConnector.webhookId(request(a))).isNotEqualTo(WebhookConnector.webhookId(
                new DeliveryRequest("acme", a, "another-event", Map.of(), PHONE, null, null, dryRunDir, event())));
    }

    @Test
    void aRetryPostsOnlyToTheSubscribersThatHaveNotAnsweredTwoHundredYet() {
        subscribers.stubFor(post(urlEqualTo("/hooks/a")).willReturn(aResponse().withStatus(200)));
        subscribers.stubFor(post(urlEqualTo("/hooks/b")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "20")));
        DestinationConfig destination = destination(settings(List.of("/hooks/a", "/hooks/b")), DryRun.OFF);

        TransientDeliveryException first = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination)));
        assertThat(first.httpStatus()).isEqualTo(503);
        assertThat(first.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(first.getMessage()).startsWith("webhook msg_").contains("1 of 2 subscriber(s) failed",
                "subscriber 1 (localhost): HTTP 200", "subscriber 2 (localhost): HTTP 503 (retried)")
                .doesNotContain("/hooks/");

        subscribers.stubFor(post(urlEqualTo("/hooks/b")).willReturn(aResponse().withStatus(202)));
        assertThat(connector.deliver(request(destination))).isEqualTo(new DeliveryResult(Outcome.DELIVERED, null));

        subscribers.verify(1, postRequestedFor(urlEqualTo("/hooks/a")));
        subscribers.verify(2, postRequestedFor(urlEqualTo("/hooks/b")));
    }

    @Test
    void goneAndOtherClientErrorsArePermanentAndRedirectsAreNotFollowed() {
        subscribers.stubFor(post(urlEqualTo("/hooks/a")).willReturn(aResponse().withStatus(410)));
        subscribers.stubFor(post(urlEqualTo("/hooks/b")).willReturn(aResponse().withStatus(301)
                .withHeader("Location", subscribers.baseUrl() + "/hooks/c")));

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(settings(List.of("/hooks/a", "/hooks/b")), DryRun.OFF))));

        assertThat(e.httpStatus()).isEqualTo(410);
        assertThat(e.getMessage()).contains("2 of 2 subscriber(s) failed", "HTTP 410 (permanent)", "HTTP 301 (permanent)");
        subscribers.verify(0, postRequestedFor(urlEqualTo("/hooks/c")));
    }

    @Test
    void rateLimitedSubscriberIsRetriedAfterItsRetryAfter() {
        subscribers.stubFor(post(urlEqualTo("/hooks/a")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "9")));

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(settings(List.of("/hooks/a")), DryRun.OFF))));

        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(9));
    }

    @Test
    void includeLimitsThePayloadSectionsAndEventTypeRenamesIt() throws IOException {
        subscribers.stubFor(post(urlEqualTo("/hooks/a")).willReturn(aResponse().withStatus(200)));
        Map<String, Object> settings = settings(List.of("/hooks/a"));
        settings.put("include", List.of("properties", "ai"));
        settings.put("event_type", "acme.lead_scored");

        connector.deliver(request(destination(settings, DryRun.OFF)));

        JsonNode body = mapper.readTree(subscribers.findAll(postRequestedFor(urlEqualTo("/hooks/a"))).get(0).getBodyAsString());
        assertThat(body.path("type").asText()).isEqualTo("acme.lead_scored");
        assertThat(body.path("data").fieldNames()).toIterable().containsExactly("event_id", "tenant", "destination",
                "source", "event_type", "provider_event_id", "received_at", "properties", "ai");
    }

    @Test
    void dryRunWritesOneFilePerSubscriberAndSendsNothing() throws IOException {
        DeliveryResult result = connector.deliver(request(destination(settings(List.of("/hooks/a", "/hooks/b")),
                DryRun.ON)));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.DRY_RUN, null));
        assertThat(subscribers.getAllServeEvents()).isEmpty();
        try (Stream<Path> files = Files.list(dryRunDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(EVENT_ID + "-01-subscriber-1.json", EVENT_ID + "-02-subscriber-2.json");
        }
        JsonNode file = mapper.readTree(dryRunDir.resolve(EVENT_ID + "-01-subscriber-1.json").toFile());
        assertThat(file.path("headers").path("webhook-signature").asText()).startsWith("v1,");
        assertThat(file.path("body").path("type").asText()).isEqualTo("lead.enriched");
    }

    @Test
    void dryRunAutoWithoutSecretDoesNotSign() throws IOException {
        Map<String, Object> settings = settings(List.of("/hooks/a"));
        settings.put("secret", Secret.empty());

        assertThat(connector.deliver(request(destination(settings, DryRun.AUTO))).outcome()).isEqualTo(Outcome.DRY_RUN);
        JsonNode file = mapper.readTree(dryRunDir.resolve(EVENT_ID + "-01-subscriber-1.json").toFile());
        assertThat(file.path("headers").path("webhook-signature").asText()).isEqualTo("v1,****");
    }

    @Test
    void invalidSecretAndMissingUrlsArePermanentAndNameTheKey() {
        Map<String, Object> badSecret = settings(List.of("/hooks/a"));
        badSecret.put("secret", Secret.of("whsec_***"));
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(badSecret, DryRun.OFF)))).getMessage())
                .isEqualTo("webhook destination hooks: setting 'secret' must be whsec_<base64 key> (its key part is not base64)");

        Map<String, Object> noUrls = settings(List.of());
        noUrls.remove("urls");
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(noUrls, DryRun.OFF)))).getMessage())
                .contains("setting 'urls' is required");
        assertThat(subscribers.getAllServeEvents()).isEmpty();
    }

    private Map<String, Object> settings(List<String> urls) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("urls", urls);
        settings.put("secret", Secret.of(SECRET));
        settings.put("headers", Map.of("X-Tenant", "acme"));
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> settings, DryRun dryRun) {
        return new DestinationConfig("hooks", "webhook", true, URI.create(subscribers.baseUrl()), Secret.empty(),
                dryRun, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("firstname", "Maria");
        properties.put("ai_lead_score", 85L);
        return new DeliveryRequest("acme", destination, EVENT_ID, properties, PHONE, null, null, dryRunDir, event());
    }

    private static EnrichedLead event() {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("phone", PHONE);
        lead.put("full_name", "Maria Gonzalez");
        lead.put("email", null);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", "CAL1");
        call.put("duration_seconds", 247);
        call.put("transcription", null);
        Map<String, Object> ai = new LinkedHashMap<>();
        ai.put("intent", "new_project");
        ai.put("lead_score", 85);
        ai.put("sentiment", "positive");
        return new EnrichedLead(EVENT_ID, "acme", "callrail", "post_call", "post_call:CAL1",
                Instant.parse("2026-11-21T09:59:57Z"), Instant.parse("2026-11-21T09:59:58Z"), lead, call, ai,
                List.of("kitchen remodel mentioned"));
    }
}
