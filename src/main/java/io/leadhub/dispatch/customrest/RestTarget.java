package io.leadhub.dispatch.customrest;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import io.leadhub.dispatch.http.Settings;
import io.leadhub.dispatch.http.StatusPolicy;
import io.leadhub.tenant.DestinationConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpMethod;

/**
 * A REST destination as configured in the tenant file: where the lead is looked up, created and updated, how
 * requests authenticate, which answers are retried. Built from a destination's settings by {@link #parse};
 * used by {@link RestTargetClient}. Immutable.
 *
 * @param system            system name for messages, e.g. {@code custom REST}, {@code LeadPro}
 * @param type              destination type for messages, e.g. {@code custom_rest}
 * @param baseUrl           {@code base_url}
 * @param auth              {@code auth}
 * @param headers           {@code headers}: extra request headers (not secret: secrets belong in {@code auth})
 * @param bodyRoot          {@code body_root}: dotted key the properties are nested under ({@code lead},
 *                          {@code data.attributes}), or null for the properties object itself
 * @param searches          {@code search}: lookups tried in order; the first that yields an id is the match
 * @param create            {@code create}, or null when a lead that is not found is not created (LeadPro default)
 * @param update            {@code update}, or null when a found lead is left as it is
 * @param statusPolicy      {@code retry_on}
 * @param idempotencyHeader {@code idempotency_header}: header carrying a key stable per tenant, destination and
 *                          event on every create (default {@code Idempotency-Key}), or null when disabled
 * @param timeout           {@code timeout_ms}: read timeout (default 30 s)
 * @param fieldNames        {@code field_names}: mapped property name → field name in the body; properties not
 *                          listed keep their name
 */
