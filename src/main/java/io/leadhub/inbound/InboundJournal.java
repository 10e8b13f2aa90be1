package io.leadhub.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.event.InboundEvent;
import io.leadhub.ops.LeadHubMetrics;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes a verified webhook durable before the hub answers it (the {@code inbound-journal} route).
 *
 * <ol>
 *   <li>{@link #prepare}: the {@link InboundEvent} body becomes its JSON, with the Kafka key header
 *       ({@code tenant|E.164 phone}) so one lead's events stay in order on one partition;</li>
 *   <li>the route sends it to {@code leads.inbound} with {@code acks=all};</li>
 *   <li>only when Kafka did not acknowledge in time, {@link #spool} writes it to the {@code inbound_spool} table
 *       (so a Kafka outage loses nothing: CallRail never resends), and {@link #drain} re-sends spooled events,
 *       oldest first, once Kafka is back;</li>
 *   <li>{@link #accepted}: 202 {@code {"eventId": ...}}.</li>
 * </ol>
 * When neither Kafka nor the database accepts the event, the exception reaches the route's error handling and
 * the caller gets 503: nothing half-done, the provider may resend.
 */
@Component("inboundJournal")
public class InboundJournal {

    /** Exchange property carrying the event id until the answer is written. */
    public static final String EVENT_ID = "leadhubEventId";
    /** Endpoint of the Kafka producer route shared by ingest and the spool drain. */
    public static final String KAFKA_PRODUCER = "direct:to-kafka-inbound";

    private static final Logger LOG = LoggerFactory.getLogger(InboundJournal.class);
    private static final int DRAIN_BATCH = 100;

    private final ObjectMapper json;
    private final JdbcTemplate jdbc;
    private final ProducerTemplate producer;
    private final LeadHubMetrics metrics;
    private final Clock clock;

    /**
     * @param json     Jackson mapper
     * @param jdbc     database of the spool
     * @param producer Camel producer used by the drain
     * @param metrics  received/spooled counters
     * @param clock    optional clock for spool timestamps
     */
    public InboundJournal(ObjectMapper json, JdbcTemplate jdbc, ProducerTemplate producer, LeadHubMetrics metrics,
                          Optional<Clock> clock) {
        this.json = json;
        this.jdbc = jdbc;
        this.producer = producer;
        this.metrics = metrics;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * @param exchange body {@link InboundEvent}; afterwards body = its JSON (String), header {@code kafka.KEY}
     *                 = partition key, property {@value #EVENT_ID}
     * @throws JsonProcessingException never in practice (plain maps and strings)
     */
    public void prepare(Exchange exchange) throws JsonProcessingException {
        InboundEvent event = exchange.getIn().getBody(InboundEvent.class);
        exchange.setProperty(EVENT_ID, event.eventId());
        exchange.getMessage().setHeader(KafkaConstants.KEY, event.partitionKey());
        exchange.getMessage().setBody(json.writeValueAsString(event));
    }

    /**
     * Writes the prepared event to the {@code inbound_spool} table after Kafka failed.
     *
     * @param exchange body = event JSON, header {@code kafka.KEY}
     * @throws org.springframework.dao.DataAccessException when the database is unreachable too (answered 503)
     */
    public void spool(Exchange exchange) {
        Exception kafkaError = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        jdbc.update("INSERT INTO inbound_spool (event_id, kafka_key, payload, created_at) VALUES (?, ?, ?, ?)",
                eventId, exchange.getMessage().getHeader(KafkaConstants.KEY, String.class),
                exchange.getMessage().getBody(String.class), Timestamp.from(clock.instant()));
        metrics.webhookSpooled(exchange.getProperty("leadhubSource", String.class));
        LOG.warn("Kafka did not acknowledge event {} ({}); journaled it in the database spool",
                eventId, kafkaError == null ? "unknown error" : kafkaError.getMessage());
    }

    /**
     * Sets the 202 answer.
     *
     * @param exchange property {@value #EVENT_ID}; afterwards status 202, JSON body {@code {"eventId": ...}}
     */
    public void accepted(Exchange exchange) {
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        metrics.webhookReceived(exchange.getProperty("leadhubSource", String.class),
                exchange.getIn().getHeader("tenant", String.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody("{\"eventId\":\"" + eventId + "\"}");
    }

    /**
     * Re-sends spooled events to Kafka, oldest first, deleting each once Kafka acknowledged it; stops at the
     * first failure (Kafka still down) and leaves the rest for the next run.
     *
     * @return how many events were moved to Kafka
     */
    public int drain() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, event_id, kafka_key, payload FROM inbound_spool ORDER BY id LIMIT " + DRAIN_BATCH);
        int moved = 0;
        for (Map<String, Object> row : rows) {
            Object id = row.get("id");
            try {
                producer.sendBodyAndHeader(KAFKA_PRODUCER, value(row, "payload"), KafkaConstants.KEY, value(row, "kafka_key"));
            } catch (RuntimeException e) {
                LOG.warn("Spool drain: Kafka still unavailable ({}), {} event(s) wait", e.getMessage(), rows.size() - moved);
                break;
            }
            jdbc.update("DELETE FROM inbound_spool WHERE id = ?", id);
            moved++;
        }
        if (moved > 0) {
            LOG.info("Spool drain: moved {} event(s) from the database spool to Kafka", moved);
        }
        return moved;
    }

    private static String value(Map<String, Object> row, String column) {
        Object v = row.get(column); // JdbcTemplate rows are case-insensitive maps
        return v == null ? null : v.toString();
    }
}
