package io.leadhub.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolution of {@code ${NAME}} / {@code ${NAME:default}} placeholders in tenant-file strings. */
final class Placeholders {

    /** A placeholder name: letters, digits, '_', '.', '-', not starting with a digit. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    /** A secret value: exactly one placeholder without default or with an empty default. */
    /**
     * Placeholder prefixes that are references, not variable names: {@code ${file:/run/secrets/x}} reads a file,
     * {@code ${hashicorp:...}}, {@code ${aws:...}}, {@code ${gcp:...}}, {@code ${azure:...}} and
     * {@code ${kubernetes:...}} go to Camel's vault property functions. The whole body is the reference; there is
     * no default.
     */
    static final Set<String> FUNCTIONS = Set.of("file", "hashicorp", "aws", "gcp", "azure", "kubernetes");
    static final Pattern SECRET = Pattern.compile("\\$\\{((?:" + String.join("|", FUNCTIONS) + "):[^}]+|"
            + NAME.pattern() + ")(:)?}");

    private Placeholders() {
    }

    /**
     * The outcome of resolving one string.
     *
     * @param value            the resolved string (placeholders that failed are left as written)
     * @param hadPlaceholders  the string contained at least one placeholder
     * @param onlyPlaceholders the string consisted only of placeholders
     * @param problems         what failed (missing variables, malformed placeholders); never values
     */
    record Result(String value, boolean hadPlaceholders, boolean onlyPlaceholders, List<String> problems) {
    }

    /**
     * @param raw      the string as written
     * @param resolver variable name → value, null when unset
     * @return the resolution
     */
    static Result resolve(String raw, Function<String, String> resolver) {
        if (raw.indexOf("${") < 0) {
            return new Result(raw, false, false, List.of());
        }
        StringBuilder out = new StringBuilder();
        List<String> problems = new ArrayList<>();
        boolean onlyPlaceholders = true;
        int i = 0;
        while (i < raw.length()) {
            int start = raw.indexOf("${", i);
            if (start < 0) {
                out.append(raw, i, raw.length());
                onlyPlaceholders = false;
                break;
            }
            if (start > i) {
                out.append(raw, i, start);
                onlyPlaceholders = false;
            }
            int end = raw.indexOf('}', start + 2);
            if (end < 0) {
                problems.add("unterminated placeholder: '${' without a closing '}'");
                out.append(raw, start, raw.length());
                break;
            }
            String body = raw.substring(start + 2, end);
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            String defaultValue = colon < 0 ? null : body.substring(colon + 1);
            if (colon > 0 && FUNCTIONS.contains(name)) {
                name = body; // a reference such as file:/run/secrets/x: resolved whole, no default
                defaultValue = null;
            }
            boolean reference = name.indexOf(':') > 0 && FUNCTIONS.contains(name.substring(0, name.indexOf(':')));
            if (!reference && !NAME.matcher(name).matches()) {
                problems.add("invalid placeholder name (use ${NAME} or ${NAME:default}; "
                        + "NAME of letters, digits, '_', '.', '-')");
                out.append(raw, start, end + 1);
            } else {
                String value = null;
                boolean failed = false;
                try {
                    value = resolver.apply(name);
                } catch (RuntimeException e) {
                    problems.add("cannot resolve environment variable " + name + " ("
                            + e.getClass().getSimpleName() + ")");
                    failed = true;
                }
                if (!failed && value == null) {
                    value = defaultValue;
                    if (value == null) {
                        problems.add("environment variable " + name + " is not set (use ${" + name
                                + ":default} for an optional value)");
                    }
                }
                if (value == null) {
                    out.append(raw, start, end + 1);
                } else {
                    out.append(value);
                }
            }
            i = end + 1;
        }
        return new Result(out.toString(), true, onlyPlaceholders, List.copyOf(problems));
    }

    /**
     * @param raw a secret value as written
     * @return the placeholder match when {@code raw} is exactly {@code ${NAME}} or {@code ${NAME:}}, else null
     */
    static Matcher secret(String raw) {
        Matcher m = SECRET.matcher(raw);
        return m.matches() ? m : null;
    }
}
