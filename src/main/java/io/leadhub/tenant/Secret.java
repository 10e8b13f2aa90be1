package io.leadhub.tenant;

import java.util.Objects;

/**
 * A secret resolved from a placeholder in a tenant file (signing key, API token). Its {@link #toString()}
 * never shows the value, so a secret logged, exposed through JMX or printed in an error stays hidden.
 */
public final class Secret {

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * @param value the resolved secret; null or blank gives {@link #isEmpty()} = true
     * @return a secret wrapping the value
     */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    /** @return an empty secret */
    public static Secret empty() {
        return EMPTY;
    }

    /** @return the secret value; use only where it is sent to its provider or used as a key */
    public String reveal() {
        return value;
    }

    /** @return true when the placeholder resolved to nothing */
    public boolean isEmpty() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** @return {@code "****"} (or {@code "<empty>"}), never the value */
    @Override
    public String toString() {
        return isEmpty() ? "<empty>" : "****";
    }
}
