package io.leadhub.enrich.ai;

/**
 * The kind of home-improvement project the caller talks about.
 *
 * <p>Each constant has a wire value (see {@link #wire()}): the exact lower-case string written to CRMs and exposed to
 * CEL expressions by {@link AiAnalysis#toMap()}.
 */
public enum ProjectType {
    /** {@code kitchen}: kitchen remodel (cabinets, countertops, backsplash, island) */
    KITCHEN("kitchen"),

    /** {@code bathroom}: bathroom remodel (shower, tub, vanity, toilet) */
    BATHROOM("bathroom"),

    /** {@code whole_home}: renovation of the whole house or several rooms at once */
    WHOLE_HOME("whole_home"),

    /** {@code addition}: new living space (room addition, second story, sunroom, ADU) */
    ADDITION("addition"),

    /** {@code unknown}: no project mentioned, or no transcript */
    UNKNOWN("unknown");

    private final String wire;

    ProjectType(String wire) {
        this.wire = wire;
    }

    /**
     * The wire value.
     *
     * @return the exact string sent to CRMs, e.g. {@code "kitchen"}; never null
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
    public static ProjectType fromWire(String wire) {
        for (ProjectType value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown ProjectType wire value: " + wire);
    }
}
