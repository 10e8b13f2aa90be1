package io.leadhub.dispatch.salesforce;

import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;

/**
 * The settings of one {@code type: salesforce} destination, read from the tenant file's destination entry
 * ({@link DestinationConfig#settings()}, placeholders already resolved).
 *
 * <p>Keys (see docs/tenant-file.md, "Keys of type salesforce"):
 * {@value #LOGIN_URL}, {@value #INSTANCE_URL}, {@value #CLIENT_ID}, {@value #USERNAME}, {@value #KEYSTORE_PATH},
 * {@value #KEYSTORE_PASSWORD} (secret), {@value #JWT_AUDIENCE}, {@value #API_VERSION}, {@value #EXTERNAL_ID_FIELD},
 * {@value #PHONE_FIELD}, {@value #TIMEOUT_MS} and {@value #TASK} ({@link TaskSettings}).
 *
 * @param loginUrl         OAuth server of the JWT bearer flow, without trailing {@code /}
 *                         (default {@value SalesforceLoginConfig#DEFAULT_LOGIN_URL})
 * @param instanceUrl      REST API base URL overriding the login response's {@code instance_url}, or null
 * @param clientId         connected app consumer key (JWT {@code iss}), or null when not configured
 * @param username         the pre-authorised Salesforce user (JWT {@code sub}), or null when not configured
 * @param keystorePath     PKCS#12 or JKS keystore holding exactly one private key (the connected app's
 *                         certificate key), or null when not configured
 * @param keystorePassword password of the keystore and of its key ({@link Secret#empty()} when not configured)
 * @param jwtAudience      JWT {@code aud}; null = {@code loginUrl}
 * @param apiVersion       REST API version, {@code NN.N} (default Camel's {@value SalesforceEndpointConfig#DEFAULT_VERSION})
 * @param externalIdField  Lead field marked "External ID" that holds the lead's E.164 phone, or null (no upsert)
 * @param phoneField       Lead field the phone lookup queries (default {@code Phone})
 * @param timeout          total time of one HTTP request, login included (default 30 s)
 * @param task             the follow-up Task written with every lead
 */
