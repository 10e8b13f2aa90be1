package io.leadhub.dispatch;

/**
 * A delivery to a CRM destination failed. Subclasses say whether retrying can help:
 * {@link TransientDeliveryException} (retried with exponential backoff by the shared route configuration)
 * and {@link PermanentDeliveryException} (sent to the dead letter channel at once).
 */
public abstract class DeliveryException extends RuntimeException {

    private final int httpStatus;
    private final String responseBody;

    /**
     * @param message      what failed, without secrets or personal data
     * @param httpStatus   the CRM's HTTP status, or 0 when no response was received
     * @param responseBody the CRM's error body as received (may be null)
     * @param cause        the underlying error, or null
     */
    protected DeliveryException(String message, int httpStatus, String responseBody, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.responseBody = responseBody;
    }

    /** @return the CRM's HTTP status, or 0 when the request never got a response (connection error, timeout) */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return the CRM's response body, verbatim, or null */
    public String responseBody() {
        return responseBody;
    }
}
