package io.leadhub.dispatch.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads the waits servers ask for: the HTTP {@code Retry-After} header (RFC 9110 section 10.2.3), and the whole
 * seconds of CRM-specific rate-limit values (Pipedrive's {@code x-ratelimit-reset}, monday.com's
 * {@code retry_in_seconds}). Stateless.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * @param value delay-seconds ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT}), or null
     * @param now   current time, to turn a date into a wait
     * @return the wait (zero for a date in the past), or null when absent or unparsable
     */
    public static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            Duration wait = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * @param value a whole number of seconds as text (surrounding blanks ignored), or null
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
}
