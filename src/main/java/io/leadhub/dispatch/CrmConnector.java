package io.leadhub.dispatch;

/**
 * Writes leads to one CRM type. One Spring bean per type; the {@code crm-dispatch} route template looks the
 * connector up by {@link #type()} (the tenant file's {@code destinations[].type}).
 *
 * <p>Implementations must be idempotent per lead (search-then-write or upsert): the hub delivers at least
 * once, and a redelivered lead must update, never duplicate, the CRM record.
 */
public interface CrmConnector {

    /** @return the destination type this connector serves, e.g. {@code hubspot} */
    String type();

    /**
     * Writes one lead.
     *
     * @param request the mapped lead and its destination
     * @return what was done and the CRM record id
     * @throws TransientDeliveryException on 5xx, 408, 429 (with the requested wait) and I/O errors
     * @throws PermanentDeliveryException on any other 4xx, with the CRM's error body
     */
    DeliveryResult deliver(DeliveryRequest request);
}
