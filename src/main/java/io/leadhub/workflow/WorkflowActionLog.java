package io.leadhub.workflow;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code workflow_actions} table (Flyway {@code V4__workflow_actions.sql}): one row per
 * tenant|event id|trigger|action, inserted <em>before</em> the action runs (insert-first), so a replayed or
 * redelivered enriched lead does not run an action twice. Also the {@code assign_owner} round-robin cursor
 * ({@code workflow_owner_cursors}) and the {@code scheduled_calls} rows.
 */
@Component("workflowActionLog")
public class WorkflowActionLog {

    /** Claimed, not finished (a crash or a transient failure): run again on redelivery. */
    public static final String PENDING = "pending";
    /** The action ran. */
    public static final String DONE = "done";
    /** The action failed permanently (detail = reason); not retried. */
    public static final String FAILED = "failed";
    /** The action does not apply (detail = reason, e.g. not supported for a CRM type). */
    public static final String SKIPPED = "skipped";
    /** Not run now (SMS quiet hours); {@code due_at} = the next allowed time, {@code payload} = what to send. */
    public static final String DEFERRED = "deferred";
    /** A deferred action claimed by a drain run and not finished yet. */
    public static final String SENDING = "sending";
    /** A {@value #SENDING} row older than this is taken to belong to a crashed run and is claimed again. */
    static final java.time.Duration STALE_SENDING = java.time.Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate transactions;

    /**
     * @param jdbc  the hub database
     * @param clock the clock (tests pass a fixed one)
     */
    public WorkflowActionLog(JdbcTemplate jdbc, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.orElse(Clock.systemUTC());
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(
                java.util.Objects.requireNonNull(jdbc.getDataSource(), "dataSource")));
    }

    /**
     * Claims an action for an event: inserts a {@value #PENDING} row, or re-claims a row still {@value #PENDING}
     * from an earlier attempt that did not finish.
     *
     * @return true when the action must run; false when it already finished (any other status)
     */
    // no transaction: on PostgreSQL a failed INSERT would abort it, and the status query after it must still run
    public boolean claim(String tenant, String eventId, String trigger, String action) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update("INSERT INTO workflow_actions (tenant, event_id, trigger_name, action, status, created_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", tenant, eventId, trigger, action, PENDING, now, now);
            return true;
        } catch (DuplicateKeyException e) {
            return PENDING.equals(status(tenant, eventId, trigger, action).orElse(null));
        }
    }

    /**
     * Records how a claimed action ended, with what a deferred action will send.
     *
     * @param status  one of the status constants
     * @param detail  reason or result (no secrets, masked PII), cut to 1000 characters; may be null
     * @param dueAt   next allowed time for {@value #DEFERRED}, else null
     * @param payload JSON of what a {@value #DEFERRED} action sends when due (at most 4000 characters), else null
     */
    public void finish(String tenant, String eventId, String trigger, String action, String status, String detail,
                       Instant dueAt, String payload) {
        String text = detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail;
        jdbc.update("UPDATE workflow_actions SET status = ?, detail = ?, due_at = ?, payload = ?, updated_at = ? "
                        + "WHERE tenant = ? AND event_id = ? AND trigger_name = ? AND action = ?", status, text,
                dueAt == null ? null : Timestamp.from(dueAt), payload, Timestamp.from(clock.instant()), tenant,
                eventId, trigger, action);
    }

    /**
     * A deferred action that is due.
     *
     * @param status    {@value #DEFERRED}, or {@value #SENDING} when a crashed run left it claimed
     * @param updatedAt the row's {@code updated_at}, the claim's version check
     * @param payload   JSON of what to send
     */
    public record Deferred(String tenant, String eventId, String trigger, String action, String status,
                           Timestamp updatedAt, String payload) {
    }

    /**
     * @param limit most rows to return
     * @return deferred actions with a payload whose {@code due_at} has passed, oldest first, plus
     *         {@value #SENDING} rows not updated for {@link #STALE_SENDING}
     */
    public List<Deferred> dueDeferred(int limit) {
        Instant now = clock.instant();
        return jdbc.query("SELECT tenant, event_id, trigger_name, action, status, updated_at, payload "
                        + "FROM workflow_actions WHERE payload IS NOT NULL AND ((status = ? AND due_at <= ?) "
                        + "OR (status = ? AND updated_at < ?)) ORDER BY due_at",
                (rs, i) -> new Deferred(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6), rs.getString(7)),
                DEFERRED, Timestamp.from(now), SENDING, Timestamp.from(now.minus(STALE_SENDING)))
                .stream().limit(limit).toList();
    }

    /**
     * Claims a due deferred action for this run: sets it {@value #SENDING} only if it is unchanged since
     * {@link #dueDeferred} read it (another instance's claim changes {@code updated_at}).
     *
     * @return true when this run must send it
     */
    public boolean claimDeferred(Deferred row) {
        Timestamp now = Timestamp.from(clock.instant());
        if (!now.after(row.updatedAt())) {
            now = new Timestamp(row.updatedAt().getTime() + 1);
        }
        return jdbc.update("UPDATE workflow_actions SET status = ?, updated_at = ? WHERE tenant = ? AND event_id = ? "
                + "AND trigger_name = ? AND action = ? AND status = ? AND updated_at = ?", SENDING, now, row.tenant(),
                row.eventId(), row.trigger(), row.action(), row.status(), row.updatedAt()) == 1;
    }

    /** @return the status of an action of an event, if claimed */
    public Optional<String> status(String tenant, String eventId, String trigger, String action) {
        List<String> s = jdbc.queryForList("SELECT status FROM workflow_actions WHERE tenant = ? AND event_id = ? "
                + "AND trigger_name = ? AND action = ?", String.class, tenant, eventId, trigger, action);
        return s.isEmpty() ? Optional.empty() : Optional.of(s.get(0));
    }

    /**
     * Advances the round-robin cursor of a trigger (row lock, so instances sharing the database take turns).
     *
     * @param size number of owners (&gt; 0)
     * @return the index (0..size-1) to use now
     */
    public int nextOwnerIndex(String tenant, String trigger, int size) {
        try {
            jdbc.update("INSERT INTO workflow_owner_cursors (tenant, trigger_name, next_index) VALUES (?, ?, ?)",
                    tenant, trigger, 0L);
        } catch (DuplicateKeyException e) {
            // the cursor exists already
        }
        Long index = transactions.execute(status -> {
            Long current = jdbc.queryForObject("SELECT next_index FROM workflow_owner_cursors WHERE tenant = ? AND "
                    + "trigger_name = ? FOR UPDATE", Long.class, tenant, trigger);
            jdbc.update("UPDATE workflow_owner_cursors SET next_index = ? WHERE tenant = ? AND trigger_name = ?",
                    current + 1, tenant, trigger);
            return current;
        });
        return (int) Math.floorMod(index, (long) size);
    }

    /** Inserts a {@code scheduled_calls} row. */
    public void scheduleCall(String tenant, String contactId, String phone, Instant dueAt, String eventId,
                             String trigger) {
        jdbc.update("INSERT INTO scheduled_calls (tenant, contact_id, phone, due_at, event_id, trigger_name, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", tenant, contactId, phone, Timestamp.from(dueAt),
                eventId, trigger, Timestamp.from(clock.instant()));
    }
}
