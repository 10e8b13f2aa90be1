package io.leadhub.dispatch;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sub-steps of deliveries that are already done: a connector that writes several CRM objects for one lead
 * (HubSpot contact, deal, call and note; one POST per webhook subscriber) records each step once it succeeded,
 * and a redelivery of the same lead (after a later step failed) skips the recorded steps instead of creating
 * the same object twice.
 *
 * <p>A step is identified by tenant, destination id, <em>subject</em> (what the step is done once for: the
 * LeadHub event id, or e.g. {@code contact:<CRM contact id>} for "one deal per contact") and step name
 * ({@code deal}, {@code call}, {@code subscriber-1}, ...). Implementations are thread-safe. The application uses
 * {@link JdbcDeliverySteps} (table {@code delivery_steps}); {@link #inMemory()} serves unit tests.
 */
public interface DeliverySteps {

    /**
     * A finished step.
     *
     * @param crmRecordId the CRM id of the object the step created, or null
     * @param detail      short text for operators (e.g. {@code HTTP 204}), or null
     * @param at          when it was recorded
     */
    record Step(String crmRecordId, String detail, Instant at) {
    }

    /**
     * @param tenant      tenant id
     * @param destination destination id
     * @param subject     event id or other subject key, at most 200 characters
     * @param step        step name, at most 100 characters
     * @return the recorded step, or empty when it has not been done
     */
    Optional<Step> find(String tenant, String destination, String subject, String step);

    /**
     * Records a finished step. Recording the same step again keeps the first record.
     *
     * @param tenant      tenant id
     * @param destination destination id
     * @param subject     event id or other subject key, at most 200 characters
     * @param step        step name, at most 100 characters
     * @param crmRecordId the CRM id the step created, or null
     * @param detail      short text (cut to 500 characters), or null; no secrets, personal data masked
     */
    void record(String tenant, String destination, String subject, String step, String crmRecordId, String detail);

    /** @return a store that lives in memory only (unit tests, connectors built without a database) */
    static DeliverySteps inMemory() {
        return new DeliverySteps() {
            private final Map<String, Step> steps = new ConcurrentHashMap<>();

            @Override
            public Optional<Step> find(String tenant, String destination, String subject, String step) {
                return Optional.ofNullable(steps.get(key(tenant, destination, subject, step)));
            }

            @Override
            public void record(String tenant, String destination, String subject, String step, String crmRecordId,
                               String detail) {
                steps.putIfAbsent(key(tenant, destination, subject, step), new Step(crmRecordId, detail, Instant.now()));
            }

            private String key(String tenant, String destination, String subject, String step) {
                return tenant + '\u0000' + destination + '\u0000' + subject + '\u0000' + step;
            }
        };
    }
}
