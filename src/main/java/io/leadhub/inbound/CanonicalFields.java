package io.leadhub.inbound;

import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.tenant.TenantConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical {@code lead} and {@code call} maps every inbound parser fills, so that every documented key is
 * present in every event whatever its source (a tenant's CEL expressions fail on a missing key, not on a
 * {@code null} value; see {@code docs/tenant-file.md}, "Variables").
 *
 * <p>{@link #lead()}: {@value #LEAD_KEYS_DOC}. {@link #call()}: every key of {@link #CALL_KEYS}, {@code null},
 * except {@code tags} and {@code changes} (empty lists) and {@code fields} and {@code data_collection} (empty
 * maps).
 */
public final class CanonicalFields {

    static final String LEAD_KEYS_DOC = "phone_raw, full_name, first_name, last_name, email, city, state, country";

    /** Keys of the raw lead map, before normalisation. */
    public static final List<String> LEAD_KEYS = List.of("phone_raw", "full_name", "first_name", "last_name",
            "email", "city", "state", "country");

    /** Keys of the call map (the {@code call} variable of the tenant's expressions). */
    public static final List<String> CALL_KEYS = List.of(
            "id", "legacy_id", "event_type", "direction", "duration_seconds", "answered", "recording_url",
            "transcription", "summary", "message", "source_name", "tracking_phone_number", "business_phone_number",
            "start_time", "tags", "landing_page_url", "referrer", "utm_source", "utm_medium", "utm_campaign",
            "utm_term", "utm_content", "gclid", "first_call", "lead_status", "value", "note", "company_id",
            "changes", "lead_id", "assigned_to", "project_type", "budget_range", "outcome", "fields",
            "data_collection");

    private CanonicalFields() {
    }

    /** @return a new mutable lead map with every key of {@link #LEAD_KEYS} set to null */
    public static Map<String, Object> lead() {
        Map<String, Object> lead = new LinkedHashMap<>();
        LEAD_KEYS.forEach(k -> lead.put(k, null));
        return lead;
    }

    /** @return a new mutable call map with every key of {@link #CALL_KEYS} (null, empty list or empty map) */
    public static Map<String, Object> call() {
        Map<String, Object> call = new LinkedHashMap<>();
        CALL_KEYS.forEach(k -> call.put(k, null));
        call.put("tags", new ArrayList<>());
        call.put("changes", new ArrayList<>());
        call.put("fields", new LinkedHashMap<>());
        call.put("data_collection", new LinkedHashMap<>());
        return call;
    }

    /**
     * The Kafka key of an inbound event: all events of one person land on one partition, in order.
     *
     * @param tenant   the tenant
     * @param phones   E.164 normaliser
     * @param phoneRaw the lead's phone as received, or null
     * @param email    the lead's e-mail as received, or null
     * @param fallback used when neither phone nor e-mail identifies the lead (the provider event id)
     * @return {@code <tenant>|<E.164 phone>}, else {@code <tenant>|<lower-case e-mail>}, else
     *         {@code <tenant>|<fallback>}
     */
    public static String partitionKey(TenantConfig tenant, PhoneNormalizer phones, String phoneRaw, String email,
                                      String fallback) {
        String who = phones.toE164(phoneRaw, tenant.defaultRegion()).orElse(null);
        if (who == null && email != null && email.contains("@")) {
            who = email.trim().toLowerCase(java.util.Locale.ROOT);
        }
        return tenant.tenant() + "|" + (who == null ? fallback : who);
    }
}
