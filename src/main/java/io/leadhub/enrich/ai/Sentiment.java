package io.leadhub.enrich.ai;

/**
 * The caller's overall tone, from a positive/negative word lexicon.
 *
 * <p>Each constant has a wire value (see {@link #wire()}): the exact lower-case string written to CRMs and exposed to
 * CEL expressions by {@link AiAnalysis#toMap()}.
 */
public enum Sentiment {
    /** {@code positive}: more positive than negative words */
    POSITIVE("positive"),

    /** {@code neutral}: balanced or no sentiment words, or no transcript */
    NEUTRAL("neutral"),

    /** {@code negative}: more negative than positive words */
    NEGATIVE("negative");

    private final String wire;

    Sentiment(String wire) {
        this.wire = wire;
    }

    /**
     * The wire value.
     *
     * @return the exact string sent to CRMs, e.g. {@code "positive"}; never null
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
    public static Sentiment fromWire(String wire) {
        for (Sentiment value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown Sentiment wire value: " + wire);
    }
}
