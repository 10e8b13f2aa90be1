package io.leadhub.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand (token expiry, webhook timestamps). */
public final class MutableClock extends Clock {

    private Instant now;

    /** @param start the initial instant */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** @param step how far to move forward */
    public void advance(Duration step) {
        now = now.plus(step);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
