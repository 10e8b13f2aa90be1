package io.leadhub.dispatch.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;

/**
 * Maps HubSpot error responses to {@link DeliveryException}s, following HubSpot's error-handling and
 * rate-limit documentation (https://developers.hubspot.com/docs/api/error-handling,
 * https://developers.hubspot.com/docs/api/usage-details).
 */
final class HubSpotErrors {

    /** HubSpot's rolling-window length on 429 answers, used when no {@code Retry-After} is given. */
    static final String RATE_LIMIT_INTERVAL_HEADER = "X-HubSpot-RateLimit-Interval-Milliseconds";

    /** Longest HubSpot message kept in an exception message. */
    private static final int MAX_MESSAGE_CHARS = 300;

    /** {@code "Contact already exists. Existing ID: 151"} in a 409 answer to a create. */
    private static final Pattern EXISTING_ID = Pattern.compile("Existing ID:\\s*(\\d+)");

    private HubSpotErrors() {
    }

    /**
     * @param request    the request that failed
     * @param response   HubSpot's non-2xx answer
     * @param mapper     JSON reader for the error body
     * @param maskPii    masks personal data in HubSpot's message
     * @param now        current time, for {@code Retry-After} HTTP-dates
     * @return {@link TransientDeliveryException} for 429 (with the wait), 408 and 5xx;
     *         {@link PermanentDeliveryException} otherwise; both carry the body verbatim
     */
    static DeliveryException toException(HubSpotRequest request, HubSpotResponse response, ObjectMapper mapper,
                                         UnaryOperator<String> maskPii, Instant now) {
        int status = response.status();
        String detail = detail(response.body(), mapper, maskPii);
        String message = request.describe() + ": HTTP " + status + (detail.isEmpty() ? "" : " " + detail);
        if (status == 429) {
            return new TransientDeliveryException(message, status, response.body(),
                    rateLimitWait(response.headers(), now), null);
        }
        if (status == 408 || status >= 500) {
            return new TransientDeliveryException(message, status, response.body(), null, null);
        }
        return new PermanentDeliveryException(message, status, response.body(), null);
    }

    /**
     * @param body    a HubSpot error body, e.g. {@code {"status":"error","message":"...","category":"VALIDATION_ERROR"}}
     * @param mapper  JSON reader
     * @param maskPii masks personal data in HubSpot's message
     * @return {@code "<category>: <message> (correlationId <id>)"} with the parts present, message masked and
     *         shortened; empty when the body is not HubSpot JSON
     */
    static String detail(String body, ObjectMapper mapper, UnaryOperator<String> maskPii) {
        JsonNode json = readJson(body, mapper);
        if (json == null || !json.isObject()) {
            return "";
        }
        StringBuilder detail = new StringBuilder();
        String category = text(json, "category");
        if (category == null) {
            category = text(json, "errorType");
        }
        if (category != null) {
            detail.append(category);
        }
        String message = text(json, "message");
        if (message != null) {
            message = maskPii.apply(message);
            if (message.length() > MAX_MESSAGE_CHARS) {
                message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
            }
            detail.append(detail.length() > 0 ? ": " : "").append(message);
        }
        String correlationId = text(json, "correlationId");
        if (correlationId != null) {
            detail.append(detail.length() > 0 ? " " : "").append("(correlationId ").append(correlationId).append(')');
        }
        return detail.toString();
    }

    /**
     * @param body   the body of a 409 answer to a contact create
     * @param mapper JSON reader
     * @return the id of the contact HubSpot says already exists, or null when the body names none
     */
    static String existingId(String body, ObjectMapper mapper) {
        JsonNode json = readJson(body, mapper);
        String message = json == null ? null : text(json, "message");
        Matcher matcher = EXISTING_ID.matcher(message != null ? message : body == null ? "" : body);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The wait a 429 asks for: {@code Retry-After} (seconds or HTTP-date), else the rate-limit window
     * {@value #RATE_LIMIT_INTERVAL_HEADER}, else none.
     *
     * @param headers the 429 response headers
     * @param now     current time
     * @return the wait, or null when HubSpot gave none
     */
    static Duration rateLimitWait(HttpHeaders headers, Instant now) {
        Duration retryAfter = parseRetryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), now);
        if (retryAfter != null) {
            return retryAfter;
        }
        String interval = headers.getFirst(RATE_LIMIT_INTERVAL_HEADER);
        if (interval != null) {
            try {
                long millis = Long.parseLong(interval.trim());
                if (millis >= 0) {
                    return Duration.ofMillis(millis);
                }
            } catch (NumberFormatException e) {
                // not a number: no wait known
            }
        }
        return null;
    }

    /**
     * Parses an HTTP {@code Retry-After} value (RFC 9110 section 10.2.3).
     *
     * @param value delay-seconds ({@code 1}) or an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT}), or null
     * @param now   current time, to turn a date into a wait
     * @return the wait (zero for a date in the past), or null when absent or unparsable
     */
    static Duration parseRetryAfter(String value, Instant now) {
        return io.leadhub.dispatch.http.RetryAfter.parse(value, now);
    }

    private static JsonNode readJson(String body, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
    }
}
