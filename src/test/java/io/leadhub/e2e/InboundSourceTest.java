package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.inbound.signature.Hmac;
import io.leadhub.inbound.signature.TimestampedHmacSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;

/**
 * Helpers of the end-to-end tests of the inbound sources (Perfex, LeadPro, ElevenLabs, web form, CallRail SMS /
 * forms / event order): posting signed fixtures, waiting for deliveries, reading the HubSpot stub's final state.
 * Adds no Spring configuration, so it shares {@link HubIntegrationTest}'s one context.
 */
abstract class InboundSourceTest extends HubIntegrationTest {

    protected static final String CONTACTS = "/crm/v3/objects/contacts";
    protected static final String SEARCH = "/crm/v3/objects/contacts/search";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void hubSpotFindsNobodyByDefault() {
        HUBSPOT.stubFor(post(urlEqualTo(SEARCH)).atPriority(10).willReturn(okJson("{\"total\":0,\"results\":[]}")));
    }

    /**
     * @param source fixture folder under {@code src/test/resources}
     * @param name   fixture file
     * @return the body
     */
    protected static String fixture(String source, String name) {
        try {
            return Files.readString(Path.of("src/test/resources", source, name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a fresh id fragment (digits), to make fixture ids unique per test */
    protected static String uniqueId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
    }

    /**
     * @param e164 an E.164 US number, e.g. {@code +14045551234}
     * @return it written nationally, {@code (404) 555-1234}
     */
    protected static String national(String e164) {
        String d = e164.substring(2);
        return "(" + d.substring(0, 3) + ") " + d.substring(3, 6) + "-" + d.substring(6);
    }

    /**
     * Posts a webhook.
     *
     * @param path    e.g. {@code /webhooks/perfex/vandelay}
     * @param body    raw body
     * @param headers request headers (Content-Type included when wanted)
     * @return the response
     */
    protected HttpResponse<String> postWebhook(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param scheme Perfex's or ElevenLabs' scheme
     * @param secret webhook secret
     * @param at     signing time
     * @param body   raw body
     * @return the headers of a JSON post signed with the scheme
     */
    protected static Map<String, String> timestamped(TimestampedHmacSignature scheme, String secret, Instant at,
                                                     String body) {
        return Map.of("Content-Type", "application/json",
                scheme.header(), scheme.sign(secret, at.getEpochSecond(), body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param secret key
     * @param body   raw body
     * @return lower-case hex HMAC-SHA256 of the body
     */
    protected static String hex(String secret, String body) {
        return Hmac.sha256Hex(secret, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs a request that must be refused and checks that nothing reached Kafka or the spool.
     *
     * @param call the request
     * @return its response (problem+json)
     */
    protected HttpResponse<String> assertNothingJournaled(Supplier<HttpResponse<String>> call) {
        long before = endOffsets("leads.inbound");
        int spooled = jdbc.queryForObject("SELECT COUNT(*) FROM inbound_spool", Integer.class);
        HttpResponse<String> response = call.get();
        assertThat(endOffsets("leads.inbound")).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_spool", Integer.class)).isEqualTo(spooled);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        return response;
    }

    /**
     * @param marker   a text only this test's requests contain (its phone or e-mail)
     * @param recordId the contact id the stub answers the create with
     */
    protected static void createAnswers(String marker, String recordId) {
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(marker))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + recordId + "\",\"properties\":{}}")));
        HUBSPOT.stubFor(patch(urlEqualTo(CONTACTS + "/" + recordId))
                .willReturn(okJson("{\"id\":\"" + recordId + "\",\"properties\":{}}")));
    }

    /**
     * @param eventId LeadHub event id
     * @param outcome delivery outcome to wait for ({@code created}, {@code updated}, ...)
     * @return the event's delivery rows
     */
    protected List<Map<String, Object>> awaitOutcome(String eventId, String outcome) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> outcome.equals(r.get("outcome"))));
        return deliveries(eventId);
    }

    /**
     * The contact as the HubSpot stub would hold it after the requests it received: the properties of the
     * create, then of each update, applied in the order they arrived.
     *
     * @param recordId the contact id
     * @param marker   a text the create request contains (phone or e-mail)
     * @return property → value
     */
    protected static Map<String, Object> hubSpotContact(String recordId, String marker) {
        Map<String, Object> state = new LinkedHashMap<>();
        HUBSPOT.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .filter(e -> isCreate(e, marker) || isUpdate(e, recordId))
                .forEach(e -> state.putAll(properties(e)));
        return state;
    }

    /**
     * @param marker a text the requests contain
     * @return how many contact creates the stub received with it
     */
    protected static long creates(String marker) {
        return HUBSPOT.getAllServeEvents().stream().filter(e -> isCreate(e, marker)).count();
    }

    /**
     * @param recordId the contact id
     * @return how many updates of it the stub received
     */
    protected static long updates(String recordId) {
        return HUBSPOT.getAllServeEvents().stream().filter(e -> isUpdate(e, recordId)).count();
    }

    /**
     * @param marker a text the create request contains
     * @return the properties of the (first) contact create that contains it
     */
    protected static Map<String, Object> created(String marker) {
        return HUBSPOT.getAllServeEvents().stream().filter(e -> isCreate(e, marker))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .findFirst().map(InboundSourceTest::properties).orElseThrow();
    }

    /**
     * Waits until the enrich consumer has committed everything written to {@code leads.inbound}, i.e. every
     * webhook sent so far was enriched, dropped as a duplicate or recorded.
     */
    protected void awaitEnrichCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers()))) {
                long committed = admin.listConsumerGroupOffsets("leadhub-enrich").partitionsToOffsetAndMetadata()
                        .get(10, java.util.concurrent.TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals("leads.inbound") && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                return committed == endOffsets("leads.inbound");
            }
        });
    }

    /**
     * @param tenant    tenant id
     * @param source    source name
     * @param provEvent provider event id
     * @return true when {@code lead-enrich} marked the event processed (idempotent consumer store)
     */
    protected boolean processed(String tenant, String source, String provEvent) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM camel_messageprocessed WHERE messageId = ?", Integer.class,
                tenant + "|" + source + "|" + provEvent) > 0;
    }

    private static boolean isCreate(ServeEvent e, String marker) {
        return e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(CONTACTS)
                && e.getRequest().getBodyAsString().contains(marker);
    }

    private static boolean isUpdate(ServeEvent e, String recordId) {
        return e.getRequest().getMethod().getName().equals("PATCH")
                && e.getRequest().getUrl().equals(CONTACTS + "/" + recordId);
    }

    private static Map<String, Object> properties(ServeEvent e) {
        try {
            Map<String, Object> body = JSON.readValue(e.getRequest().getBodyAsString(), new TypeReference<>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) body.get("properties");
            return props == null ? Map.of() : props;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
