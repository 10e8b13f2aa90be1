package io.leadhub.dispatch;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link DeliverySteps} in the hub's database, table {@code delivery_steps} (Flyway migration
 * {@code V2_1__delivery_steps.sql}), so finished steps survive a restart of the hub.
 */
@Component("deliverySteps")
public class JdbcDeliverySteps implements DeliverySteps {

    private static final int MAX_DETAIL = 500;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    /**
     * @param jdbc  the hub's database
     * @param clock optional clock (the system UTC clock when absent)
     */
    public JdbcDeliverySteps(JdbcTemplate jdbc, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public Optional<Step> find(String tenant, String destination, String subject, String step) {
        List<Step> rows = jdbc.query("""
                SELECT crm_record_id, detail, created_at FROM delivery_steps
                WHERE tenant = ? AND destination_id = ? AND subject = ? AND step = ?""",
                (rs, i) -> new Step(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()),
                tenant, destination, subject, step);
        return rows.stream().findFirst();
    }

    @Override
    public void record(String tenant, String destination, String subject, String step, String crmRecordId,
                       String detail) {
        try {
            jdbc.update("""
                    INSERT INTO delivery_steps (tenant, destination_id, subject, step, crm_record_id, detail, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    tenant, destination, subject, step, crmRecordId,
                    detail == null ? null : detail.substring(0, Math.min(MAX_DETAIL, detail.length())),
                    Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException e) {
            // already recorded by an earlier attempt: the first record stands
        }
    }
}
