package io.leadhub.dispatch.http;

import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;

/**
 * Which non-2xx answers are worth retrying (a destination's {@code retry_on} setting): retryable answers become
 * {@link TransientDeliveryException}s (redelivered with backoff, waiting at least the answer's
 * {@code Retry-After}), every other non-2xx answer a {@link PermanentDeliveryException} (dead letter at once).
 *
 * <p>{@code retry_on} is a list of status codes ({@code 429}) and inclusive ranges ({@code "500-599"}); the
 * default is {@code [408, 429, 500-599]}, HTTP's "try again later" answers. Immutable.
 */
public final class StatusPolicy {

    /** {@code [408, 429, 500-599]}. */
    public static final StatusPolicy DEFAULT = new StatusPolicy(List.of(new Range(408, 408), new Range(429, 429),
            new Range(500, 599)));

    private static final Pattern RANGE = Pattern.compile("\\s*(\\d{3})\\s*(?:-\\s*(\\d{3})\\s*)?");

    private final List<Range> ranges;

    private StatusPolicy(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** An inclusive range of status codes. */
    private record Range(int from, int to) {
        boolean contains(int status) {
            return status >= from && status <= to;
        }

        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    /**
     * @param setting the {@code retry_on} value: null (default), or a list of integers 100-599 and strings
     *                {@code "<from>-<to>"} / {@code "<code>"}
     * @return the policy
     * @throws IllegalArgumentException naming the offending entry when the value is not such a list
     */
    public static StatusPolicy parse(Object setting) {
        if (setting == null) {
            return DEFAULT;
        }
        if (!(setting instanceof List<?> list)) {
            throw new IllegalArgumentException("must be a list of status codes and ranges such as [429, \"500-599\"]");
        }
        List<Range> ranges = new ArrayList<>();
        for (Object item : list) {
            Matcher m = RANGE.matcher(item == null ? "" : item.toString());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + item + "' is neither a status code nor a range such as \"500-599\"");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) != null ? Integer.parseInt(m.group(2)) : from;
            if (from < 100 || to > 599 || from > to) {
                throw new IllegalArgumentException("'" + item + "' is not a range of HTTP status codes (100-599)");
            }
            ranges.add(new Range(from, to));
        }
        return new StatusPolicy(ranges);
    }

    /**
     * @param status a non-2xx HTTP status, or 0 for "no answer"
     * @return true when the status is listed (no answer at all is always retryable)
     */
    public boolean isRetryable(int status) {
        return status == 0 || ranges.stream().anyMatch(r -> r.contains(status));
    }

    /**
     * @param request  the request that failed
     * @param response its non-2xx answer
     * @param detail   a masked summary of the error body (see {@link ErrorDetail}), may be empty
     * @param now      current time, for {@code Retry-After} dates
     * @return {@link TransientDeliveryException} with the answer's {@code Retry-After} wait when the status is
     *         retryable, otherwise {@link PermanentDeliveryException}; both carry the body verbatim and the message
     *         of {@link ErrorDetail#message}: {@code <system> <operation> (<METHOD> <target>): HTTP <status> <detail>}
     */
    public DeliveryException toException(OutboundRequest request, OutboundResponse response, String detail,
                                         Instant now) {
        int status = response.status();
        String message = ErrorDetail.message(request, status, detail);
        if (isRetryable(status)) {
            Duration wait = RetryAfter.parse(response.header(HttpHeaders.RETRY_AFTER), now);
            return new TransientDeliveryException(message, status, response.body(), wait, null);
        }
        return new PermanentDeliveryException(message, status, response.body(), null);
    }

    /**
     * The same classification for connectors that read their CRM's wait themselves (Pipedrive's
     * {@code x-ratelimit-reset}, monday.com's {@code retry_in_seconds}, or {@code Retry-After}) and add their CRM's
     * own signals (a rate-limit header, errors inside a 200) before calling this.
     *
     * @param request       the request that failed
     * @param response      its non-2xx answer
     * @param detail        the CRM's error in a few words, personal data already masked; may be empty or null
     * @param rateLimitWait the wait the CRM asked for, or null; it goes with a 429 only, other retryable statuses
     *                      carry no wait
     * @return {@link TransientDeliveryException} when the status is retryable, otherwise
     *         {@link PermanentDeliveryException}; both carry the body verbatim and the message of
     *         {@link ErrorDetail#message}
     */
    public DeliveryException toException(OutboundRequest request, OutboundResponse response, String detail,
                                         Duration rateLimitWait) {
        int status = response.status();
        String message = ErrorDetail.message(request, status, detail);
        if (isRetryable(status)) {
            Duration wait = status == 429 ? rateLimitWait : null;
            return new TransientDeliveryException(message, status, response.body(), wait, null);
        }
        return new PermanentDeliveryException(message, status, response.body(), null);
    }

    /** @return e.g. {@code [408, 429, 500-599]} */
    @Override
    public String toString() {
        return ranges.toString();
    }
}
