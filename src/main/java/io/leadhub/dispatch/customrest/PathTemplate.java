package io.leadhub.dispatch.customrest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.UriUtils;

/**
 * A request path with {@code {name}} placeholders, e.g. {@code /leads?phone={phone}} or {@code /leads/{id}}.
 * Values are URL-encoded where they are inserted: as a path segment before the {@code ?}, as a query parameter
 * value after it ({@code +} becomes {@code %2B}, so an E.164 number survives form decoding). Immutable.
 */
public final class PathTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.:-]*)}");

    private final String template;
    private final Set<String> names;

    private PathTemplate(String template, Set<String> names) {
        this.template = template;
        this.names = names;
    }

    /**
     * @param template the path as written in the tenant file; must start with {@code /}
     * @return the parsed template
     * @throws IllegalArgumentException when it does not start with {@code /} or has an unclosed {@code {}
     */
    public static PathTemplate parse(String template) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("must start with '/' (it is appended to base_url), got '" + template + "'");
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (PLACEHOLDER.matcher(template).replaceAll("").matches(".*[{}].*")) {
            throw new IllegalArgumentException("has an unbalanced or invalid {placeholder}: '" + template + "'");
        }
        return new PathTemplate(template, Set.copyOf(names));
    }

    /** @return the placeholder names used, e.g. {@code [phone]} */
    public Set<String> names() {
        return names;
    }

    /** The expanded path: as sent, and as shown to operators. */
    public record Expanded(String path, String display) {
    }

    /**
     * @param values  placeholder name → raw value (null when this lead has none)
     * @param display placeholder name → value shown in messages (e.g. a masked phone); null = same as value
     * @return the expanded path, or null when a placeholder has no value for this lead
     */
    public Expanded expand(Function<String, String> values, Function<String, String> display) {
        int query = template.indexOf('?');
        StringBuilder path = new StringBuilder();
        StringBuilder shown = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            String value = values.apply(m.group(1));
            if (value == null || value.isEmpty()) {
                return null;
            }
            String visible = display.apply(m.group(1));
            boolean inQuery = query >= 0 && m.start() > query;
            path.append(template, last, m.start()).append(encode(value, inQuery));
            shown.append(template, last, m.start()).append(encode(visible != null ? visible : value, inQuery));
            last = m.end();
        }
        path.append(template.substring(last));
        shown.append(template.substring(last));
        return new Expanded(path.toString(), shown.toString());
    }

    private static String encode(String value, boolean inQuery) {
        return inQuery
                ? UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8).replace("+", "%2B")
                : UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
    }

    /** @return the template as written */
    @Override
    public String toString() {
        return template;
    }
}
