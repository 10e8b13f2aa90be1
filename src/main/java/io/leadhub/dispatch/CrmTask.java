package io.leadhub.dispatch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A follow-up task a workflow trigger's {@code create_task} action writes to a CRM ({@link CrmWorkflowWriter}).
 *
 * @param eventId  LeadHub event id of the lead that triggered it (for idempotency keys and dry-run file names)
 * @param subject  one-line title, already rendered from the trigger's {@code params.subject}; never blank
 * @param body     description, rendered from {@code params.message}; may be empty
 * @param dueDate  due date in the tenant's time zone (today + {@code params.due_in_days})
 * @param dueAt    start of {@code dueDate} in the tenant's time zone, as an instant (CRMs that take a timestamp)
 * @param zone     the tenant's time zone
 * @param priority priority derived from the lead's {@code ai.urgency}
 */
public record CrmTask(String eventId, String subject, String body, LocalDate dueDate, Instant dueAt, ZoneId zone,
                      Priority priority) {

    /** Task priority; each CRM maps it to its own values. */
    public enum Priority {
        /** {@code ai.urgency} high, immediate or urgent. */
        HIGH,
        /** Anything else. */
        NORMAL,
        /** {@code ai.urgency} low. */
        LOW;

        /**
         * @param urgency the lead's {@code ai.urgency} (any case) or null
         * @return HIGH for high/immediate/urgent, LOW for low, NORMAL otherwise
         */
        public static Priority fromUrgency(Object urgency) {
            String u = urgency == null ? "" : urgency.toString().toLowerCase(java.util.Locale.ROOT);
            return switch (u) {
                case "high", "immediate", "urgent" -> HIGH;
                case "low" -> LOW;
                default -> NORMAL;
            };
        }
    }

    /** Checks the required parts. */
    public CrmTask {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(dueDate, "dueDate");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(priority, "priority");
        body = body == null ? "" : body;
    }
}
