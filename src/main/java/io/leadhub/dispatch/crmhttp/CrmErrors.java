package io.leadhub.dispatch.crmhttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns CRM answers into {@link DeliveryException}s by HTTP status, the rule every connector shares:
 * 429 → {@link TransientDeliveryException} with the CRM's wait; 408 and 5xx → transient; every other status →
 * {@link PermanentDeliveryException}; both carry the CRM's body verbatim. Connectors add their CRM's own signals
 * (a rate-limit reset header, errors inside a 200) before calling this. Stateless.
 */
public final class CrmErrors {

    /** Longest CRM error detail kept in an exception message. */
    public static final int MAX_DETAIL_CHARS = 300;

    private CrmErrors() {
    }

    /**
     * @param request    the request that failed
     * @param response   the CRM's answer
     * @param detail     the CRM's error in a few words, personal data already masked (may be empty)
     * @param retryAfter the wait the CRM asked for (used for 429 only), or null
     * @return the exception: message {@code "<describe>: HTTP <status> <detail>"}
     */
    public static DeliveryException byStatus(OutboundRequest request, OutboundResponse response, String detail,
                                             Duration retryAfter) {
        int status = response.status();
        String message = message(request, status, detail);
        if (status == 429) {
            return new TransientDeliveryException(message, status, response.body(), retryAfter, null);
        }
        if (status == 408 || status >= 500) {
            return new TransientDeliveryException(message, status, response.body(), null, null);
        }
        return new PermanentDeliveryException(message, status, response.body(), null);
    }

    /**
     * @param request the request
     * @param status  HTTP status
     * @param detail  CRM error detail, masked, possibly empty or null
     * @return {@code "<describe>: HTTP <status> <detail shortened to MAX_DETAIL_CHARS>"}
     */
    public static String message(OutboundRequest request, int status, String detail) {
        String d = detail == null ? "" : detail.strip();
        if (d.length() > MAX_DETAIL_CHARS) {
            d = d.substring(0, MAX_DETAIL_CHARS) + "...";
        }
        return request.describe() + ": HTTP " + status + (d.isEmpty() ? "" : " " + d);
    }

    /**
     * Parses an HTTP {@code Retry-After} value (RFC 9110 section 10.2.3).
     *
     * @param value delay-seconds ({@code 1}) or an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT}), or null
     * @param now   current time, to turn a date into a wait
     * @return the wait (zero for a date in the past), or null when absent or unparsable
     */
    public static Duration parseRetryAfter(String value, Instant now) {
        return io.leadhub.dispatch.http.RetryAfter.parse(value, now);
    }

    /**
     * @param value a whole number of seconds as text, or null
     * @return that many seconds, or null when absent, negative or not a whole number
     */
    public static Duration seconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long s = Long.parseLong(value.trim());
            return s < 0 ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param body   response text
     * @param mapper JSON reader
     * @return the parsed JSON, or null when the body is empty or not JSON
     */
    public static JsonNode readJsonOrNull(String body, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * @param json  a JSON object or null
     * @param field field name
     * @return the field's text when it is a non-blank scalar, else null
     */
    public static String text(JsonNode json, String field) {
        JsonNode node = json == null ? null : json.get(field);
        return node != null && node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
    }
}
