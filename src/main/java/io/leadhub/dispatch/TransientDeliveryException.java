package io.leadhub.dispatch;

import java.time.Duration;
import java.util.Optional;

/**
 * A delivery failure that may succeed later: HTTP 5xx, 408, 429, connection errors and timeouts.
 * The shared {@code hub-error-handling} route configuration redelivers it with exponential backoff; when the
 * CRM said how long to wait (429 {@code Retry-After}), {@link #retryAfter()} carries that wait and the
 * redelivery waits at least that long.
 */
public class TransientDeliveryException extends DeliveryException {

    private final Duration retryAfter;

    /**
     * @param message      what failed
     * @param httpStatus   HTTP status, 0 when no response
     * @param responseBody response body or null
     * @param retryAfter   wait the CRM asked for (429 Retry-After), or null
     * @param cause        underlying error or null
     */
    public TransientDeliveryException(String message, int httpStatus, String responseBody, Duration retryAfter,
                                      Throwable cause) {
        super(message, httpStatus, responseBody, cause);
        this.retryAfter = retryAfter;
    }

    /** @return the wait requested by the CRM before the next attempt, if it gave one */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
