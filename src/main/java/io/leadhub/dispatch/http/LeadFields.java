package io.leadhub.dispatch.http;

import io.leadhub.mapping.MappingContext;
import java.util.Map;

/**
 * Reads the lead values connectors fill in when a tenant's mapping leaves a CRM field out (names, city, the call
 * transcript, the analysed project type), from a {@link MappingContext} that may be null or incomplete. Stateless.
 */
public final class LeadFields {

    private final MappingContext context;

    /** @param context the lead, call and AI maps, or null */
    public LeadFields(MappingContext context) {
        this.context = context;
    }

    /**
     * @param key a key of the {@code lead} map, e.g. {@code first_name}
     * @return its non-blank text value, trimmed, or null
     */
    public String lead(String key) {
        return text(context == null ? null : context.lead(), key);
    }

    /**
     * @param key a key of the {@code call} map, e.g. {@code transcription}
     * @return its non-blank text value, trimmed, or null
     */
    public String call(String key) {
        return text(context == null ? null : context.call(), key);
    }

    /**
     * @param key a key of the {@code ai} map, e.g. {@code project_type}
     * @return its non-blank text value, trimmed, or null
     */
    public String ai(String key) {
        return text(context == null ? null : context.ai(), key);
    }

    /**
     * @return the lead's {@code full_name}, else {@code first_name last_name} (either alone when the other is
     *         missing), else null
     */
    public String fullName() {
        String full = lead("full_name");
        if (full != null) {
            return full;
        }
        String first = lead("first_name");
        String last = lead("last_name");
        if (first != null && last != null) {
            return first + " " + last;
        }
        return first != null ? first : last;
    }

    private static String text(Map<String, Object> map, String key) {
        if (map == null) {
            return null;
        }
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }
}
