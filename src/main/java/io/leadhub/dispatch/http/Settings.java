package io.leadhub.dispatch.http;

import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Typed reads of a destination's connector-specific settings ({@link DestinationConfig#settings()}: the tenant
 * file's other keys, placeholders resolved, secret-named keys as {@link Secret}). The tenant-file schema already
 * checks the shapes when the file is loaded; a value that still does not fit (often one a placeholder made wrong)
 * gives a {@link PermanentDeliveryException} (status 0) whose message names the destination and the key, e.g.
 * {@code custom_rest destination crm: setting 'auth.token_url' must be a non-empty string}.
 *
 * <p>Two ways to read:
 * <ul>
 *   <li>by top-level key ({@link #string(String, String)}, {@link #requiredString(String)},
 *       {@link #optionalLong(String)}, {@link #bool(String, boolean)}, {@link #secret(String)}, {@link #map(String)},
 *       {@link #stringList}, {@link #url}, {@link #readTimeout()}): texts trimmed, a blank text counts as absent,
 *       {@code "true"}/{@code "false"} and whole-number texts accepted where a boolean or number is expected (what
 *       a placeholder resolves to);</li>
 *   <li>inside nested maps by key and dotted path for messages ({@code string(map, key, path, def)} and the other
 *       four-argument reads), e.g. custom REST's {@code auth.token_url}: values as written.</li>
 * </ul>
 */
public final class Settings {

    /** Setting: read timeout in milliseconds, default 30000. */
    public static final String TIMEOUT_MS = "timeout_ms";
    /** Read timeout without a {@value #TIMEOUT_MS} setting. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final String type;
    private final DestinationConfig destination;

    /**
     * @param type        destination type or CRM display name for messages, e.g. {@code custom_rest}, {@code Pipedrive}
     * @param destination the destination
     */
    public Settings(String type, DestinationConfig destination) {
        this.type = Objects.requireNonNull(type, "type");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    /** @return the destination's settings */
    public Map<String, Object> all() {
        return destination.settings();
    }

    /**
     * @param key    dotted key for messages ({@code auth.token_url})
     * @param reason what is wrong, e.g. {@code must be a positive number of milliseconds}
     * @return the exception to throw: {@code <type> destination <id>: setting '<key>' <reason>}
     */
    public PermanentDeliveryException invalid(String key, String reason) {
        return new PermanentDeliveryException(type + " destination " + destination.id() + ": setting '" + key + "' "
                + reason, 0, null, null);
    }

    // ---- top-level keys ----------------------------------------------------------------------------

    /**
     * @param key  setting name
     * @param dflt value when absent, blank or a secret (may be null)
     * @return the value as text, trimmed
     * @throws PermanentDeliveryException when the value is a map or list
     */
    public String string(String key, String dflt) {
        Object value = all().get(key);
        if (value == null || value instanceof Secret) {
            return dflt;
        }
        if (value instanceof Map || value instanceof List) {
            throw invalid(key, "must be a single value");
        }
        String text = value.toString().trim();
        return text.isEmpty() ? dflt : text;
    }

    /**
     * @param key setting name
     * @return the value as text, trimmed
     * @throws PermanentDeliveryException when absent or blank
     */
    public String requiredString(String key) {
        String value = string(key, null);
        if (value == null) {
            throw invalid(key, "is required");
        }
        return value;
    }

    /**
     * @param key setting name
     * @return the whole number, or null when absent or blank
     * @throws PermanentDeliveryException when not a whole number
     */
    public Long optionalLong(String key) {
        return wholeNumber(all().get(key), key);
    }

    /**
     * @param key  setting name
     * @param dflt value when absent
     * @return true/false (also from the texts {@code true}/{@code false})
     * @throws PermanentDeliveryException for any other value
     */
    public boolean bool(String key, boolean dflt) {
        return bool(all(), key, key, dflt);
    }

    /**
     * @param key setting name of a secret (a {@code ${ENV_VAR}} placeholder in the file)
     * @return the secret ({@link Secret#of} of any other value), {@link Secret#empty()} when absent
     */
    public Secret secret(String key) {
        Object value = all().get(key);
        if (value instanceof Secret s) {
            return s;
        }
        return value == null ? Secret.empty() : Secret.of(value.toString());
    }

    /**
     * @param key setting name
     * @return the map (string keys, plain values), an unmodifiable copy; empty when absent
     * @throws PermanentDeliveryException when not a map
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        Object value = all().get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) m));
        }
        throw invalid(key, "must be a map");
    }

    /**
     * @param key  setting name
     * @param dflt value when absent
     * @return the list of texts
     * @throws PermanentDeliveryException when not a list
     */
    public List<String> stringList(String key, List<String> dflt) {
        Object value = all().get(key);
        if (value == null) {
            return dflt;
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            list.forEach(v -> out.add(String.valueOf(v)));
            return List.copyOf(out);
        }
        throw invalid(key, "must be a list");
    }

    /**
     * @param key  setting name
     * @param dflt value when absent (may be null)
     * @return the absolute http(s) URL, or null when absent without a default
     * @throws PermanentDeliveryException when not an absolute http(s) URL with a host
     */
    public URI url(String key, String dflt) {
        String text = string(key, dflt);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw invalid(key, "must be an absolute http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(key, "is not a valid URL: " + e.getReason());
        }
    }

    /**
     * @return the read timeout: setting {@value #TIMEOUT_MS}, default 30 s ({@code timeout(TIMEOUT_MS,
     *         DEFAULT_READ_TIMEOUT)})
     * @throws PermanentDeliveryException when the setting is not a positive number
     */
    public Duration readTimeout() {
        return timeout(TIMEOUT_MS, DEFAULT_READ_TIMEOUT);
    }

    /**
     * @param key setting with a read timeout in milliseconds ({@code timeout_ms})
     * @param def timeout when the setting is absent
     * @return the timeout
     * @throws PermanentDeliveryException when the value is not a positive whole number
     */
    public Duration timeout(String key, Duration def) {
        Object value = all().get(key);
        if (value == null) {
            return def;
        }
        Long millis;
        try {
            millis = wholeNumber(value, key);
        } catch (PermanentDeliveryException e) {
            millis = null;
        }
        if (millis == null || millis <= 0) {
            throw invalid(key, "must be a positive number of milliseconds, got '" + value + "'");
        }
        return Duration.ofMillis(millis);
    }

    // ---- nested maps --------------------------------------------------------------------------------

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
     * @return the boolean value (also from the texts {@code true}/{@code false})
     * @throws PermanentDeliveryException for any other value
     */
    public boolean bool(Map<String, ?> map, String key, String path, boolean def) {
        Object value = map == null ? null : map.get(key);
        if (value == null) {
            return def;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(path, "must be true or false, got '" + text + "'");
    }

    /**
     * @param map  a settings map
     * @param key  key in {@code map}
     * @param path dotted key for messages
     * @param def  value when absent or blank
     * @return the whole number
     * @throws PermanentDeliveryException when the value is not a whole number
     */
    public long integer(Map<String, ?> map, String key, String path, long def) {
        Long value = wholeNumber(map == null ? null : map.get(key), path);
        return value == null ? def : value;
    }

    /**
     * @return the value as a whole number (a number without fraction, or such a text), null when absent or blank
     * @throws PermanentDeliveryException when it is something else
     */
    private Long wholeNumber(Object value, String path) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(path, "must be a whole number, got '" + text + "'");
        }
    }
}