public record RestTarget(String system, String type, URI baseUrl, RestAuth auth, Map<String, String> headers,
                         String bodyRoot, List<RestEndpoint> searches, RestEndpoint create, RestEndpoint update,
                         StatusPolicy statusPolicy, String idempotencyHeader, Duration timeout,
                         Map<String, String> fieldNames) {

    /** Read timeout when {@code timeout_ms} is absent. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Header of the idempotency key when {@code idempotency_header} is absent. */
    public static final String DEFAULT_IDEMPOTENCY_HEADER = "Idempotency-Key";

    /** JSONPath of the created record's id when {@code create.id_path} is absent. */
    public static final String DEFAULT_CREATE_ID_PATH = "$.id";

    /**
     * Defaults a connector type built on this machinery puts in place of absent settings (LeadPro).
     *
     * @param search   {@code search} when absent (a map or list of maps, as in the tenant file), or null
     * @param create   {@code create} when absent, or null for "do not create"
     * @param update   {@code update} when absent, or null
     * @param authType {@code auth.type} when {@code auth} is given without a type
     */
    public record Defaults(Object search, Map<String, Object> create, Map<String, Object> update, String authType) {
        /** custom_rest: nothing is assumed; {@code create} must be configured. */
        public static final Defaults NONE = new Defaults(null, null, null, "bearer");
    }

    /**
     * @param system      system name for messages
     * @param destination the destination ({@code base_url} required)
     * @param defaults    what absent settings mean
     * @param createRequired true when {@code create} must be present after defaults (custom_rest)
     * @return the target
     * @throws io.leadhub.dispatch.PermanentDeliveryException naming the key of an invalid or missing setting
     */
    public static RestTarget parse(String system, DestinationConfig destination, Defaults defaults,
                                   boolean createRequired) {
        Settings s = new Settings(destination.type(), destination);
        Map<String, Object> all = s.all();
        if (destination.baseUrl() == null) {
            throw s.invalid("base_url", "is required for type " + destination.type());
        }
        RestAuth auth = RestAuth.parse(s, s.map(all, "auth", "auth"), destination.token(), destination.baseUrl(),
                defaults.authType());

        Map<String, String> headers = new LinkedHashMap<>();
        s.map(all, "headers", "headers").forEach((k, v) -> headers.put(k, s.requiredString(Map.of(k, v == null ? "" : v),
                k, "headers." + k)));

        String bodyRoot = s.string(all, "body_root", "body_root", null);
        if (bodyRoot != null && (bodyRoot.isBlank() || bodyRoot.startsWith(".") || bodyRoot.endsWith(".")
                || bodyRoot.contains(".."))) {
            throw s.invalid("body_root", "must be a key or dotted keys such as data.attributes, got '" + bodyRoot + "'");
        }

        List<RestEndpoint> searches = new ArrayList<>();
        Object search = all.containsKey("search") ? all.get("search") : defaults.search();
        if (search instanceof Map<?, ?> one) {
            searches.add(endpoint(s, asMap(one), "search", "GET", null, true));
        } else if (search instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> m)) {
                    throw s.invalid("search[" + i + "]", "must be a mapping {method, path, id_path}");
                }
                searches.add(endpoint(s, asMap(m), "search[" + i + "]", "GET", null, true));
            }
        } else if (search != null) {
            throw s.invalid("search", "must be a mapping {method, path, id_path} or a list of them");
        }

        Map<String, Object> createMap = all.containsKey("create") ? s.map(all, "create", "create") : defaults.create();
        RestEndpoint create = createMap == null ? null
                : endpoint(s, createMap, "create", "POST", DEFAULT_CREATE_ID_PATH, false);
        if (create == null && createRequired) {
            throw s.invalid("create", "is required: {method: POST, path: /leads}");
        }
        Map<String, Object> updateMap = all.containsKey("update") ? s.map(all, "update", "update") : defaults.update();
        RestEndpoint update = updateMap == null ? null : endpoint(s, updateMap, "update", "PUT", null, false);

        StatusPolicy policy;
        try {
            policy = StatusPolicy.parse(all.get("retry_on"));
        } catch (IllegalArgumentException e) {
            throw s.invalid("retry_on", e.getMessage());
        }
        String idempotency = s.string(all, "idempotency_header", "idempotency_header", DEFAULT_IDEMPOTENCY_HEADER);
        Map<String, String> fieldNames = new LinkedHashMap<>();
        s.map(all, "field_names", "field_names").forEach((k, v) -> fieldNames.put(k,
                s.requiredString(Map.of(k, v == null ? "" : v), k, "field_names." + k)));
        return new RestTarget(system, destination.type(), destination.baseUrl(), auth, Map.copyOf(headers), bodyRoot,
                List.copyOf(searches), create, update, policy, idempotency == null || idempotency.isBlank() ? null
                : idempotency, s.timeout("timeout_ms", DEFAULT_TIMEOUT), Map.copyOf(fieldNames));
    }

    private static RestEndpoint endpoint(Settings s, Map<String, Object> map, String key, String defaultMethod,
                                         String defaultIdPath, boolean idPathRequired) {
        String methodName = s.string(map, "method", key + ".method", defaultMethod).toUpperCase(Locale.ROOT);
        if (!List.of("GET", "POST", "PUT", "PATCH").contains(methodName)) {
            throw s.invalid(key + ".method", "must be GET, POST, PUT or PATCH, got '" + methodName + "'");
        }
        PathTemplate path;
        try {
            path = PathTemplate.parse(s.requiredString(map, "path", key + ".path"));
        } catch (IllegalArgumentException e) {
            throw s.invalid(key + ".path", e.getMessage());
        }
        String idPathText = s.string(map, "id_path", key + ".id_path", defaultIdPath);
        if (idPathText == null && idPathRequired) {
            throw s.invalid(key + ".id_path", "is required: the JSONPath of the record id in the answer, e.g. $.data[0].id");
        }
        JsonPath idPath = null;
        if (idPathText != null) {
            try {
                idPath = JsonPath.compile(idPathText);
            } catch (InvalidPathException | IllegalArgumentException e) {
                throw s.invalid(key + ".id_path", "is not a JSONPath: " + e.getMessage());
            }
        }
        Map<String, Object> body = map.containsKey("body") ? s.map(map, "body", key + ".body") : null;
        if (body != null && methodName.equals("GET")) {
            throw s.invalid(key + ".body", "is only allowed with method POST, PUT or PATCH");
        }
        return new RestEndpoint(key, HttpMethod.valueOf(methodName), path, idPath, body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
