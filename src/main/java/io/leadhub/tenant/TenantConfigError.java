package io.leadhub.tenant;

import java.nio.file.Path;

/**
 * One problem in a tenant file.
 *
 * @param file   the tenant file
 * @param key    dotted path of the offending key, e.g. {@code destinations[0].computed.estimated_value};
 *               {@code (file)} when the problem concerns the whole file (unreadable, invalid YAML)
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param reason what is wrong; never contains a secret value
 */
public record TenantConfigError(Path file, String key, int line, int column, String reason) {

    /** Key used for problems that concern the whole file. */
    public static final String FILE_KEY = "(file)";

    /** @return {@code <file>:<line>:<column>: <key>: <reason>} */
    public String format() {
        return file + ":" + line + ":" + column + ": " + key + ": " + reason;
    }

    @Override
    public String toString() {
        return format();
    }
}
