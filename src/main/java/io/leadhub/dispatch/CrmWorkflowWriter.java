package io.leadhub.dispatch;

import io.leadhub.tenant.DestinationConfig;

/**
 * The CRM side of the workflow-trigger actions {@code create_task} and {@code assign_owner} for one CRM type (one
 * Spring bean per type, looked up by {@link #type()}, the tenant file's {@code destinations[].type}).
 *
 * <p>The caller ({@code io.leadhub.workflow.WorkflowActions}) resolves the lead's record id in the destination from
 * the contact index, handles dry-run destinations itself (no call reaches a writer) and makes each action run once
 * per lead event; a writer only talks to its CRM, with the destination's credentials and base URL, and classifies
 * failures the way its {@link CrmConnector} does.
 */
public interface CrmWorkflowWriter {

    /** @return the destination type this writer serves, e.g. {@code hubspot} */
    String type();

    /**
     * Creates a follow-up task linked to the lead's record.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the tenant's CRM destination (live, not dry run)
     * @param recordId    the lead's record id in that CRM, as the connector stored it in the contact index
     * @param task        subject, body, due date and priority
     * @return a short description of what was created, e.g. {@code "HubSpot task 9001"} (no PII, no secrets)
     * @throws TransientDeliveryException on 5xx, 408, 429 and I/O errors
     * @throws PermanentDeliveryException on other 4xx (with the CRM's error body) and missing settings
     */
    String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task);

    /**
     * Writes an owner (CRM user id) to the lead's record.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the tenant's CRM destination (live, not dry run)
     * @param recordId    the lead's record id in that CRM
     * @param ownerId     the CRM's user id, as written in the trigger's {@code params.owners} / {@code params.rules}
     * @return a short description of what was written (no PII, no secrets)
     * @throws TransientDeliveryException on 5xx, 408, 429 and I/O errors
     * @throws PermanentDeliveryException on other 4xx (with the CRM's error body) and missing settings
     */
    String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId);
}
