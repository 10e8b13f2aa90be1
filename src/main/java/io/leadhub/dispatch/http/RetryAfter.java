package io.leadhub.dispatch.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses the HTTP {@code Retry-After} header (RFC 9110 section 10.2.3). */
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
}