public record SalesforceSettings(
        String loginUrl,
        String instanceUrl,
        String clientId,
        String username,
        Path keystorePath,
        Secret keystorePassword,
        String jwtAudience,
        String apiVersion,
        String externalIdField,
        String phoneField,
        Duration timeout,
        TaskSettings task) {

    /** Key: OAuth server of the JWT bearer flow. */
    public static final String LOGIN_URL = "login_url";
    /** Key: REST API base URL overriding the login response's {@code instance_url}. */
    public static final String INSTANCE_URL = "instance_url";
    /** Key: connected app consumer key. */
    public static final String CLIENT_ID = "client_id";
    /** Key: Salesforce username the connected app acts as. */
    public static final String USERNAME = "username";
    /** Key: keystore file with the private key. */
    public static final String KEYSTORE_PATH = "keystore_path";
    /** Key: keystore and key password (secret). */
    public static final String KEYSTORE_PASSWORD = "keystore_password";
    /** Key: JWT audience. */
    public static final String JWT_AUDIENCE = "jwt_audience";
    /** Key: REST API version. */
    public static final String API_VERSION = "api_version";
    /** Key: Lead external-id field holding the E.164 phone. */
    public static final String EXTERNAL_ID_FIELD = "external_id_field";
    /** Key: Lead field queried for the phone. */
    public static final String PHONE_FIELD = "phone_field";
    /** Key: request timeout in milliseconds. */
    public static final String TIMEOUT_MS = "timeout_ms";
    /** Key: follow-up Task settings. */
    public static final String TASK = "task";

    /** Request timeout when {@value #TIMEOUT_MS} is not set. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Lead field queried for the phone when {@value #PHONE_FIELD} is not set. */
    static final String DEFAULT_PHONE_FIELD = "Phone";

    private static final Pattern API_VERSION_PATTERN = Pattern.compile("\\d{2,3}\\.0");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

    /**
     * @throws NullPointerException when a value with a default ({@code loginUrl}, {@code apiVersion},
     *                              {@code phoneField}, {@code timeout}, {@code task}) is null; use {@link #of}
     */
    public SalesforceSettings {
        Objects.requireNonNull(loginUrl, "loginUrl");
        keystorePassword = keystorePassword == null ? Secret.empty() : keystorePassword;
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(phoneField, "phoneField");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(task, "task");
    }

    /**
     * Reads and checks a destination's settings.
     *
     * @param destination a {@code salesforce} destination
     * @return its settings, defaults applied
     * @throws PermanentDeliveryException (status 0) naming the key when a value is malformed (a URL that is not
     *                                    http(s), an API version not {@code NN.0}, a field name with other
     *                                    characters than letters, digits and {@code _}, a non-positive number)
     */
    public static SalesforceSettings of(DestinationConfig destination) {
        Map<String, Object> s = destination.settings();
        String where = "Salesforce destination " + destination.id() + ": ";
        String loginUrl = url(where, LOGIN_URL, text(s, LOGIN_URL));
        loginUrl = loginUrl == null ? SalesforceLoginConfig.DEFAULT_LOGIN_URL : loginUrl;
        String instanceUrl = url(where, INSTANCE_URL, text(s, INSTANCE_URL));
        String apiVersion = text(s, API_VERSION);
        if (apiVersion == null) {
            apiVersion = SalesforceEndpointConfig.DEFAULT_VERSION;
        } else {
            apiVersion = apiVersion.startsWith("v") ? apiVersion.substring(1) : apiVersion;
            if (!API_VERSION_PATTERN.matcher(apiVersion).matches()) {
                throw invalid(where, API_VERSION, "must be a REST API version such as 56.0, got '" + apiVersion + "'");
            }
        }
        String keystore = text(s, KEYSTORE_PATH);
        Object password = s.get(KEYSTORE_PASSWORD);
        String phoneField = field(where, PHONE_FIELD, text(s, PHONE_FIELD));
        return new SalesforceSettings(loginUrl, instanceUrl, text(s, CLIENT_ID), text(s, USERNAME),
                keystore == null ? null : Path.of(keystore),
                password instanceof Secret secret ? secret : Secret.of(password == null ? null : password.toString()),
                text(s, JWT_AUDIENCE),
                apiVersion,
                field(where, EXTERNAL_ID_FIELD, text(s, EXTERNAL_ID_FIELD)),
                phoneField == null ? DEFAULT_PHONE_FIELD : phoneField,
                timeout(where, s.get(TIMEOUT_MS)),
                TaskSettings.of(where, s.get(TASK)));
    }

    /** @return true when client id, username, keystore path and keystore password are all set (non-blank) */
    public boolean hasCredentials() {
        return missingCredential() == null;
    }

    /** @return the first of {@code client_id, username, keystore_path, keystore_password} that is empty, or null */
    public String missingCredential() {
        if (clientId == null) {
            return CLIENT_ID;
        }
        if (username == null) {
            return USERNAME;
        }
        if (keystorePath == null) {
            return KEYSTORE_PATH;
        }
        if (keystorePassword.isEmpty()) {
            return KEYSTORE_PASSWORD;
        }
        return null;
    }

    /**
     * @param destination the destination these settings belong to
     * @return true when the requests must be written to files: {@code dry_run: true}, or {@code dry_run: auto} while
     *         a credential ({@link #missingCredential()}) resolved empty
     */
    public boolean isDryRun(DestinationConfig destination) {
        return destination.dryRun() == DryRun.ON || (destination.dryRun() == DryRun.AUTO && !hasCredentials());
    }

    /** @return the REST API root below the instance URL, e.g. {@code /services/data/v56.0} */
    public String dataPath() {
        return "/services/data/v" + apiVersion;
    }

    /**
     * The destination's follow-up Task ({@code task:} key).
     *
     * @param enabled         false = only the Lead is written ({@code task.enabled}, default true)
     * @param subject         {@code Subject} ({@code task.subject}, default {@value #DEFAULT_SUBJECT})
     * @param status          {@code Status} ({@code task.status}, default {@value #DEFAULT_STATUS})
     * @param priority        {@code Priority} ({@code task.priority}, default {@value #DEFAULT_PRIORITY})
     * @param dueInDays       {@code ActivityDate} = today in the tenant's time zone + this many days
     *                        ({@code task.due_in_days}, default 1; null when {@code task.due_in_days: null})
     * @param externalIdField Task field marked "External ID" that receives the LeadHub event id, making the Task
     *                        an upsert ({@code task.external_id_field}), or null
     */
    public record TaskSettings(boolean enabled, String subject, String status, String priority, Integer dueInDays,
                               String externalIdField) {

        /** Default {@code Subject}. */
        public static final String DEFAULT_SUBJECT = "Follow up on LeadHub call";
        /** Default {@code Status} (a standard Task status value). */
        public static final String DEFAULT_STATUS = "Not Started";
        /** Default {@code Priority} (a standard Task priority value). */
        public static final String DEFAULT_PRIORITY = "Normal";
        /** Default {@code due_in_days}. */
        public static final int DEFAULT_DUE_IN_DAYS = 1;

        static final TaskSettings DEFAULT = new TaskSettings(true, DEFAULT_SUBJECT, DEFAULT_STATUS, DEFAULT_PRIORITY,
                DEFAULT_DUE_IN_DAYS, null);

        static TaskSettings of(String where, Object value) {
            if (value == null) {
                return DEFAULT;
            }
            if (value instanceof Boolean b) {
                return b ? DEFAULT : new TaskSettings(false, DEFAULT_SUBJECT, DEFAULT_STATUS, DEFAULT_PRIORITY,
                        DEFAULT_DUE_IN_DAYS, null);
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw invalid(where, TASK, "must be a map (or true/false)");
            }
            Object enabled = map.get("enabled");
            if (enabled != null && !(enabled instanceof Boolean)) {
                throw invalid(where, TASK + ".enabled", "must be true or false");
            }
            Integer due = DEFAULT_DUE_IN_DAYS;
            if (map.containsKey("due_in_days")) {
                Object d = map.get("due_in_days");
                if (d == null) {
                    due = null;
                } else if (d instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 0
                        && n.longValue() <= 3650) {
                    due = n.intValue();
                } else {
                    throw invalid(where, TASK + ".due_in_days", "must be a whole number of days from 0 to 3650");
                }
            }
            return new TaskSettings(enabled == null || (Boolean) enabled,
                    orDefault(text(map, "subject"), DEFAULT_SUBJECT),
                    orDefault(text(map, "status"), DEFAULT_STATUS),
                    orDefault(text(map, "priority"), DEFAULT_PRIORITY),
                    due,
                    field(where, TASK + ".external_id_field", text(map, "external_id_field")));
        }

        private static String orDefault(String value, String fallback) {
            return value == null ? fallback : value;
        }
    }

    // ---- parsing helpers -------------------------------------------------------------------------

    private static String text(Map<?, ?> settings, String key) {
        Object value = settings.get(key);
        if (value == null) {
            return null;
        }
        String text = value instanceof Secret secret ? secret.reveal() : value.toString();
        return text.isBlank() ? null : text.trim();
    }

    private static String url(String where, String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw invalid(where, key, "must be an absolute http(s) URL with a host, got '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw invalid(where, key, "is not a valid URL: " + e.getReason());
        }
        String url = value;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private static String field(String where, String key, String value) {
        if (value != null && !FIELD_NAME.matcher(value).matches()) {
            throw invalid(where, key, "must be a Salesforce field API name (letters, digits, '_'), got '"
                    + value + "'");
        }
        return value;
    }

    private static Duration timeout(String where, Object value) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            long millis = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(where, TIMEOUT_MS, "must be a positive number of milliseconds, got '" + value + "'");
    }

    private static PermanentDeliveryException invalid(String where, String key, String reason) {
        return new PermanentDeliveryException(where + "setting " + key + " " + reason, 0, null, null);
    }
}
