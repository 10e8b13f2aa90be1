package io.leadhub.inbound.leadpro;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each canonical LeadPro field sits in a webhook body: the canonical payload's places
 * ({@code docs/inbound-payloads.md}, "LeadPro"), overridden per tenant by {@code sources.leadpro.field_map}.
 *
 * <p>A location is a JSON Pointer (RFC 6901: {@code /data/mobile}, {@code /data/phones/0}) or a dotted path
 * ({@code data.mobile}, {@code data.phones.0}: segments separated by {@code .}, numeric segments index arrays).
 * Immutable.
 */
public final class LeadProFieldMap {

    /** The canonical fields and their place in the canonical payload, in documentation order. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("event", "event");
        d.put("event_id", "event_id");
        d.put("occurred_at", "occurred_at");
        for (String f : List.of("lead_id:id", "name", "first_name", "last_name", "phone", "email", "city", "state",
                "country", "project_type", "budget_range", "status", "assignee", "source", "notes")) {
            String[] parts = f.split(":");
            d.put(parts[0], "data." + (parts.length > 1 ? parts[1] : parts[0]));
        }
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> locations;
    private final Map<String, JsonPointer> pointers;

    private LeadProFieldMap(Map<String, String> locations) {
        this.locations = locations;
        Map<String, JsonPointer> p = new LinkedHashMap<>();
        locations.forEach((field, location) -> p.put(field, pointer(location)));
        this.pointers = p;
    }

    /**
     * @param overrides canonical field → location, from {@code sources.leadpro.field_map} (may be empty)
     * @return the defaults with the overrides applied
     * @throws IllegalArgumentException naming the field when an override is not a valid location or names an
     *                                  unknown field (the tenant schema rejects both when the file is loaded)
     */
    public static LeadProFieldMap of(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        overrides.forEach((field, location) -> {
            if (!DEFAULTS.containsKey(field)) {
                throw new IllegalArgumentException("sources.leadpro.field_map." + field + ": unknown field");
            }
            try {
                pointer(location);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sources.leadpro.field_map." + field + ": '" + location
                        + "' is neither a JSON Pointer nor a dotted path");
            }
            merged.put(field, location);
        });
        return new LeadProFieldMap(merged);
    }

    /**
     * @param root  the webhook body
     * @param field a canonical field name
     * @return the value at the field's location, or a missing node
     */
    public JsonNode at(JsonNode root, String field) {
        return root.at(pointers.get(field));
    }

    /**
     * @param field a canonical field name
     * @return the object holding the field's value (its parent location), or the root
     */
    public JsonPointer parent(String field) {
        JsonPointer head = pointers.get(field).head();
        return head == null ? JsonPointer.empty() : head;
    }

    /**
     * @param field a canonical field name
     * @return its location as configured (for error messages), e.g. {@code data.mobile} or {@code /data/mobile}
     */
    public String location(String field) {
        return locations.get(field);
    }

    /**
     * @param location JSON Pointer or dotted path
     * @return the JSON Pointer
     * @throws IllegalArgumentException when it is neither
     */
    static JsonPointer pointer(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("empty location");
        }
        if (location.startsWith("/")) {
            return JsonPointer.compile(location);
        }
        StringBuilder p = new StringBuilder();
        for (String segment : location.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("empty segment in " + location);
            }
            p.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
        }
        return JsonPointer.compile(p.toString());
    }
}
