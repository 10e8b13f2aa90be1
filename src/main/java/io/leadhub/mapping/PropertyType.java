package io.leadhub.mapping;

import java.util.Locale;

/** The declared {@code type} of a tenant file {@code custom_properties} entry: how its value is converted. */
public enum PropertyType {
    /** text ({@code string}); numbers and booleans become their text, lists are joined with {@code ;} */
    STRING,
    /** {@link Long} or {@link Double} ({@code number}); numeric strings are parsed */
    NUMBER,
    /** {@link Boolean} ({@code bool}); the strings {@code true}/{@code false} are accepted */
    BOOL,
    /** a {@code YYYY-MM-DD} string ({@code date}); instants are converted in the tenant's time zone */
    DATE,
    /** an ISO-8601 UTC instant string such as {@code 2026-11-21T10:15:30Z} ({@code datetime}) */
    DATETIME,
    /** like {@link #STRING}, for CRM pick-list properties ({@code enumeration}) */
    ENUMERATION;

    /**
     * @param value the tenant-file spelling: {@code string}, {@code number}, {@code bool}, {@code date},
     *              {@code datetime} or {@code enumeration}; null means {@code string}
     * @return the type
     * @throws IllegalArgumentException for any other value
     */
    public static PropertyType fromConfig(String value) {
        if (value == null) {
            return STRING;
        }
        return switch (value) {
            case "string" -> STRING;
            case "number" -> NUMBER;
            case "bool" -> BOOL;
            case "date" -> DATE;
            case "datetime" -> DATETIME;
            case "enumeration" -> ENUMERATION;
            default -> throw new IllegalArgumentException("unknown property type '" + value
                    + "' (expected string, number, bool, date, datetime or enumeration)");
        };
    }

    /** @return the tenant-file spelling, e.g. {@code datetime} */
    public String configName() {
        return this == BOOL ? "bool" : name().toLowerCase(Locale.ROOT);
    }
}
