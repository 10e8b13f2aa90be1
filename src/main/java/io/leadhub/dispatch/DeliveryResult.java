package io.leadhub.dispatch;

/**
 * What a delivery did in the CRM.
 *
 * @param outcome     created, updated, skipped (duplicate with action {@code skip}), delivered (webhook) or dry_run
 * @param crmRecordId the CRM's id of the record written or matched (e.g. HubSpot contact id), or null in a dry run
 *                    that could not know it
 */
public record DeliveryResult(Outcome outcome, String crmRecordId) {

    /** Outcome of a successful delivery; stored lower-case in the {@code deliveries} table. */
    public enum Outcome {
        /** a new CRM record was created */
        CREATED,
        /** an existing CRM record was updated */
        UPDATED,
        /** a matching record exists and the duplicate action is {@code skip} */
        SKIPPED,
        /** sent and accepted, with no CRM record to speak of (webhook: every subscriber answered 2xx) */
        DELIVERED,
        /** nothing was sent; the requests were written as files */
        DRY_RUN
    }
}
