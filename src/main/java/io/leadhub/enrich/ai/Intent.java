package io.leadhub.enrich.ai;

/**
 * What the caller wants from the business, as detected in the call transcription.
 *
 * <p>Each constant has a wire value (see {@link #wire()}): the exact lower-case string written to CRMs and exposed to
 * CEL expressions by {@link AiAnalysis#toMap()}.
 */
public enum Intent {
    /** {@code quote_request}: the caller asks for a quote, estimate, bid or price */
    QUOTE_REQUEST("quote_request"),

    /** {@code information_seeking}: the caller asks general questions (services offered, licensing, hours) */
    INFORMATION_SEEKING("information_seeking"),

    /** {@code appointment_booking}: the caller wants a visit, consultation or appointment */
    APPOINTMENT_BOOKING("appointment_booking"),

    /** {@code other}: none of the above, or no transcript */
    OTHER("other");

    private final String wire;

    Intent(String wire) {
        this.wire = wire;
    }

    /**
     * The wire value.
     *
     * @return the exact string sent to CRMs, e.g. {@code "quote_request"}; never null
     */
    public String wire() {
        return wire;
    }

    /**
     * Parses a wire value (exact, case-sensitive match; no trimming).
     *
     * @param wire a value as returned by {@link #wire()}
     * @return the matching constant
     * @throws IllegalArgumentException if {@code wire} is null or not a wire value of this enum
     */
    public static Intent fromWire(String wire) {
        for (Intent value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown Intent wire value: " + wire);
    }
}
