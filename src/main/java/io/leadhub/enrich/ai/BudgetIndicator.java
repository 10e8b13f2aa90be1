package io.leadhub.enrich.ai;

/**
 * The caller's budget, from a stated amount in US dollars or from budget words.
 *
 * <p>Each constant has a wire value (see {@link #wire()}): the exact lower-case string written to CRMs and exposed to
 * CEL expressions by {@link AiAnalysis#toMap()}.
 */
public enum BudgetIndicator {
    /** {@code high}: at least USD 50,000, or words such as high-end, luxury */
    HIGH("high"),

    /** {@code medium}: USD 15,000 to 49,999, or words such as mid-range */
    MEDIUM("medium"),

    /** {@code low}: below USD 15,000, or words such as tight budget, cheap, affordable */
    LOW("low"),

    /** {@code unknown}: no budget mentioned, or no transcript */
    UNKNOWN("unknown");

    private final String wire;

    BudgetIndicator(String wire) {
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
    public static BudgetIndicator fromWire(String wire) {
        for (BudgetIndicator value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown BudgetIndicator wire value: " + wire);
    }
}
