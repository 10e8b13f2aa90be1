package io.leadhub.enrich.ai;

/**
 * When the caller wants the project to start or be done.
 *
 * <p>Each constant has a wire value (see {@link #wire()}): the exact lower-case string written to CRMs and exposed to
 * CEL expressions by {@link AiAnalysis#toMap()}.
 */
public enum Timeline {
    /** {@code immediate}: now: ASAP, this or next week, within about two weeks, emergencies (leak, flood) */
    IMMEDIATE("immediate"),

    /** {@code 1-3_months}: from about two weeks up to three months */
    ONE_TO_THREE_MONTHS("1-3_months"),

    /** {@code 3-6_months}: more than three and up to six months */
    THREE_TO_SIX_MONTHS("3-6_months"),

    /** {@code 6+_months}: more than six months, or explicitly no hurry / just planning */
    SIX_PLUS_MONTHS("6+_months"),

    /** {@code unknown}: no timing mentioned, or no transcript */
    UNKNOWN("unknown");

    private final String wire;

    Timeline(String wire) {
        this.wire = wire;
    }

    /**
     * The wire value.
     *
     * @return the exact string sent to CRMs, e.g. {@code "immediate"}; never null
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
    public static Timeline fromWire(String wire) {
        for (Timeline value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown Timeline wire value: " + wire);
    }
}
