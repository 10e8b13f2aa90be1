package io.leadhub.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.config.LeadHubProperties;
import io.leadhub.kafka.TopicProvisioner;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Operator actions on the {@code dead_letters} table, shared by the admin API ({@code /admin/dead-letters}) and the
 * {@code io.leadhub:type=Operations} MBean.
 *
 * <p>Replay sends the stored event back through the normal path: a dispatch failure (route
 * {@code crm-dispatch-*}) is published again to {@code leads.enriched.<tenant>}, where only destinations that have
 * not delivered it act on it (each destination's idempotent consumer skips events it already delivered); an
 * enrichment failure is published again to {@code leads.inbound}. The row becomes {@code replayed}. Discard marks
 * it {@code discarded} with the operator's reason. Only {@code open} rows can be replayed or discarded.
 */
@Component("deadLetterService")
public class DeadLetterService {

    /** Endpoint of the {@code dead-letter-replay} route. */
    public static final String REPLAY_ENDPOINT = "direct:replay-dead-letter";
    /** Header naming the topic a replayed event is published to. */
    public static final String REPLAY_TOPIC = "leadhubReplayTopic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterService.class);
    private static final String COLUMNS = "id, tenant, destination_id, route_id, event_id, error_type, error, "
            + "http_status, response_body, attempts, status, created_at, resolved_at, resolution";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final TopicProvisioner topics;
    private final LeadHubProperties props;
    private final Clock clock;

    /**
     * @param jdbc     the hub's database
     * @param json     Jackson mapper
     * @param producer Camel producer (replay route)
     * @param topics   topic names
     * @param props    LeadHub settings
     * @param clock    optional clock
     */
    public DeadLetterService(JdbcTemplate jdbc, ObjectMapper json, ProducerTemplate producer, TopicProvisioner topics,
                             LeadHubProperties props, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.producer = producer;
        this.topics = topics;
        this.props = props;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Which dead letters an operation applies to; null fields do not filter.
     *
     * @param tenant      tenant id
     * @param destination destination id
     * @param status      {@code open}, {@code replayed} or {@code discarded}
     * @param from        created at or after (inclusive)
     * @param to          created before (exclusive)
     * @param error       text contained in the error type or message (case-insensitive)
     */
    public record Filter(String tenant, String destination, String status, Instant from, Instant to, String error) {
    }

    /**
     * A page of results.
     *
     * @param items rows, newest first
     * @param page  0-based page number
     * @param size  page size
     * @param total rows matching the filter
     */
    public record Page(List<Map<String, Object>> items, int page, int size, long total) {
    }

    /**
     * @param filter which rows
     * @param page   0-based page
     * @param size   page size, 1-500
     * @return the matching rows without the event body, newest first
     */
    public Page list(Filter filter, int page, int size) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters" + where, Long.class, args.toArray());
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT " + COLUMNS + " FROM dead_letters" + where
                + " ORDER BY id DESC LIMIT " + size + " OFFSET " + ((long) page * size), args.toArray());
        return new Page(rows.stream().map(DeadLetterService::lowerKeys).toList(), page, size, total == null ? 0 : total);
    }

    /**
     * @param id dead letter id
     * @return the row including {@code event} (the stored event JSON), if it exists
     */
    public Optional<Map<String, Object>> get(long id) {
        return jdbc.queryForList("SELECT " + COLUMNS + ", event FROM dead_letters WHERE id = ?", id).stream()
                .findFirst().map(DeadLetterService::lowerKeys);
    }

    /**
     * Replays one open dead letter.
     *
     * @param id dead letter id
     * @return true when it was replayed, false when it does not exist or is not open
     * @throws IllegalStateException when Kafka does not accept the event (the row stays open)
     */
    public boolean replay(long id) {
        Map<String, Object> row = get(id).orElse(null);
        if (row == null || !"open".equals(row.get("status"))) {
            return false;
        }
        String event = (String) row.get("event");
        String routeId = (String) row.get("route_id");
        String tenant = (String) row.get("tenant");
        String topic = routeId != null && routeId.startsWith("crm-dispatch-") && tenant != null
                ? topics.enrichedTopic(tenant) : props.kafka().topics().inbound();
        producer.sendBodyAndHeaders(REPLAY_ENDPOINT, event, Map.of(REPLAY_TOPIC, topic,
                KafkaConstants.KEY, partitionKey(tenant, event)));
        int updated = jdbc.update("UPDATE dead_letters SET status = 'replayed', resolved_at = ?, resolution = ? "
                + "WHERE id = ? AND status = 'open'", Timestamp.from(clock.instant()), "replayed to " + topic, id);
        LOG.info("Dead letter {} (event {}) replayed to {}", id, row.get("event_id"), topic);
        return updated == 1;
    }

    /**
     * Replays every open dead letter matching the filter (its status is forced to {@code open}).
     *
     * @param filter which rows
     * @return how many were replayed
     */
    public int replayMatching(Filter filter) {
        Filter open = new Filter(filter.tenant(), filter.destination(), "open", filter.from(), filter.to(), filter.error());
        List<Object> args = new ArrayList<>();
        String where = where(open, args);
        List<Long> ids = jdbc.queryForList("SELECT id FROM dead_letters" + where + " ORDER BY id", Long.class, args.toArray());
        int replayed = 0;
        for (Long id : ids) {
            if (replay(id)) {
                replayed++;
            }
        }
        return replayed;
    }

    /**
     * Discards one open dead letter.
     *
     * @param id     dead letter id
     * @param reason why (required, up to 2000 characters)
     * @return true when it was discarded, false when it does not exist or is not open
     */
    public boolean discard(long id, String reason) {
        int updated = jdbc.update("UPDATE dead_letters SET status = 'discarded', resolved_at = ?, resolution = ? "
                        + "WHERE id = ? AND status = 'open'", Timestamp.from(clock.instant()),
                reason.length() > 2000 ? reason.substring(0, 2000) : reason, id);
        if (updated == 1) {
            LOG.info("Dead letter {} discarded: {}", id, reason);
        }
        return updated == 1;
    }

    private String partitionKey(String tenant, String event) {
        try {
            JsonNode node = json.readTree(event);
            if (node.hasNonNull("partitionKey")) {
                return node.get("partitionKey").asText();
            }
            JsonNode phone = node.path("lead").path("phone");
            return (tenant == null ? "unknown" : tenant) + "|" + (phone.isTextual() ? phone.asText() : node.path("eventId").asText());
        } catch (Exception e) {
            return tenant == null ? "unknown" : tenant;
        }
    }

    private static String where(Filter f, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        if (f.tenant() != null) {
            sql.append(" AND tenant = ?");
            args.add(f.tenant());
        }
        if (f.destination() != null) {
            sql.append(" AND destination_id = ?");
            args.add(f.destination());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status());
        }
        if (f.from() != null) {
            sql.append(" AND created_at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (f.error() != null) {
            sql.append(" AND (LOWER(error_type) LIKE ? OR LOWER(error) LIKE ?)");
            String like = "%" + f.error().toLowerCase() + "%";
            args.add(like);
            args.add(like);
        }
        return sql.toString();
    }

    private static Map<String, Object> lowerKeys(Map<String, Object> row) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(), v instanceof java.sql.Timestamp t ? t.toInstant().toString()
                : v instanceof java.time.OffsetDateTime o ? o.toInstant().toString() : v));
        return out;
    }
}
