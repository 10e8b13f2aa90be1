package io.leadhub.dispatch.http;

import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a destination's connector-specific settings ({@link DestinationConfig#settings()}: the tenant
 * file's other keys, placeholders resolved, secret-named keys as {@link Secret}). The tenant-file schema already
 * checks the shapes when the file is loaded; a value that still does not fit gives a
 * {@link PermanentDeliveryException} (status 0) whose message names the destination and the key, e.g.
 * {@code custom_rest destination crm: setting 'auth.token_url' must be a non-empty string}.
 */
public final class Settings {

    private final String type;
    private final DestinationConfig destination;

    /**
     * @param type        destination type for messages, e.g. {@code custom_rest}
     * @param destination the destination
     */
    public Settings(String type, DestinationConfig destination) {
        this.type = type;
        this.destination = destination;
    }

    /** @return the destination's settings */
    public Map<String, Object> all() {
        return destination.settings();
    }

    /**
     * @param key    dotted key for messages ({@code auth.token_url})
     * @param reason what is wrong, e.g. {@code must be a positive number of milliseconds}
     * @return the exception to throw
     */
    public PermanentDeliveryException invalid(String key, String reason) {
        return new PermanentDeliveryException(type + " destination " + destination.id() + ": setting '" + key + "' "
                + reason, 0, null, null);
    }

    /**
     * @param map   a settings map (the destination's or a nested one)
     * @param key   key in {@code map}
     * @param path  dotted key for messages
     * @param def   value when absent
     * @return the value as text (numbers and booleans as written), or {@code def} when absent or null
     * @throws PermanentDeliveryException when the value is a map, list or secret
     */
    public String string(Map<String, ?> map, String key, String path, String def) {
        Object value = map == null ? null : map.get(key);
        if (value == null) {
            return def;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?> || value instanceof Secret) {
            throw invalid(path, "must be a text value");
        }
        return value.toString();
    }

    /**
     * @param map  a settings map
     * @param key  key in {@code map}
     * @param path dotted key for messages
     * @return the non-blank text value
     * @throws PermanentDeliveryException when absent, blank or not text
     */
    public String requiredString(Map<String, ?> map, String key, String path) {
        String value = string(map, key, path, null);
        if (value == null || value.isBlank()) {
            throw invalid(path, "must be a non-empty string");
        }
        return value;
    }

    /**
     * @param map  a settings map
     * @param key  key in {@code map}
     * @param path dotted key for messages
     * @return the secret, {@link Secret#empty()} when absent
     * @throws PermanentDeliveryException when the value is not a secret placeholder
     */
    public Secret secret(Map<String, ?> map, String key, String path) {
        Object value = map == null ? null : map.get(key);
        if (value == null) {
            return Secret.empty();
        }
        if (value instanceof Secret s) {
            return s;
        }
        throw invalid(path, "must be a ${ENV_VAR} placeholder");
    }

    /**
     * @param map  a settings map
     * @param key  key in {@code map}
     * @param path dotted key for messages
     * @return the nested map, empty when absent
     * @throws PermanentDeliveryException when the value is not a map
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(Map<String, ?> map, String key, String path) {
        Object value = map == null ? null : map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw invalid(path, "must be a mapping of keys to values");
    }

    /**
     * @param map  a settings map
     * @param key  key in {@code map}
     * @param path dotted key for messages
     * @param def  value when absent
     * @return the boolean value
     * @throws PermanentDeliveryException when the value is not {@code true}/{@code false}
     */
    public boolean bool(Map<String, ?> map, String key, String path, boolean def) {
        Object value = map == null ? null : map.get(key);
        if (value == null) {
            return def;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw invalid(path, "must be true or false");
    }

    /**
     * @param map  a settings map
     * @param key  key in {@code map}
     * @param path dotted key for messages
     * @param def  value when absent
     * @return the integer value
     * @throws PermanentDeliveryException when the value is not an integer
     */
    public long integer(Map<String, ?> map, String key, String path, long def) {
        Object value = map == null ? null : map.get(key);
        if (value == null) {
            return def;
        }
        try {
            return value instanceof Number n && !(value instanceof Double) ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(path, "must be an integer, got '" + value + "'");
        }
    }

    /**
     * @param key setting with a read timeout in milliseconds ({@code timeout_ms})
     * @param def timeout when the setting is absent
     * @return the timeout
     * @throws PermanentDeliveryException when the value is not a positive integer
     */
    public Duration timeout(String key, Duration def) {
        long millis = integer(all(), key, key, def.toMillis());
        if (millis <= 0) {
            throw invalid(key, "must be a positive number of milliseconds, got '" + all().get(key) + "'");
        }
        return Duration.ofMillis(millis);
    }
}
