package io.leadhub.inbound;

/**
 * A webhook the hub refuses, answered as {@code application/problem+json} (RFC 9457) with the given status by
 * the {@code inbound-webhook-errors} route configuration. Nothing of a rejected webhook reaches Kafka.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    /**
     * @param status HTTP status: 400 (invalid body), 401 (signature), 404 (tenant), 413 (too large), 415 (media type)
     * @param title  short, fixed summary, e.g. {@code "Invalid webhook payload"}
     * @param detail what exactly is wrong, naming the field; never secrets or personal data
     * @param field  JSON field or header at fault, or null
     */
    public WebhookRejectedException(int status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    /** @return the HTTP status to answer */
    public int status() {
        return status;
    }

    /** @return the problem title */
    public String title() {
        return title;
    }

    /** @return the offending field or header name, or null */
    public String field() {
        return field;
    }

    /**
     * @param field  the missing or invalid JSON field
     * @param detail what is wrong with it
     * @return a 400 naming the field
     */
    public static WebhookRejectedException invalidField(String field, String detail) {
        return new WebhookRejectedException(400, "Invalid webhook payload", detail, field);
    }

    /**
     * @param header the signature header
     * @param detail why verification failed
     * @return a 401
     */
    public static WebhookRejectedException badSignature(String header, String detail) {
        return new WebhookRejectedException(401, "Invalid webhook signature", detail, header);
    }
}
