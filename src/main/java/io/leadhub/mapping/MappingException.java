package io.leadhub.mapping;

/**
 * A tenant expression failed while a lead was mapped (evaluation error such as a missing map key or a type
 * mismatch, or a result that cannot be converted to the declared property type).
 *
 * <p>The message is {@code <key>: <reason>}, where the reason is CEL's error text or a conversion problem. It
 * never contains secrets: tenant secrets are not visible to expressions.
 */
public class MappingException extends RuntimeException {

    private final String key;

    /**
     * @param key    where the failing expression is defined in the tenant file, e.g.
     *               {@code destinations[0].computed.estimated_value}
     * @param reason what went wrong
     * @param cause  the underlying CEL exception, or null
     */
    public MappingException(String key, String reason, Throwable cause) {
        super(key + ": " + reason, cause);
        this.key = key;
    }

    /**
     * @param key    where the failing expression is defined in the tenant file
     * @param reason what went wrong
     */
    public MappingException(String key, String reason) {
        this(key, reason, null);
    }

    /** @return the dotted tenant-file path of the failing expression, e.g. {@code destinations[0].computed.x} */
    public String key() {
        return key;
    }
}
