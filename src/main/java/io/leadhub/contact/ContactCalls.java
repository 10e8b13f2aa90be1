package io.leadhub.contact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.event.EnrichedLead;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The call history of each contact (table {@code contact_calls}): pipeline step {@code record-call} of route
 * {@code lead-enrich} writes one row per enriched event, the contact APIs read it. Only call metadata (see
 * {@link #CALL_KEYS}) and the analysis are kept, never the transcript or recording.
 */
@Component("contactCalls")
public class ContactCalls {

    /** The {@code call} keys kept per call. */
    public static final List<String> CALL_KEYS = List.of("direction", "start_time", "duration_seconds", "answered",
            "summary", "note", "source_name", "tags", "lead_status");

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    /**
     * @param jdbc the hub database
     * @param json JSON mapper for the call and analysis columns
     */
    public ContactCalls(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Step {@code record-call}: stores the call of an enriched lead once per event id (a redelivered event is not
     * stored twice). Leads without {@code contact_id} are passed through unrecorded.
     *
     * @param lead the lead after {@code dedupe}
     * @return the same lead, unchanged
     */
    public EnrichedLead record(EnrichedLead lead) {
        if (lead.contactId() == null) {
            return lead;
        }
        Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM contact_calls WHERE event_id = ?", Integer.class,
                lead.eventId());
        if (known != null && known > 0) {
            return lead;
        }
        Map<String, Object> call = new LinkedHashMap<>();
        if (lead.call() != null) {
            CALL_KEYS.forEach(k -> {
                if (lead.call().get(k) != null) {
                    call.put(k, lead.call().get(k));
                }
            });
        }
        Instant received = lead.receivedAt() == null ? Instant.now() : lead.receivedAt();
        jdbc.update("INSERT INTO contact_calls (event_id, tenant, contact_id, source, received_at, call_json, ai_json)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", lead.eventId(), lead.tenant(), lead.contactId(), lead.source(),
                Timestamp.from(received), write(call), lead.ai() == null ? null : write(lead.ai()));
        return lead;
    }

    /**
     * One stored call.
     *
     * @param eventId    the hub's event id
     * @param source     the telephony source, e.g. {@code callrail}
     * @param receivedAt when the webhook arrived
     * @param call       the kept call keys ({@link #CALL_KEYS}); never null
     * @param ai         the analysis map ({@code ai} variable), or null
     */
    public record Call(String eventId, String source, Instant receivedAt, Map<String, Object> call,
                       Map<String, Object> ai) {
    }

    /**
     * The latest calls of a contact, newest first.
     *
     * @param contactId contact index id
     * @param limit     at most this many, {@code >= 1}
     * @return the calls; empty when none
     */
    public List<Call> latest(String contactId, int limit) {
        return jdbc.query("SELECT event_id, source, received_at, call_json, ai_json FROM contact_calls"
                        + " WHERE contact_id = ? ORDER BY received_at DESC, event_id FETCH FIRST " + limit + " ROWS ONLY",
                (rs, i) -> new Call(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        read(rs.getString(4)), rs.getString(5) == null ? null : read(rs.getString(5))),
                contactId);
    }

    private String write(Map<String, Object> map) {
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise call data", e);
        }
    }

    private Map<String, Object> read(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable call data", e);
        }
    }
}
