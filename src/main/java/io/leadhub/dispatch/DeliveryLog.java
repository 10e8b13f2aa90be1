package io.leadhub.dispatch;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the {@code deliveries} table: one row per delivery attempt outcome ({@code created}, {@code updated},
 * {@code skipped}, {@code dry_run}, {@code failed}), with the HTTP status, the CRM record id and the duration.
 */
@Component("deliveryLog")
public class DeliveryLog {

    private static final int MAX_ERROR = 2000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    /**
     * @param jdbc  the hub's database
     * @param clock optional clock
     */
    public DeliveryLog(JdbcTemplate jdbc, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Records one attempt.
     *
     * @param tenant      tenant id
     * @param destination destination id
     * @param eventId     LeadHub event id
     * @param contactId   contact index id of the lead, or null
     * @param attempt     1 for the first attempt, 2 for the first redelivery, ...
     * @param outcome     lower-case outcome ({@code created}, {@code updated}, {@code skipped}, {@code dry_run}, {@code failed})
     * @param httpStatus  the CRM's last HTTP status, or null
     * @param crmRecordId CRM record id, or null
     * @param error       failure message (no secrets, personal data masked), or null; cut to 2000 characters
     * @param durationMs  time the attempt took, in ms
     */
    public void record(String tenant, String destination, String eventId, String contactId, int attempt, String outcome,
                       Integer httpStatus, String crmRecordId, String error, long durationMs) {
        jdbc.update("""
                INSERT INTO deliveries (tenant, destination_id, event_id, contact_id, attempt, outcome, http_status,
                  crm_record_id, error, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                tenant, destination, eventId, contactId, attempt, outcome, httpStatus, crmRecordId,
                error == null ? null : error.substring(0, Math.min(MAX_ERROR, error.length())), durationMs,
                Timestamp.from(clock.instant()));
    }
}
