package io.leadhub.inbound;

import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed read access to one tenant's settings of one source ({@code sources.<source>} of the tenant file), as the
 * inbound verifiers and parsers need them. The tenant file was validated against {@code tenant.schema.json}
 * when it was loaded, so values have the declared types; a missing key gives the documented default.
 */
public final class SourceSettings {

    private final Map<String, Object> values;

    private SourceSettings(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * @param tenant the tenant (from {@link WebhookTenantResolver#TENANT_CONFIG})
     * @param source source name, e.g. {@code perfex}
     * @return the source's settings; empty when the tenant did not configure the source
     */
    public static SourceSettings of(TenantConfig tenant, String source) {
        return new SourceSettings(tenant.source(source).orElse(Map.of()));
    }

    /**
     * @param key secret key, e.g. {@code webhook_secret}
     * @return the secret, or {@link Secret#empty()} when not set
     */
    public Secret secret(String key) {
        return values.get(key) instanceof Secret s ? s : Secret.empty();
    }

    /**
     * @param key      setting key
     * @param fallback value when the key is absent or blank
     * @return the trimmed text value
     */
    public String string(String key, String fallback) {
        Object v = values.get(key);
        if (v == null || v instanceof Secret || v.toString().isBlank()) {
            return fallback;
        }
        return v.toString().trim();
    }

    /**
     * @param key      setting key holding a whole number of seconds
     * @param fallback value when the key is absent
     * @return the duration
     */
    public Duration seconds(String key, Duration fallback) {
        return values.get(key) instanceof Number n ? Duration.ofSeconds(n.longValue()) : fallback;
    }

    /**
     * @param key      setting key holding true/false
     * @param fallback value when the key is absent
     * @return the flag
     */
    public boolean flag(String key, boolean fallback) {
        return values.get(key) instanceof Boolean b ? b : fallback;
    }

    /**
     * @param key setting key holding a map of strings
     * @return its entries with values as trimmed text (insertion order kept); empty when absent
     */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (values.get(key) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null && !(v instanceof Secret)) {
                    out.put(k.toString(), v.toString().trim());
                }
            });
        }
        return out;
    }
}
