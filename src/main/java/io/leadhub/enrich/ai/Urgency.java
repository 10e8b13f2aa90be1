package io.leadhub.enrich.ai;

/**
 * How soon the business should call the lead back.
 *
 * <p>Each constant has a wire value (see {@link #wire()}): the exact lower-case string written to CRMs and exposed to
 * CEL expressions by {@link AiAnalysis#toMap()}.
 */
public enum Urgency {
    /** {@code high}: call back now: immediate timeline or lead score of 80 or more */
    HIGH("high"),

    /** {@code medium}: call back today: 1-3 month timeline or lead score of 50 or more */
    MEDIUM("medium"),

    /** {@code low}: call back when convenient */
    LOW("low");

    private final String wire;

    Urgency(String wire) {
        this.wire = wire;
    }

    /**
     * The wire value.
     *
     * @return the exact string sent to CRMs, e.g. {@code "high"}; never null
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
    public static Urgency fromWire(String wire) {
        for (Urgency value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown Urgency wire value: " + wire);
    }
}
