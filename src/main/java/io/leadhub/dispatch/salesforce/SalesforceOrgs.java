package io.leadhub.dispatch.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantChange;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * One camel-salesforce {@link SalesforceComponent} per {@code salesforce} destination, since every tenant has its
 * own org, connected app and user. Each is registered in the CamelContext as
 * {@code salesforce-<tenant>-<destination>} (visible in Hawtio/JMX with its endpoints), configured with its own
 * {@link SalesforceLoginConfig} for the OAuth 2.0 JWT bearer flow, and logs in when it is created.
 *
 * <p>camel-salesforce does the HTTP work (Jetty client): the token request
 * ({@code POST <login_url>/services/oauth2/token}, form {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer},
 * {@code assertion} = RS256 JWT with {@code iss} = client id, {@code sub} = username, {@code aud} = jwt audience or
 * login URL, {@code exp} = now + 270 s), the {@code Authorization: Bearer} header, and on a 401 answer one re-login
 * followed by one retry of the request (the Jetty client's {@code maxRetries} is set to 1).
 *
 * <p>A destination whose login settings change gets a new component at its next delivery (the old one is stopped,
 * which revokes its token); the components of removed destinations are stopped when {@link TenantRegistry}
 * reports the change. Thread-safe.
 */
@Component("salesforceOrgs")
public class SalesforceOrgs {

    /** Prefix of the component names in the CamelContext. */
    public static final String COMPONENT_PREFIX = "salesforce-";

    /** TCP connect timeout of every request. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** camel-salesforce header naming the SOQL of a {@code query}. */
    private static final String SOQL_HEADER = SalesforceEndpointConfig.SOBJECT_QUERY;

    private static final Logger log = LoggerFactory.getLogger(SalesforceOrgs.class);
    /** Reads the token endpoint's error bodies. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext camel;
    private final Map<OrgKey, Org> orgs = new ConcurrentHashMap<>();
    private final Map<OrgKey, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param camel   the CamelContext the components are registered in
     * @param tenants tenant files, to stop the components of destinations that are removed (absent in tests)
     */
    @Autowired
    public SalesforceOrgs(CamelContext camel, Optional<TenantRegistry> tenants) {
        this.camel = Objects.requireNonNull(camel, "camel");
        tenants.ifPresent(registry -> registry.addListener(change -> onTenantChange(change, registry::find)));
    }

    /**
     * Returns the destination's org connection, creating (and logging in) its component when there is none yet or
     * its login settings changed.
     *
     * @param tenant      tenant id
     * @param destination destination id
     * @param settings    the destination's current settings (credentials present)
     * @return the connection
     * @throws PermanentDeliveryException when the keystore cannot be used (missing file, wrong password, not exactly
     *                                    one key) or the token endpoint refuses the JWT (400, e.g. {@code invalid_grant}:
     *                                    user not pre-authorised, certificate mismatch, wrong audience)
     * @throws TransientDeliveryException when the token endpoint does not answer or answers 5xx
     */
    public Org org(String tenant, String destination, SalesforceSettings settings) {
        OrgKey key = new OrgKey(tenant, destination);
        Login login = Login.of(settings);
        Org current = orgs.get(key);
        if (current != null && current.login.equals(login)) {
            return current;
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            current = orgs.get(key);
            if (current != null && current.login.equals(login)) {
                return current;
            }
            if (current != null) {
                log.info("Salesforce destination {}/{}: login settings changed, replacing component {}", tenant,
                        destination, current.componentName);
                dispose(key);
            }
            Org created = create(key, login);
            orgs.put(key, created);
            return created;
        }
    }

    /**
     * Stops and removes the component of one destination, if it has one.
     *
     * @param tenant      tenant id
     * @param destination destination id
     */
    public void remove(String tenant, String destination) {
        OrgKey key = new OrgKey(tenant, destination);
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            dispose(key);
        }
    }

    /** @return the names of the components currently registered, sorted */
    public List<String> componentNames() {
        List<String> names = new ArrayList<>(orgs.values().stream().map(o -> o.componentName).toList());
        Collections.sort(names);
        return names;
    }

    /**
     * Stops the components of destinations that are gone: every destination of a removed tenant, and of a changed
     * tenant the destinations that no longer exist, are disabled or are no longer of type {@code salesforce}.
     *
     * @param change  what the registry reloaded
     * @param tenants the current configuration of a tenant id
     */
    void onTenantChange(TenantChange change, Function<String, Optional<TenantConfig>> tenants) {
        for (OrgKey key : List.copyOf(orgs.keySet())) {
            boolean affected = change.removed().contains(key.tenant()) || change.changed().contains(key.tenant());
            if (!affected) {
                continue;
            }
            boolean keep = tenants.apply(key.tenant())
                    .flatMap(t -> t.destination(key.destination()))
                    .filter(DestinationConfig::enabled)
                    .filter(d -> SalesforceConnector.TYPE.equals(d.type()))
                    .isPresent();
            if (!keep) {
                remove(key.tenant(), key.destination());
            }
        }
    }

    private void dispose(OrgKey key) {
        Org org = orgs.remove(key);
        if (org != null) {
            org.close();
        }
    }

    private Org create(OrgKey key, Login login) {
        String where = "Salesforce destination " + key.tenant() + "/" + key.destination() + ": ";
        String keystoreType = checkKeystore(where, login.keystorePath(), login.keystorePassword());
        String name = componentName(key);

        SalesforceLoginConfig config = new SalesforceLoginConfig();
        config.setType(AuthenticationType.JWT);
        config.setLoginUrl(login.loginUrl());
        config.setInstanceUrl(login.instanceUrl());
        config.setClientId(login.clientId());
        config.setUserName(login.username());
        config.setJwtAudience(login.jwtAudience());
        KeyStoreParameters keystore = new KeyStoreParameters();
        keystore.setResource("file:" + login.keystorePath().toAbsolutePath());
        keystore.setType(keystoreType);
        keystore.setPassword(login.keystorePassword().reveal());
        config.setKeystore(keystore);
        config.setLazyLogin(false);

        SalesforceComponent component = new SalesforceComponent();
        component.setLoginConfig(config);
        component.setPackages(SalesforceOrgs.class.getPackageName()); // no generated DTOs: raw JSON payloads only
        component.setWorkerPoolSize(2);
        component.setWorkerPoolMaxSize(4);
        Map<String, Object> http = new HashMap<>();
        http.put("maxRetries", 1); // on 401: one re-login, then one retry of the request
        http.put(SalesforceComponent.HTTP_CONNECTION_TIMEOUT, CONNECT_TIMEOUT.toMillis());
        http.put(SalesforceComponent.HTTP_REQUEST_TIMEOUT, login.timeout().toMillis());
        component.setHttpClientProperties(http);

        String loginRequest = "Salesforce login (POST " + login.loginUrl() + "/services/oauth2/token)";
        try {
            camel.addComponent(name, component); // starts the component: the JWT bearer login happens here
        } catch (RuntimeException e) {
            ServiceHelper.stopAndShutdownService(component);
            throw loginFailure(loginRequest, e);
        }
        try {
            String options = "?rawPayload=true&apiVersion=" + login.apiVersion();
            Endpoint query = camel.getEndpoint(name + ":query" + options);
            Endpoint composite = camel.getEndpoint(name + ":composite" + options);
            Producer queryProducer = query.createProducer();
            Producer compositeProducer = composite.createProducer();
            ServiceHelper.startService(queryProducer, compositeProducer);
            log.info("Salesforce destination {}/{}: component {} logged in", key.tenant(), key.destination(), name);
            return new Org(name, login, query, queryProducer, composite, compositeProducer);
        } catch (Exception e) {
            try {
                camel.removeEndpoints(name + ":*");
            } catch (Exception ignored) {
                // the component is removed below either way
            }
            camel.removeComponent(name);
            throw new TransientDeliveryException(where + "cannot start the camel-salesforce endpoints: "
                    + e.getClass().getSimpleName(), 0, null, null, null);
        }
    }

    private String componentName(OrgKey key) {
        String base = COMPONENT_PREFIX + key.tenant() + "-" + key.destination();
        String name = base;
        // "a-b" + "c" and "a" + "b-c" give the same name: the later one gets a suffix
        for (int i = 2; camel.hasComponent(name) != null; i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private DeliveryException loginFailure(String loginRequest, RuntimeException e) {
        SalesforceException salesforce = find(e, SalesforceException.class);
        if (salesforce != null) {
            return SalesforceErrors.fromCamel(loginRequest, salesforce, JSON, Masking::text);
        }
        if (find(e, IOException.class) != null) {
            return new TransientDeliveryException(loginRequest + ": no response ("
                    + find(e, IOException.class).getClass().getSimpleName() + ")", 0, null, null, null);
        }
        // keystore problems found by camel-salesforce itself (checked beforehand, so unexpected here)
        return new PermanentDeliveryException(loginRequest + ": " + e.getClass().getSimpleName() + ": "
                + Masking.text(String.valueOf(e.getMessage())), 0, null, null);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Checks what camel-salesforce needs from the keystore before it signs a JWT: a readable file that the password
     * opens, with exactly one private key entry.
     *
     * @return the keystore type ({@code PKCS12} or {@code JKS})
     */
    static String checkKeystore(String where, Path path, Secret password) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new PermanentDeliveryException(where + "setting " + SalesforceSettings.KEYSTORE_PATH + ": " + path
                    + " is not a readable file", 0, null, null);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(path.toFile(), password.reveal().toCharArray());
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase().contains("password");
            throw new PermanentDeliveryException(where + (wrongPassword
                    ? "setting " + SalesforceSettings.KEYSTORE_PASSWORD + " does not open the keystore " + path
                    : "setting " + SalesforceSettings.KEYSTORE_PATH + ": " + path + " is not a PKCS#12 or JKS keystore ("
                    + e.getClass().getSimpleName() + ")"), 0, null, null);
        } catch (GeneralSecurityException e) {
            throw new PermanentDeliveryException(where + "setting " + SalesforceSettings.KEYSTORE_PATH + ": " + path
                    + " is not a PKCS#12 or JKS keystore (" + e.getClass().getSimpleName() + ")", 0, null, null);
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new PermanentDeliveryException(where + "setting " + SalesforceSettings.KEYSTORE_PATH + ": " + path
                        + " must hold exactly one private key, it holds " + keys.size(), 0, null, null);
            }
            store.getKey(keys.get(0), password.reveal().toCharArray());
        } catch (UnrecoverableKeyException e) {
            throw new PermanentDeliveryException(where + "setting " + SalesforceSettings.KEYSTORE_PASSWORD
                    + " does not open the private key in " + path + " (store and key password must be the same)",
                    0, null, null);
        } catch (GeneralSecurityException e) {
            throw new PermanentDeliveryException(where + "setting " + SalesforceSettings.KEYSTORE_PATH + ": " + path
                    + ": " + e.getClass().getSimpleName(), 0, null, null);
        }
        return store.getType().toUpperCase();
    }

    /** Identifies a destination. */
    private record OrgKey(String tenant, String destination) {
    }

    /**
     * The settings a component is built from; a change of any of them replaces the component.
     * {@link Secret#toString()} keeps the password out of this record's {@code toString()}.
     */
    private record Login(String loginUrl, String instanceUrl, String clientId, String username, Path keystorePath,
                         Secret keystorePassword, String jwtAudience, String apiVersion, Duration timeout) {

        static Login of(SalesforceSettings s) {
            return new Login(s.loginUrl(), s.instanceUrl(), s.clientId(), s.username(), s.keystorePath(),
                    s.keystorePassword(), s.jwtAudience(), s.apiVersion(), s.timeout());
        }
    }

    /**
     * A logged-in connection to one destination's org: the {@code query} and {@code composite} endpoints of its
     * component (raw JSON payloads).
     */
    public static final class Org {

        private final String componentName;
        private final Login login;
        private final Endpoint queryEndpoint;
        private final Producer queryProducer;
        private final Endpoint compositeEndpoint;
        private final Producer compositeProducer;

        private Org(String componentName, Login login, Endpoint queryEndpoint, Producer queryProducer,
                    Endpoint compositeEndpoint, Producer compositeProducer) {
            this.componentName = componentName;
            this.login = login;
            this.queryEndpoint = queryEndpoint;
            this.queryProducer = queryProducer;
            this.compositeEndpoint = compositeEndpoint;
            this.compositeProducer = compositeProducer;
        }

        /** @return the component's name in the CamelContext, e.g. {@code salesforce-acme-salesforce-main} */
        public String componentName() {
            return componentName;
        }

        /**
         * Runs a SOQL query (camel-salesforce {@code query}: {@code GET /services/data/vNN.N/query/?q=<soql>}).
         *
         * @param soql the query
         * @return the answer: 200 with {@code {"totalSize":n,"done":true,"records":[...]}}, or the error status and
         *         body (camel-salesforce reports query errors as a {@link SalesforceException}; its status and body
         *         are returned here)
         * @throws SalesforceCallException when no answer was received (connection refused, timeout)
         */
        SalesforceResponse query(String soql) {
            return call(queryEndpoint, queryProducer, exchange -> exchange.getIn().setHeader(SOQL_HEADER, soql));
        }

        /**
         * Sends a composite request (camel-salesforce {@code composite} with a raw payload:
         * {@code POST /services/data/vNN.N/composite}).
         *
         * @param json the composite body, {@code {"allOrNone":true,"compositeRequest":[...]}}
         * @return the answer's status and body (200 with {@code compositeResponse} also when subrequests failed;
         *         the error status and body when the whole request was refused, e.g. 403 {@code REQUEST_LIMIT_EXCEEDED})
         * @throws SalesforceCallException when no answer was received
         */
        SalesforceResponse composite(String json) {
            return call(compositeEndpoint, compositeProducer, exchange -> exchange.getIn().setBody(json));
        }

        private static SalesforceResponse call(Endpoint endpoint, Producer producer, Consumer<Exchange> prepare) {
            Exchange exchange = endpoint.createExchange();
            prepare.accept(exchange);
            try {
                producer.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failure = exchange.getException();
            if (failure != null) {
                SalesforceException salesforce = find(failure, SalesforceException.class);
                if (salesforce == null) {
                    salesforce = new SalesforceException(failure.getClass().getSimpleName(), 0, failure);
                }
                if (salesforce.getStatusCode() == 0) {
                    throw new SalesforceCallException(salesforce);
                }
                String body = SalesforceErrors.body(salesforce, JSON);
                return new SalesforceResponse(salesforce.getStatusCode(), body == null ? "" : body);
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            return new SalesforceResponse(status == null ? 200 : status, readBody(exchange));
        }

        private static String readBody(Exchange exchange) {
            Object body = exchange.getMessage().getBody();
            if (body == null) {
                return "";
            }
            if (body instanceof InputStream in) {
                try (in) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new SalesforceCallException(new SalesforceException("response body unreadable", 0, e));
                }
            }
            return exchange.getMessage().getBody(String.class);
        }

        private void close() {
            ServiceHelper.stopService(queryProducer, compositeProducer);
            CamelContext camel = queryEndpoint.getCamelContext();
            try {
                camel.removeEndpoints(componentName + ":*");
            } catch (Exception e) {
                log.warn("Salesforce component {}: removing its endpoints failed: {}", componentName,
                        e.getClass().getSimpleName());
            }
            camel.removeComponent(componentName); // stops it, which revokes its token
            log.info("Salesforce component {} stopped", componentName);
        }
    }

    /** A request got no answer (connection refused, timeout): camel-salesforce's exception with status 0. */
    static final class SalesforceCallException extends RuntimeException {

        private final transient SalesforceException salesforce;

        SalesforceCallException(SalesforceException salesforce) {
            super(salesforce.getClass().getSimpleName() + " (status " + salesforce.getStatusCode() + ")");
            this.salesforce = salesforce;
        }

        /** @return camel-salesforce's exception (its message may contain personal data: never log it) */
        SalesforceException salesforce() {
            return salesforce;
        }
    }
}
