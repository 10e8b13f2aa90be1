package io.leadhub.tenant;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tenant file is invalid: unreadable, not YAML, against the schema, an unresolved placeholder, a literal
 * secret, or an expression that does not compile. All problems found in the file are reported together.
 *
 * <p>Message: one line per problem, {@code <file>:<line>:<column>: <key>: <reason>} (line and column 1-based,
 * 0 when unknown). The getters {@link #file()}, {@link #key()}, {@link #line()}, {@link #column()} and
 * {@link #reason()} describe the first problem (the earliest in the file); {@link #errors()} has all of them.
 * Messages never contain secret values.
 */
public class TenantConfigException extends RuntimeException {

    private final List<TenantConfigError> errors;

    /**
     * @param errors the problems, at least one, in report order
     * @throws IllegalArgumentException when {@code errors} is empty
     */
    public TenantConfigException(List<TenantConfigError> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    /**
     * A single problem.
     *
     * @param file   the tenant file
     * @param key    dotted key path
     * @param line   1-based line, 0 when unknown
     * @param column 1-based column, 0 when unknown
     * @param reason what is wrong
     */
    public TenantConfigException(Path file, String key, int line, int column, String reason) {
        this(List.of(new TenantConfigError(file, key, line, column, reason)));
    }

    private static String format(List<TenantConfigError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("at least one error is required");
        }
        return errors.stream().map(TenantConfigError::format).collect(Collectors.joining("\n"));
    }

    /** @return all problems, in file order (unmodifiable) */
    public List<TenantConfigError> errors() {
        return errors;
    }

    /** @return the tenant file */
    public Path file() {
        return errors.get(0).file();
    }

    /** @return dotted key path of the first problem, e.g. {@code destinations[0].computed.estimated_value} */
    public String key() {
        return errors.get(0).key();
    }

    /** @return 1-based line of the first problem, 0 when unknown */
    public int line() {
        return errors.get(0).line();
    }

    /** @return 1-based column of the first problem, 0 when unknown */
    public int column() {
        return errors.get(0).column();
    }

    /** @return the reason of the first problem */
    public String reason() {
        return errors.get(0).reason();
    }
}
