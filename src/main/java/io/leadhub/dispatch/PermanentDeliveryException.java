package io.leadhub.dispatch;

/**
 * A delivery failure that retrying cannot fix: HTTP 4xx other than 408 and 429 (validation errors, bad
 * token, missing property), or a mapping that cannot be evaluated. Goes straight to the dead letter channel
 * with the CRM's error body.
 */
public class PermanentDeliveryException extends DeliveryException {

    /**
     * @param message      what failed
     * @param httpStatus   HTTP status, 0 when the failure is local (mapping)
     * @param responseBody the CRM's error body, verbatim, or null
     * @param cause        underlying error or null
     */
    public PermanentDeliveryException(String message, int httpStatus, String responseBody, Throwable cause) {
        super(message, httpStatus, responseBody, cause);
    }
}
