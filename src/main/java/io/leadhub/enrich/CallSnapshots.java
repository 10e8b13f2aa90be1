package io.leadhub.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.event.InboundEvent;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes the result of a call's events independent of the order they arrive in (step {@code merge-call-snapshot}
 * of {@code lead-enrich}).
 *
 * <p>Several events describe one call: CallRail sends pre-call, post-call (up to 20 minutes after hang-up, once
 * recording and transcript are ready) and call-modified (tags, note, summary added later), each with the call
 * object as it was when the event fired; Perfex sends {@code call_completed}, {@code call_transcribed} and
 * {@code ai_analysis_complete} from a cron queue with retries. A late event must not take back what an earlier,
 * richer one already delivered to the CRM. Each event kind has a <em>rank</em> (its stage in the call's life):
 *
 * <table>
 *   <caption>ranks</caption>
 *   <tr><th>source</th><th>0</th><th>1</th><th>2</th><th>3</th></tr>
 *   <tr><td>callrail</td><td>pre_call</td><td>post_call, outbound_post_call</td>
 *       <td>call_modified, outbound_call_modified</td><td></td></tr>
 *   <tr><td>perfex</td><td></td><td>call_completed</td><td>call_transcribed</td><td>ai_analysis_complete</td></tr>
 * </table>
 *
 * <p>The hub keeps, per tenant, source and {@code call.id}, the merged call map and the highest rank seen (table
 * {@code call_snapshots}). An event of rank &ge; the stored one is newer: its non-empty values win and its empty
 * ones (null, blank, empty list or map) are filled from the snapshot. An event of lower rank is late: the
 * snapshot's non-empty values win and the late event only fills what the snapshot lacks. {@code event_type} and
 * {@code changes} always describe the event itself. Either order of the same events therefore gives the same
 * merged call, hence the same mapped CRM properties. Events of other kinds (SMS, forms, lead events) and events
 * without {@code call.id} pass through unchanged.
 *
 * <p>Merging the same event twice (a redelivered Kafka record) gives the same result. The enrich consumer handles
 * one partition on one thread and the events of a call share a partition key, so a call's snapshot is never
 * merged concurrently.
 */
@Component("callSnapshots")
public class CallSnapshots {

    /** Rank of each event kind per source; kinds not listed are not merged. */
    static final Map<String, Map<String, Integer>> RANKS = Map.of(
            "callrail", Map.of("pre_call", 0, "post_call", 1, "outbound_post_call", 1, "call_modified", 2,
                    "outbound_call_modified", 2),
            "perfex", Map.of("call_completed", 1, "call_transcribed", 2, "ai_analysis_complete", 3));

    /** Keys that describe the event rather than the call: never taken from the snapshot. */
    static final Set<String> EVENT_KEYS = Set.of("event_type", "changes");

    private static final Logger LOG = LoggerFactory.getLogger(CallSnapshots.class);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;

    /**
     * @param jdbc          the hub's database (table {@code call_snapshots})
     * @param json          Jackson mapper
     * @param clock         optional clock
     * @param retentionDays {@code leadhub.call-snapshots.retention-days} (default 30): snapshots not updated for
     *                      this many days are purged; must be at least 1
     * @throws IllegalArgumentException naming the setting when it is below 1 (stops startup)
     */
    public CallSnapshots(JdbcTemplate jdbc, ObjectMapper json, Optional<Clock> clock,
                         @Value("${leadhub.call-snapshots.retention-days:30}") int retentionDays) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("leadhub.call-snapshots.retention-days must be at least 1, was "
                    + retentionDays);
        }
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
        this.retention = Duration.ofDays(retentionDays);
    }

    /**
     * Step {@code merge-call-snapshot}.
     *
     * @param event a normalised inbound event
     * @return the event with its {@code call} map merged with the call's snapshot (or the event itself when its
     *         kind is not merged)
     * @throws JsonProcessingException never in practice (plain maps)
     */
    @Transactional
    public InboundEvent merge(InboundEvent event) throws JsonProcessingException {
        Integer rank = RANKS.getOrDefault(event.source(), Map.of()).get(event.eventType());
        Object callId = event.call() == null ? null : event.call().get("id");
        if (rank == null || callId == null || callId.toString().isBlank()) {
            return event;
        }
        String id = callId.toString();
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT event_rank, call_json FROM call_snapshots WHERE tenant = ? AND source = ? AND call_id = ?",
                event.tenant(), event.source(), id);
        Timestamp now = Timestamp.from(clock.instant());
        if (rows.isEmpty()) {
            jdbc.update("INSERT INTO call_snapshots (tenant, source, call_id, event_rank, call_json, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", event.tenant(), event.source(), id, rank,
                    json.writeValueAsString(event.call()), now);
            return event;
        }
        int storedRank = ((Number) rows.get(0).get("event_rank")).intValue();
        Map<String, Object> snapshot = json.readValue(String.valueOf(rows.get(0).get("call_json")), MAP);
        boolean late = rank < storedRank;
        Map<String, Object> merged = merge(event.call(), snapshot, late);
        jdbc.update("UPDATE call_snapshots SET event_rank = ?, call_json = ?, updated_at = ? "
                + "WHERE tenant = ? AND source = ? AND call_id = ?", Math.max(rank, storedRank),
                json.writeValueAsString(merged), now, event.tenant(), event.source(), id);
        if (late) {
            LOG.info("Event {} ({} {}) arrived after a later stage of call {}; the call's newer values are kept",
                    event.eventId(), event.source(), event.eventType(), id);
        }
        return new InboundEvent(event.eventId(), event.tenant(), event.source(), event.eventType(),
                event.providerEventId(), event.receivedAt(), event.partitionKey(), event.lead(), merged,
                event.rawBody(), event.recordOnly());
    }

    /**
     * @param incoming the event's call map
     * @param snapshot the stored call map
     * @param late     true when the event's rank is below the snapshot's
     * @return the merged call map (see the class comment)
     */
    static Map<String, Object> merge(Map<String, Object> incoming, Map<String, Object> snapshot, boolean late) {
        Map<String, Object> merged = new LinkedHashMap<>(incoming);
        snapshot.forEach((key, stored) -> {
            if (EVENT_KEYS.contains(key) || isEmpty(stored)) {
                return;
            }
            if (late || isEmpty(merged.get(key))) {
                merged.put(key, stored);
            }
        });
        return merged;
    }

    /**
     * Step of the {@code call-snapshot-purge} route: deletes snapshots not updated within the retention.
     *
     * @return how many snapshots were deleted
     */
    public int purge() {
        int deleted = jdbc.update("DELETE FROM call_snapshots WHERE updated_at < ?",
                Timestamp.from(clock.instant().minus(retention)));
        if (deleted > 0) {
            LOG.info("Purged {} call snapshot(s) older than {} days", deleted, retention.toDays());
        }
        return deleted;
    }

    private static boolean isEmpty(Object value) {
        return value == null
                || (value instanceof String s && s.isBlank())
                || (value instanceof Collection<?> c && c.isEmpty())
                || (value instanceof Map<?, ?> m && m.isEmpty());
    }
}
