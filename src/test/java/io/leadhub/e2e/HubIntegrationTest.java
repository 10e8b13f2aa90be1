package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.leadhub.dispatch.salesforce.JwtTestKeys;
import io.leadhub.inbound.callrail.CallRailSignatureVerifier;
import io.leadhub.kafka.KafkaSetup;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the end-to-end tests: the whole hub (real HTTP on a random port, the in-process Kafka broker, the
 * database, the YAML routes from {@code routes/}) against a WireMock HubSpot. All subclasses share one Spring
 * context, hence one broker. The database is H2 under a temporary data dir, or PostgreSQL when the build passes
 * {@code leadhub.test.datasource-url} ({@code ./mvnw verify -Ppostgres}); PostgreSQL is cleaned and migrated
 * once per test JVM.
 *
 * <p>Tests stay independent by using their own phone numbers and call ids ({@link #uniquePhone()}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.jmx.enabled=true")
@ActiveProfiles("it")
@Import(HubIntegrationTest.CleanDatabase.class)
public abstract class HubIntegrationTest {

    protected static final String ACME_CALLRAIL_KEY = "acme-callrail-test-key";
    /** acme's API key for the contact APIs (tenant file {@code api_keys}). */
    protected static final String ACME_API_KEY = "acme-api-test-key";
    protected static final String ACME_HUBSPOT_TOKEN = "pat-na1-acme-test-token";
    protected static final String GLOBEX_CALLRAIL_KEY = "globex-callrail-test-key";
    /** Secrets of the vandelay and hooli tenants (it-mappings), the sources beyond CallRail post-call. */
    protected static final Map<String, String> SOURCE_SECRETS = Map.of(
            "VANDELAY_CALLRAIL_KEY", "initech-callrail-test-key",
            "VANDELAY_PERFEX_SECRET", "initech-perfex-test-secret",
            "VANDELAY_LEADPRO_SECRET", "initech-leadpro-test-secret",
            "VANDELAY_ELEVENLABS_SECRET", "initech-elevenlabs-test-secret",
            "VANDELAY_FORM_SECRET", "initech-form-test-secret",
            "HOOLI_FORM_API_KEY", "hooli-form-test-api-key",
            "HOOLI_LEADPRO_SECRET", "hooli-leadpro-test-secret",
            "HOOLI_ELEVENLABS_SECRET", "hooli-elevenlabs-test-secret");
    protected static final WireMockServer HUBSPOT = new WireMockServer(options().dynamicPort());
    /** Salesforce org stub of tenant initrode: token endpoint and REST API (see it-mappings/initrode.yaml). */
    protected static final WireMockServer SALESFORCE = new WireMockServer(options().dynamicPort());
    protected static final String INITRODE_CALLRAIL_KEY = "initech-callrail-test-key";
    protected static final String INITRODE_SF_KEYSTORE_PASSWORD = "initrode-keystore-test-password";
    /** Stub of the REST-style destinations (custom_rest, webhook subscribers, Perfex, LeadPro); one path prefix per tenant. */
    protected static final WireMockServer REST_STUB = new WireMockServer(options().dynamicPort());
    protected static final String E2E_REST_CLIENT_SECRET = "e2e-rest-client-secret";
    protected static final String E2E_WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("leadhub-e2e-webhook-signing-key!".getBytes(StandardCharsets.UTF_8));
    protected static final String E2E_PERFEX_TOKEN = "e2e-perfex-authtoken";
    protected static final String E2E_LEADPRO_TOKEN = "e2e-leadpro-token";
    /**
     * API key of tenant llmco's own LLM ({@code ai.llm.api_key}); its chat-completions stub is REST_STUB's
     * {@code /llmco/v1/chat/completions} (see it-mappings/llmco.yaml).
     */
    protected static final String E2E_LLM_API_KEY = "sk-e2e-llmco-test-key";
    /** Twilio REST API stub (click-to-call), tenant initech's {@code sources.twilio.api_base_url}. */
    protected static final WireMockServer TWILIO = new WireMockServer(options().dynamicPort());
    protected static final String INITECH_TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    protected static final String INITECH_TWILIO_AUTH_TOKEN = "initech-twilio-test-auth-token";
    protected static final String INITECH_CLICK_TO_CALL_TOKEN = "initech-click-to-call-test-token";
    protected static final String INITECH_HUBSPOT_TOKEN = "pat-na1-initech-test-token";
    protected static final String UMBRELLA_TWILIO_AUTH_TOKEN = "umbrella-twilio-test-auth-token";
    protected static final Path DATA_DIR;
    /** The tenant files the hub under test reads (a copy of src/test/resources/it-mappings). */
    protected static final Path MAPPINGS_DIR;
    /** Admin credentials of the test profile. */
    protected static final String ADMIN_AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));
    /** Throwaway RSA key of initrode's JWT bearer login, made by keytool for this JVM. */
    protected static final Path INITRODE_SF_KEYSTORE;

    static {
        HUBSPOT.start();
        REST_STUB.start();
        TWILIO.start();
        try {
            DATA_DIR = Files.createTempDirectory("leadhub-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("leadhub.data-dir", DATA_DIR.toString());
        // a private copy of the test tenant files, so hot-reload tests can add, change and remove files
        MAPPINGS_DIR = DATA_DIR.resolve("mappings");
        try {
            Files.createDirectories(MAPPINGS_DIR);
            try (var files = Files.list(Path.of("src/test/resources/it-mappings"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, MAPPINGS_DIR.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("leadhub.mappings-dir", MAPPINGS_DIR.toString());
        System.setProperty("HUBSPOT_STUB_URL", HUBSPOT.baseUrl());
        System.setProperty("TRIGGERCO_SLACK_URL", HUBSPOT.baseUrl() + "/slack/triggerco");
        System.setProperty("ACME_CALLRAIL_KEY", ACME_CALLRAIL_KEY);
        System.setProperty("ACME_API_KEY", ACME_API_KEY);
        System.setProperty("ACME_HUBSPOT_TOKEN", ACME_HUBSPOT_TOKEN);
        System.setProperty("GLOBEX_CALLRAIL_KEY", GLOBEX_CALLRAIL_KEY);
        SALESFORCE.start();
        INITRODE_SF_KEYSTORE = JwtTestKeys.createKeystore(DATA_DIR.resolve("initrode-salesforce.p12"),
                INITRODE_SF_KEYSTORE_PASSWORD);
        System.setProperty("SALESFORCE_STUB_URL", SALESFORCE.baseUrl());
        System.setProperty("INITRODE_CALLRAIL_KEY", INITRODE_CALLRAIL_KEY);
        System.setProperty("INITRODE_SF_KEYSTORE", INITRODE_SF_KEYSTORE.toString());
        System.setProperty("INITRODE_SF_KEYSTORE_PASSWORD", INITRODE_SF_KEYSTORE_PASSWORD);
        System.setProperty("REST_STUB_URL", REST_STUB.baseUrl());
        System.setProperty("E2E_REST_CLIENT_SECRET", E2E_REST_CLIENT_SECRET);
        System.setProperty("E2E_WEBHOOK_SECRET", E2E_WEBHOOK_SECRET);
        System.setProperty("E2E_PERFEX_TOKEN", E2E_PERFEX_TOKEN);
        System.setProperty("E2E_LEADPRO_TOKEN", E2E_LEADPRO_TOKEN);
        System.setProperty("E2E_LLM_API_KEY", E2E_LLM_API_KEY);
        SOURCE_SECRETS.forEach(System::setProperty);
        System.setProperty("TWILIO_STUB_URL", TWILIO.baseUrl());
        System.setProperty("INITECH_TWILIO_ACCOUNT_SID", INITECH_TWILIO_ACCOUNT_SID);
        System.setProperty("INITECH_TWILIO_AUTH_TOKEN", INITECH_TWILIO_AUTH_TOKEN);
        System.setProperty("INITECH_CLICK_TO_CALL_TOKEN", INITECH_CLICK_TO_CALL_TOKEN);
        System.setProperty("INITECH_HUBSPOT_TOKEN", INITECH_HUBSPOT_TOKEN);
        System.setProperty("UMBRELLA_TWILIO_AUTH_TOKEN", UMBRELLA_TWILIO_AUTH_TOKEN);
        String url = System.getProperty("leadhub.test.datasource-url", "");
        if (!url.isBlank()) {
            System.setProperty("spring.datasource.url", url);
            System.setProperty("spring.flyway.clean-disabled", "false");
        }
    }

    /**
     * One WireMock for the Pipedrive, Zoho, Dynamics and monday.com tenants of it-mappings (crm-*.yaml): their
     * APIs and token endpoints live under different paths. Tenant files use {@code ${CRM_STUB_URL}} and the secret
     * {@code ${CRM_STUB_SECRET}}.
     */
    protected static final WireMockServer CRM_STUB = new WireMockServer(options().dynamicPort());
    protected static final String CRM_STUB_SECRET = "crm-stub-test-secret";

    static {
        CRM_STUB.start();
        System.setProperty("CRM_STUB_URL", CRM_STUB.baseUrl());
        System.setProperty("CRM_STUB_SECRET", CRM_STUB_SECRET);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected KafkaSetup.KafkaBootstrap kafka;

    /** Cleans the test database once (PostgreSQL keeps rows between runs; a fresh H2 is already empty). */
    @TestConfiguration
    static class CleanDatabase {
        @Bean
        FlywayMigrationStrategy cleanThenMigrate() {
            return (Flyway flyway) -> {
                if (!System.getProperty("leadhub.test.datasource-url", "").isBlank()) {
                    flyway.clean();
                }
                flyway.migrate();
            };
        }
    }

    /** @return a random US phone number in E.164, unique enough to isolate one test's lead */
    protected static String uniquePhone() {
        return "+1404" + (2000000 + ThreadLocalRandom.current().nextInt(7_000_000));
    }

    /**
     * @param phone caller number (E.164)
     * @return the post-call sample with this phone and a fresh call id
     */
    protected static String postCallBody(String phone) {
        long id = ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        return sample("post-call.json")
                .replace("\"id\": 766970532", "\"id\": " + id)
                .replace("CAL8154748ae6bd4e278a7cddd38a662f4f", "CAL" + id)
                .replace("+14045558514", phone);
    }

    /**
     * @param name file under {@code samples/callrail}
     * @return its content
     */
    protected static String sample(String name) {
        try {
            return Files.readString(Path.of("samples/callrail", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param key  signing key
     * @param body raw body
     * @return CallRail's {@code Signature} header value for the body
     */
    protected static String sign(String key, String body) {
        return Base64.getEncoder().encodeToString(CallRailSignatureVerifier.sign(key, body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Posts a CallRail webhook for a test tenant whose CallRail source uses the acme signing key.
     *
     * @param tenant tenant id
     * @param body   raw JSON
     * @return the response
     */
    protected HttpResponse<String> postCallRail(String tenant, String body) {
        return postCallRail(tenant, body, sign(ACME_CALLRAIL_KEY, body), "application/json");
    }

    /**
     * @param eventId LeadHub event id
     * @param outcome outcome to wait for ({@code created}, {@code delivered}, ...)
     * @return the event's delivery attempts once one has that outcome (waits up to 30 s)
     */
    protected List<Map<String, Object>> awaitDelivery(String eventId, String outcome) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId)
                .stream().anyMatch(r -> outcome.equals(r.get("outcome"))));
        return deliveries(eventId);
    }

    /**
     * Posts a CallRail webhook signed with the acme key.
     *
     * @param body raw JSON
     * @return the response
     */
    protected HttpResponse<String> postCallRail(String body) {
        return postCallRail("acme", body, sign(ACME_CALLRAIL_KEY, body), "application/json");
    }

    /**
     * @param tenant      tenant in the path
     * @param body        raw body
     * @param signature   Signature header, or null for none
     * @param contentType Content-Type header, or null for none
     * @return the response
     */
    protected HttpResponse<String> postCallRail(String tenant, String body, String signature, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/callrail/" + tenant))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Signature", signature);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
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
     * Calls the admin API with the test admin credentials.
     *
     * @param method HTTP method
     * @param path   path and query, e.g. {@code /admin/dead-letters?tenant=acme}
     * @param body   JSON body, or null
     * @return the response
     */
    protected HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", ADMIN_AUTH)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
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
     * @param topic topic name
     * @return the sum of the end offsets of all its partitions (records ever written)
     */
    protected long endOffsets(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers()))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(r -> r.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read offsets of " + topic, e);
        }
    }

    /**
     * @param eventId LeadHub event id
     * @return its delivery attempts, oldest first (columns attempt, outcome, http_status, crm_record_id, error)
     */
    protected List<Map<String, Object>> deliveries(String eventId) {
        return jdbc.queryForList("SELECT attempt, outcome, http_status, crm_record_id, error FROM deliveries "
                + "WHERE event_id = ? ORDER BY id", eventId);
    }

    /**
     * @param eventId LeadHub event id
     * @return its dead letters (columns destination_id, route_id, error_type, error, http_status, response_body, attempts)
     */
    protected List<Map<String, Object>> deadLetters(String eventId) {
        return jdbc.queryForList("SELECT tenant, destination_id, route_id, error_type, error, http_status, response_body, "
                + "attempts FROM dead_letters WHERE event_id = ? ORDER BY id", eventId);
    }

    /**
     * @param response a 202 answer
     * @return its eventId
     */
    protected static String eventId(HttpResponse<String> response) {
        return response.body().replaceAll(".*\"eventId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
