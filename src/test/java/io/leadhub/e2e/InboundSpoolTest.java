package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.callrail.CallRailWebhookParser;
import io.leadhub.tenant.TenantRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An event journaled in the database spool (as ingest does while Kafka is unreachable) is moved to Kafka by the
 * {@code inbound-spool-drain} route and delivered like any other.
 */
class InboundSpoolTest extends HubIntegrationTest {

    @Autowired
    CallRailWebhookParser parser;

    @Autowired
    TenantRegistry tenants;

    @Autowired
    ObjectMapper json;

    @Test
    void spooledEventIsDrainedToKafkaAndDelivered() throws Exception {
        String phone = uniquePhone();
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(10)
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"7100\"}")));
        InboundEvent event = parser.parse(tenants.find("acme").orElseThrow(), postCallBody(phone), null);
        jdbc.update("INSERT INTO inbound_spool (event_id, kafka_key, payload, created_at) VALUES (?, ?, ?, ?)",
                event.eventId(), event.partitionKey(), json.writeValueAsString(event), Timestamp.from(Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(event.eventId()).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_spool WHERE event_id = ?", Integer.class,
                event.eventId())).isZero();
    }
}
