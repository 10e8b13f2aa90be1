package io.leadhub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.inbound.twilio.TwilioForm;
import io.leadhub.inbound.twilio.TwilioTestSigner;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Helpers of the Twilio end-to-end tests: Twilio's fixtures ({@code src/test/resources/twilio}), requests signed
 * like Twilio signs them, and reading the journal ({@code leads.inbound}).
 *
 * <p>Tenant {@code initech} has {@code public_base_url: https://hub.initech.test}, so its requests are signed for
 * {@code https://hub.initech.test/webhooks/twilio/initech/...} and posted to the hub on localhost.
 */
abstract class TwilioHubTest extends HubIntegrationTest {

    protected static final String INITECH_BASE = "https://hub.initech.test";
    protected static final String FORM = "application/x-www-form-urlencoded";
    protected static final String FIXTURE_CALL_SID = "CA5f1d2c3b4a5968778695a4b3c2d1e0f9";
    protected static final String FIXTURE_CALLER = "+14045558514";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param prefix SID prefix: {@code CA} call, {@code RE} recording, {@code TR} transcription
     * @return a fresh SID (prefix + 32 hex digits)
     */
    protected static String newSid(String prefix) {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /**
     * @param name fixture name, e.g. {@code status-completed}
     * @return its parameters (decoded), in body order
     */
    protected static Map<String, String> fixture(String name) {
        try {
            return new LinkedHashMap<>(TwilioForm.parse(Files.readAllBytes(Path.of("src/test/resources/twilio", name + ".form"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param name     fixture name
     * @param callSid  CallSid to use instead of the fixture's
     * @param caller   caller number (E.164) instead of the fixture's
     * @return the fixture's parameters for this call
     */
    protected static Map<String, String> fixture(String name, String callSid, String caller) {
        Map<String, String> params = fixture(name);
        params.replaceAll((k, v) -> v.replace(FIXTURE_CALL_SID, callSid).replace(FIXTURE_CALLER, caller));
        return params;
    }

    /** @return signed-fixtures.properties */
    protected static Properties signedFixtures() {
        Properties props = new Properties();
        try (var in = Files.newInputStream(Path.of("src/test/resources/twilio/signed-fixtures.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    /**
     * Posts form parameters to initech, signed for its public URL.
     *
     * @param pathAndQuery e.g. {@code status} or {@code recording?lead_phone=%2B1...}
     * @param params       form parameters
     * @return the response
     */
    protected HttpResponse<String> postInitech(String pathAndQuery, Map<String, String> params) {
        String signature = TwilioTestSigner.sign(INITECH_TWILIO_AUTH_TOKEN,
                INITECH_BASE + "/webhooks/twilio/initech/" + pathAndQuery, params);
        return postHub("/webhooks/twilio/initech/" + pathAndQuery, TwilioTestSigner.form(params), FORM,
                Map.of("X-Twilio-Signature", signature));
    }

    /**
     * @param pathAndQuery path (with query) on the hub
     * @param body         raw body
     * @param contentType  Content-Type, or null for none
     * @param headers      further headers
     * @return the response
     */
    protected HttpResponse<String> postHub(String pathAndQuery, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
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
     * @param response a 204 answer of a Twilio callback
     * @return the journaled event id ({@code X-LeadHub-Event-Id})
     */
    protected static String twilioEventId(HttpResponse<String> response) {
        return response.headers().firstValue("X-LeadHub-Event-Id").orElseThrow();
    }

    /**
     * Reads {@code leads.inbound} from the beginning (own consumer, no group) until the event appears.
     *
     * @param eventId LeadHub event id
     * @return the journaled InboundEvent as JSON
     */
    protected JsonNode journaled(String eventId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.GROUP_ID_CONFIG, "twilio-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AtomicReference<JsonNode> found = new AtomicReference<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor("leads.inbound").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().contains(eventId)) {
                        JsonNode node = JSON.readTree(record.value());
                        if (eventId.equals(node.path("eventId").asText())) {
                            found.set(node);
                        }
                    }
                }
                return found.get() != null;
            });
        }
        return found.get();
    }

    /** Waits until the enrich stage has committed everything journaled so far (so a duplicate has been skipped). */
    protected void awaitEnrichCaughtUp() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers()))) {
                long committed = admin.listConsumerGroupOffsets("leadhub-enrich").partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals("leads.inbound") && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                return committed == endOffsets("leads.inbound");
            }
        });
    }
}
