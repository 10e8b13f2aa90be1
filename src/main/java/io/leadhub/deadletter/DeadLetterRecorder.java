package io.leadhub.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.CrmDispatcher;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.enrich.LeadEnrichment;
import io.leadhub.ops.LeadHubMetrics;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code dead-letter} route's recorder. For an exchange the dead letter channel gave up on, writes a
 * {@code dead_letters} row (tenant, destination, failing route id, event, exception type and message, the CRM's
 * HTTP status and error body, attempts) and turns the body into the JSON record sent to {@code leads.dlq}.
 *
 * <p>If the database write fails the exception propagates; the shared route configuration does not handle
 * failures of the dead letter channel itself, so the Kafka record is not committed and is read again.
 */
@Component("deadLetterRecorder")
public class DeadLetterRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecorder.class);
    private static final int MAX_ERROR = 4000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final LeadHubMetrics metrics;
    private final Clock clock;

    /**
     * @param jdbc    the hub's database
     * @param json    Jackson mapper
     * @param metrics dead letter counter
     * @param clock   optional clock
     */
    public DeadLetterRecorder(JdbcTemplate jdbc, ObjectMapper json, LeadHubMetrics metrics, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * @param exchange the failed exchange: property {@code CamelExceptionCaught}, {@code CamelFailureRouteId},
     *                 {@code leadhubTenant}, {@code leadhubDestination}, {@code leadhubEventId},
     *                 {@code leadhubEventJson} (else the body) and {@code leadhubAttempts} (else header
     *                 {@code CamelRedeliveryCounter});
     *                 afterwards body = dead letter JSON, header {@code kafka.KEY} = tenant
     * @throws JsonProcessingException never in practice
     */
    public void record(Exchange exchange) throws JsonProcessingException {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String routeId = Optional.ofNullable(exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class))
                .orElse(exchange.getFromRouteId());
        String tenant = exchange.getProperty(LeadEnrichment.TENANT, String.class);
        String destination = exchange.getProperty(CrmDispatcher.DESTINATION, String.class);
        String eventId = exchange.getProperty(LeadEnrichment.EVENT_ID, String.class);
        String event = Optional.ofNullable(exchange.getProperty(LeadEnrichment.EVENT_JSON, String.class))
                .orElseGet(() -> exchange.getIn().getBody(String.class));
        // the deliver step counts its attempts; Camel drops its redelivery counter header before the dead letter
        Integer counted = exchange.getProperty(CrmDispatcher.ATTEMPTS, Integer.class);
        int attempts = counted != null ? counted : exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        Integer httpStatus = error instanceof DeliveryException d && d.httpStatus() > 0 ? d.httpStatus() : null;
        String responseBody = error instanceof DeliveryException d ? d.responseBody() : null;
        String errorType = error == null ? "unknown" : error.getClass().getName();
        String message = error == null ? null : error.getMessage();
        if (message != null && message.length() > MAX_ERROR) {
            message = message.substring(0, MAX_ERROR);
        }

        jdbc.update("""
                INSERT INTO dead_letters (tenant, destination_id, route_id, event_id, event, error_type, error,
                  http_status, response_body, attempts, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)""",
                tenant, destination, routeId, eventId, event == null ? "" : event, errorType, message, httpStatus,
                responseBody, attempts, Timestamp.from(clock.instant()));
        metrics.deadLetter(tenant, destination, routeId);
        LOG.error("Dead letter: event {} of tenant {} (destination {}) failed in route {} after {} attempt(s): {}: {}",
                eventId, tenant, destination, routeId, attempts, errorType, message);

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("tenant", tenant);
        record.put("destination", destination);
        record.put("routeId", routeId);
        record.put("eventId", eventId);
        record.put("attempts", attempts);
        record.put("errorType", errorType);
        record.put("error", message);
        record.put("httpStatus", httpStatus);
        record.put("responseBody", responseBody);
        record.put("failedAt", clock.instant().toString());
        record.put("event", event);
        exchange.getMessage().removeHeader(KafkaConstants.OVERRIDE_TOPIC);
        exchange.getMessage().setHeader(KafkaConstants.KEY, tenant == null ? "unknown" : tenant);
        exchange.getMessage().setBody(json.writeValueAsString(record));
    }
}
