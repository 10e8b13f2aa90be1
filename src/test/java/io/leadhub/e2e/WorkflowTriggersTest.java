package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Workflow triggers end to end: a CallRail call of tenant {@code triggerco} runs the {@code every_call} trigger's
 * actions (Slack notification on the WireMock stub, a scheduled follow-up call) once, and a replay of the same
 * enriched lead on {@code leads.triggers} does not run them again.
 */
class WorkflowTriggersTest extends HubIntegrationTest {

    private static final String SLACK = "/slack/triggerco";

    private int done(String eventId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM workflow_actions WHERE tenant = 'triggerco' AND event_id = ? "
                + "AND status = 'done'", Integer.class, eventId);
    }

    @Test
    void aMatchingLeadRunsItsActionsOnceEvenWhenReplayed() throws Exception {
        HUBSPOT.stubFor(post(urlEqualTo(SLACK)).willReturn(aResponse().withStatus(200).withBody("ok")));
        String phone = uniquePhone();

        HttpResponse<String> response = postCallRail("triggerco", postCallBody(phone));
        assertThat(response.statusCode()).isEqualTo(202);
        String eventId = eventId(response);
        await().atMost(Duration.ofSeconds(30)).until(() -> done(eventId) == 2);

        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(SLACK)).withRequestBody(containing(phone)));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_calls WHERE tenant = 'triggerco' AND phone = ?",
                Integer.class, phone)).isEqualTo(1);

        // replay the enriched lead (a redelivery), then a new event of the same lead on the same partition (same
        // key): once the new event's actions are done, the replay has been handled before it
        String key = "triggerco|" + phone;
        ObjectMapper json = new ObjectMapper();
        ObjectNode lead = json.createObjectNode();
        lead.put("eventId", eventId).put("tenant", "triggerco").put("source", "callrail")
                .put("eventType", "post_call").put("providerEventId", "replayed")
                .put("receivedAt", "2026-03-02T15:00:00Z").put("enrichedAt", "2026-03-02T15:00:01Z");
        lead.putObject("lead").put("phone", phone).put("first_name", "Replay");
        lead.putObject("call");
        lead.putObject("ai");
        String marker = UUID.randomUUID().toString();
        Properties props = new Properties();
        props.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("leads.triggers", key, json.writeValueAsString(lead))).get();
            lead.put("eventId", marker);
            producer.send(new ProducerRecord<>("leads.triggers", key, json.writeValueAsString(lead))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> done(marker) == 2);

        HUBSPOT.verify(2, postRequestedFor(urlEqualTo(SLACK)).withRequestBody(containing(phone)));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_calls WHERE tenant = 'triggerco' AND phone = ?",
                Integer.class, phone)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_calls WHERE event_id = ?", Integer.class,
                eventId)).isEqualTo(1);

        // the contact lookup API lists the booked follow-up call (the hand-made marker event carries no contact id)
        HttpResponse<String> lookup = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://localhost:" + port + "/api/tenants/triggerco/contacts/lookup"
                        + "?phone=" + java.net.URLEncoder.encode(phone, java.nio.charset.StandardCharsets.UTF_8)))
                .header("X-API-Key", ACME_API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
        assertThat(json.readTree(lookup.body()).path("scheduledCalls")).singleElement().satisfies(c -> {
            assertThat(c.path("trigger").asText()).isEqualTo("every_call");
            assertThat(c.path("eventId").asText()).isEqualTo(eventId);
        });
    }
}
