package io.leadhub.dispatch.crmhttp;

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
 * Typed access to a destination's connector-specific settings ({@link DestinationConfig#settings()}: every key of
 * the tenant file's destination entry that is not common to all types, placeholders resolved). A wrong value is a
 * {@link PermanentDeliveryException} whose message names the destination and the key (the JSON Schema catches most
 * mistakes when the file is loaded; this catches values that only a placeholder made wrong).
 */
public final class DestinationSettings {

    /** Setting: read timeout in milliseconds, default 30000. */
    public static final String TIMEOUT_MS = "timeout_ms";
    /** Read timeout without a {@value #TIMEOUT_MS} setting. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final String crm;
    private final DestinationConfig destination;
    private final Map<String, Object> settings;

    /**
     * @param crm         CRM display name, for messages
     * @param destination the destination
     */
    public DestinationSettings(String crm, DestinationConfig destination) {
        this.crm = Objects.requireNonNull(crm, "crm");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.settings = destination.settings();
    }

    /**
     * @param key  setting name
     * @param dflt value when absent or blank (may be null)
     * @return the value as text, trimmed
     */
    public String string(String key, String dflt) {
        Object value = settings.get(key);
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
            throw new PermanentDeliveryException(crm + " destination " + destination.id() + ": setting " + key
                    + " is required", 0, null, null);
        }
        return value;
    }

    /**
     * @param key setting name
     * @return the whole number, or null when absent or blank
     * @throws PermanentDeliveryException when not a whole number
     */
    public Long optionalLong(String key) {
        Object value = settings.get(key);
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
            throw invalid(key, "must be a whole number, got '" + text + "'");
        }
    }

    /**
     * @param key  setting name
     * @param dflt value when absent
     * @return true/false (also from the texts {@code true}/{@code false})
     * @throws PermanentDeliveryException for any other value
     */
    public boolean bool(String key, boolean dflt) {
        Object value = settings.get(key);
        if (value == null) {
            return dflt;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(key, "must be true or false, got '" + text + "'");
    }

    /**
     * @param key setting name of a secret (a {@code ${ENV_VAR}} placeholder in the file)
     * @return the secret, {@link Secret#empty()} when absent
     */
    public Secret secret(String key) {
        Object value = settings.get(key);
        if (value instanceof Secret s) {
            return s;
        }
        return value == null ? Secret.empty() : Secret.of(value.toString());
    }

    /**
     * @param key setting name
     * @return the map (string keys, plain values), empty when absent
     * @throws PermanentDeliveryException when not a map
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        Object value = settings.get(key);
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
        Object value = settings.get(key);
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
     * @return the absolute http(s) URL
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
     * @return the read timeout: setting {@value #TIMEOUT_MS} (positive milliseconds), default 30 s
     * @throws PermanentDeliveryException when the setting is not a positive number
     */
    public Duration readTimeout() {
        Object value = settings.get(TIMEOUT_MS);
        if (value == null) {
            return DEFAULT_READ_TIMEOUT;
        }
        Long millis;
        try {
            millis = optionalLong(TIMEOUT_MS);
        } catch (PermanentDeliveryException e) {
            millis = null;
        }
        if (millis == null || millis <= 0) {
            throw invalid(TIMEOUT_MS, "must be a positive number of milliseconds, got '" + value + "'");
        }
        return Duration.ofMillis(millis);
    }

    private PermanentDeliveryException invalid(String key, String reason) {
        return new PermanentDeliveryException(crm + " destination " + destination.id() + ": setting " + key + " "
                + reason, 0, null, null);
    }
}
