package io.leadhub.dispatch.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.AccessTokenCache;
import io.leadhub.dispatch.http.AccessTokenCache.AccessToken;
import io.leadhub.dispatch.http.CrmUrls;
import io.leadhub.dispatch.http.DryRunFiles;
import io.leadhub.dispatch.http.ErrorDetail;
import io.leadhub.dispatch.http.JsonTrees;
import io.leadhub.dispatch.http.LeadFields;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.dispatch.http.RetryAfter;
import io.leadhub.dispatch.http.Settings;
import io.leadhub.dispatch.http.StatusPolicy;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Delivers leads to Microsoft Dynamics 365 / Dataverse (destination type {@code dynamics}) as rows of the
 * {@code leads} table (or {@code contacts}, setting {@value #SETTING_ENTITY_SET}) through the Web API
 * ({@code {base_url}/api/data/v9.2/}, https://learn.microsoft.com/power-apps/developer/data-platform/webapi/overview).
 *
 * <p>Authentication: OAuth 2.0 client credentials of a Microsoft Entra ID app registration that is an application
 * user of the environment: {@code POST {auth_url}/{tenant_id}/oauth2/v2.0/token} with the form
 * {@code grant_type=client_credentials, client_id, client_secret, scope=<resource>/.default}
 * (https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth). The access token is cached
 * in memory until one minute before {@code expires_in} runs out, and fetched again once when the Web API answers
 * 401. The cache key is the destination id plus a digest of authority, Entra tenant, client id, secret and scope, so
 * the connector and {@link DynamicsWorkflowWriter} share one token per destination (two LeadHub tenants share one
 * only when every one of these is equal, i.e. when it is the same token).
 *
 * <p>Every Web API request carries {@code Authorization: Bearer <token>}, {@code OData-MaxVersion: 4.0},
 * {@code OData-Version: 4.0}, {@code Accept: application/json} (and {@code Content-Type: application/json} with a
 * body). Writes, per duplicate action:
 * <ul>
 *   <li>known row (contact index) and {@code update_existing}: {@code PATCH /leads(<guid>)} with
 *       {@code If-Match: *} (update only; 404 → the row is gone, continue below);</li>
 *   <li>with an alternate key (setting {@value #SETTING_ALTERNATE_KEY}, a column with a Dataverse alternate key, its
 *       value taken from the row being written): {@code PATCH /contacts(emailaddress1='a@b.com')} with
 *       {@code Prefer: return=representation} (create-or-update: 201 = created, 200/204 = updated); {@code skip}
 *       adds {@code If-None-Match: *} (412 = the row exists → skipped);</li>
 *   <li>otherwise search then write: {@code GET /leads?$select=leadid&$filter=telephone1 eq '<phone>'&$top=1}
 *       (then the e-mail column), a hit is updated ({@code PATCH} with {@code If-Match: *}) or skipped, no hit is
 *       created with {@code POST /leads} → 204 + {@code OData-EntityId: .../leads(<guid>)};</li>
 *   <li>{@code create}: always {@code POST}.</li>
 * </ul>
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api,
 * .../update-delete-entities-using-web-api)
 *
 * <p>Row: {@code subject} (leads only: {@code "<name> - <project type>"}), {@code firstname}, {@code lastname},
 * the phone column ({@code telephone1}), the e-mail column ({@code emailaddress1}), {@code address1_city},
 * {@code address1_stateorprovince}, {@code address1_country} from the lead, then the destination's mapped
 * properties (column logical names, {@code x@odata.bind} lookups included), which win.
 *
 * <p>Errors ({@code {"error":{"code","message"}}}): 429 (service protection limits) is transient, waiting
 * {@code Retry-After} seconds (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits); 408,
 * 5xx and I/O errors are transient; other 4xx are permanent with the body; the token endpoint's
 * {@code invalid_client} and the like are permanent.
 */
@Component("dynamicsConnector")
public class DynamicsConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "dynamics";
    /** Entra ID authority used when the destination sets no {@value #SETTING_AUTH_URL}. */
    public static final String DEFAULT_AUTH_URL = "https://login.microsoftonline.com";
    /** Web API path below the environment URL. */
    public static final String API_PATH = "/api/data/v9.2";

    /** Setting: Entra ID tenant (directory) id or domain. */
    public static final String SETTING_TENANT_ID = "tenant_id";
    /** Setting: application (client) id of the app registration. */
    public static final String SETTING_CLIENT_ID = "client_id";
    /** Setting (secret): client secret of the app registration. */
    public static final String SETTING_CLIENT_SECRET = "client_secret";
    /** Setting: authority base URL, default {@value #DEFAULT_AUTH_URL}. */
    public static final String SETTING_AUTH_URL = "auth_url";
    /** Setting: resource of the token scope ({@code <resource>/.default}); default the base URL's origin. */
    public static final String SETTING_RESOURCE = "resource";
    /** Setting: entity set (table) written, default {@code leads}; e.g. {@code contacts}. */
    public static final String SETTING_ENTITY_SET = "entity_set";
    /** Setting: primary key column of the table, default {@code leadid} / {@code contactid} (set name minus s + id). */
    public static final String SETTING_ID_COLUMN = "id_column";
    /** Setting: column holding the lead's phone, default {@code telephone1}. */
    public static final String SETTING_PHONE_COLUMN = "phone_column";
    /** Setting: column holding the lead's e-mail, default {@code emailaddress1}. */
    public static final String SETTING_EMAIL_COLUMN = "email_column";
    /** Setting: a column with an alternate key; when set, writes are upserts by that key. */
    public static final String SETTING_ALTERNATE_KEY = "alternate_key";

    static final String CRM = "Dynamics 365";

    /** The GUID at the end of an {@code OData-EntityId} header: {@code .../leads(<guid>)}. */
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\)\\s*$");
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Logger log = LoggerFactory.getLogger(DynamicsConnector.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final AccessTokenCache tokens;
    private final Clock clock;

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     */
    @Autowired
    public DynamicsConnector(OutboundHttp http, ObjectMapper mapper) {
        this(http, mapper, Clock.systemUTC());
    }

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     * @param clock  clock of the token expiry
     */
    DynamicsConnector(OutboundHttp http, ObjectMapper mapper, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokens = new AccessTokenCache(clock);
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Writes one lead to Dataverse (see the class comment).
     *
     * @param request the mapped lead and its {@code dynamics} destination
     * @return {@code CREATED} / {@code UPDATED} with the row's GUID, {@code SKIPPED} with the matched GUID (or
     *         null when Dataverse did not tell it), or {@code DRY_RUN} with the known GUID (or null)
     * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408, 5xx and I/O errors (status 0),
     *                                    also from the token endpoint
     * @throws PermanentDeliveryException on other 4xx (with the body), a second 401, a create answer without a
     *                                    GUID, or missing/invalid settings (status 0)
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Objects.requireNonNull(request, "request");
        Delivery delivery = new Delivery(request);
        if (request.destination().isDryRun()) {
            return delivery.dryRun();
        }
        DeliveryResult result = delivery.live();
        log.debug("dynamics delivery tenant={} destination={} event={}: {} row {}", request.tenant(),
                request.destination().id(), request.eventId(), result.outcome(), result.crmRecordId());
        return result;
    }

    /** A request as sent and its answer. */
    record Sent(OutboundRequest request, OutboundResponse response) {
    }

    /**
     * Opens Web API access to one destination for one unit of work (a delivery, a workflow action).
     *
     * @param destination a {@code dynamics} destination
     * @param pii         masks the lead's phone and e-mail in error details
     * @param where       log context, e.g. {@code tenant=acme destination=d365}
     * @return the session; {@link Session#login()} gets the token before the first live request
     * @throws PermanentDeliveryException when {@code base_url} is missing or a name setting is not a logical name
     */
    Session session(DestinationConfig destination, UnaryOperator<String> pii, String where) {
        return new Session(destination, pii, where);
    }

    /**
     * Web API access of one destination, shared by the deliveries and {@link DynamicsWorkflowWriter}: base URL,
     * entity set, the cached client-credentials token, the OData headers, the one retry after a 401 and Dataverse's
     * error bodies. One per unit of work, not thread-safe; the token cache behind it is.
     */
    final class Session {

        final DestinationConfig destination;
        final Settings settings;
        final URI baseUrl;
        /** Entity set written, setting {@value #SETTING_ENTITY_SET}, e.g. {@code leads}. */
        final String entitySet;
        /** Logical name of that table: the entity set without its final s, e.g. {@code lead}. */
        final String entity;
        /** Primary key column, setting {@value #SETTING_ID_COLUMN}, e.g. {@code leadid}. */
        final String idColumn;
        private final UnaryOperator<String> pii;
        private final String where;
        private Duration readTimeout = Settings.DEFAULT_READ_TIMEOUT;
        private String tokenKey;
        private AccessToken token;

        private Session(DestinationConfig destination, UnaryOperator<String> pii, String where) {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.pii = Objects.requireNonNull(pii, "pii");
            this.where = where;
            this.settings = new Settings(CRM, destination);
            if (destination.baseUrl() == null) {
                throw new PermanentDeliveryException(CRM + " destination " + destination.id()
                        + ": base_url (the environment URL, e.g. https://contoso.crm.dynamics.com) is required",
                        0, null, null);
            }
            this.baseUrl = destination.baseUrl();
            this.entitySet = name(SETTING_ENTITY_SET, settings.string(SETTING_ENTITY_SET, "leads"));
            this.entity = entitySet.endsWith("s") ? entitySet.substring(0, entitySet.length() - 1) : entitySet;
            this.idColumn = name(SETTING_ID_COLUMN, settings.string(SETTING_ID_COLUMN, entity + "id"));
        }

        /**
         * @return the value
         * @throws PermanentDeliveryException naming the setting when the value is not a logical name
         */
        String name(String setting, String value) {
            if (!SIMPLE_NAME.matcher(value).matches()) {
                throw new PermanentDeliveryException(CRM + " destination " + destination.id() + ": setting " + setting
                        + " must be a logical name (letters, digits, _), got '" + value + "'", 0, null, null);
            }
            return value;
        }

        /**
         * Reads the read timeout and the credentials and gets the access token (cached, else from Entra ID).
         *
         * @throws PermanentDeliveryException when a credential setting is missing or empty, or Entra ID refuses
         *                                    the credentials
         * @throws TransientDeliveryException when the token endpoint answers 408, 429, 5xx or not at all
         */
        void login() {
            readTimeout = settings.readTimeout();
            String tenantId = settings.requiredString(SETTING_TENANT_ID);
            String clientId = settings.requiredString(SETTING_CLIENT_ID);
            String secret = settings.secret(SETTING_CLIENT_SECRET).reveal();
            if (secret.isBlank()) {
                throw new PermanentDeliveryException(CRM + " destination " + destination.id() + ": setting "
                        + SETTING_CLIENT_SECRET + " resolved empty", 0, null, null);
            }
            tokenKey = AccessTokenCache.key(destination.id(),
                    settings.url(SETTING_AUTH_URL, DEFAULT_AUTH_URL).toString(), tenantId, clientId, secret, scope());
            token = tokens.get(tokenKey, this::fetchToken);
        }

        private AccessToken fetchToken() {
            URI authority = settings.url(SETTING_AUTH_URL, DEFAULT_AUTH_URL);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            form.put("client_id", settings.requiredString(SETTING_CLIENT_ID));
            form.put("client_secret", settings.secret(SETTING_CLIENT_SECRET).reveal());
            form.put("scope", scope());
            String path = "/" + CrmUrls.segment(settings.requiredString(SETTING_TENANT_ID)) + "/oauth2/v2.0/token";
            OutboundRequest r = OutboundRequest.builder(CRM, "token", "client credentials token", HttpMethod.POST,
                            CrmUrls.url(authority, path, Map.of()))
                    .header("Accept", "application/json")
                    .form(form, Set.of("client_secret"))
                    .build();
            OutboundResponse response = http.send(r, readTimeout, pii);
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            String error = JsonTrees.text(json, "error");
            String description = JsonTrees.text(json, "error_description");
            String detail = (error == null ? "" : error) + (description == null ? "" : " (" + firstLine(description) + ")");
            if (!response.isSuccess()) {
                throw StatusPolicy.DEFAULT.toException(r, response, detail,
                        RetryAfter.parse(response.header("Retry-After"), clock.instant()));
            }
            String accessToken = JsonTrees.text(json, "access_token");
            if (accessToken == null) {
                throw new PermanentDeliveryException(ErrorDetail.message(r, response.status(),
                        detail.isEmpty() ? "answer without access_token" : detail), response.status(),
                        response.body(), null);
            }
            long expiresIn = json.path("expires_in").asLong(3599);
            log.info("dynamics {}: new access token, valid {} s", where, expiresIn);
            return new AccessToken(accessToken, clock.instant().plusSeconds(expiresIn), Map.of());
        }

        /** @return {@code <resource>/.default}; resource = setting, else the base URL's scheme, host and port */
        private String scope() {
            String resource = settings.string(SETTING_RESOURCE, null);
            if (resource == null) {
                resource = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
            }
            return resource.replaceAll("/+$", "") + "/.default";
        }

        /**
         * @param purpose   dry-run file suffix, e.g. {@code create}
         * @param operation what the request does, for messages, e.g. {@code create leads}
         * @param method    HTTP method
         * @param path      path below {@value #API_PATH}, encoded, e.g. {@code /leads(<guid>)}
         * @param query     query parameters (raw values), may be empty
         * @param body      JSON body, or null
         * @return the request with {@code Authorization: Bearer <token>} (empty before {@link #login()}, always
         *         shown masked) and the OData headers
         */
        OutboundRequest.Builder api(String purpose, String operation, HttpMethod method, String path,
                               Map<String, String> query, ObjectNode body) {
            OutboundRequest.Builder b = OutboundRequest.builder(CRM, purpose, operation, method,
                            CrmUrls.url(baseUrl, API_PATH + path, query))
                    .secretHeader("Authorization", "Bearer ", token == null ? "" : token.value())
                    .header("OData-MaxVersion", "4.0")
                    .header("OData-Version", "4.0")
                    .header("Accept", "application/json");
            if (body != null) {
                b.json(body, mapper);
            }
            return b;
        }

        /**
         * Builds and sends with the current token; on 401 fetches a new token once and sends again.
         *
         * @param build builds the request (again after a new token)
         * @return the request as last sent and its answer, any status
         * @throws TransientDeliveryException (status 0) when no answer came, also from the token endpoint
         */
        Sent send(Supplier<OutboundRequest> build) {
            OutboundRequest r = build.get();
            OutboundResponse response = http.send(r, readTimeout, pii);
            if (response.status() == 401) {
                log.info("dynamics {}: access token rejected (401), fetching a new one", where);
                tokens.invalidate(tokenKey, token);
                token = tokens.get(tokenKey, this::fetchToken);
                r = build.get();
                response = http.send(r, readTimeout, pii);
            }
            return new Sent(r, response);
        }

        /**
         * @param sent a request and its answer
         * @return the same, when the answer is 2xx
         * @throws TransientDeliveryException on 429 (waiting {@code Retry-After}), 408 and 5xx
         * @throws PermanentDeliveryException on any other status, with Dataverse's body, code and message
         */
        Sent check(Sent sent) {
            OutboundResponse response = sent.response();
            if (!response.isSuccess()) {
                throw StatusPolicy.DEFAULT.toException(sent.request(), response, detail(response),
                        RetryAfter.parse(response.header("Retry-After"), clock.instant()));
            }
            return sent;
        }

        /** @return {@code "<code>: <message>"} of a Dataverse error body, masked, or empty */
        private String detail(OutboundResponse response) {
            JsonNode error = JsonTrees.readOrNull(response.body(), mapper);
            error = error == null ? null : error.path("error");
            String code = JsonTrees.text(error, "code");
            String message = JsonTrees.text(error, "message");
            String d = (code == null ? "" : code) + (message == null ? "" : (code == null ? "" : ": ") + message);
            return pii.apply(d);
        }
    }

    /** One {@code deliver} call. */
    private final class Delivery {

        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final Settings settings;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final LeadFields lead;
        private final Session session;
        private final String entitySet;
        private final String idColumn;
        private final String phoneColumn;
        private final String emailColumn;
        private final String alternateKey;

        Delivery(DeliveryRequest request) {
            this.request = request;
            this.destination = Objects.requireNonNull(request.destination(), "destination");
            this.settings = new Settings(CRM, destination);
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action() != null ? detection.action() : DuplicateAction.UPDATE_EXISTING;
            this.matchFields = detection.matchFields();
            this.lead = new LeadFields(request.context());
            this.session = new Session(destination, PiiMask.of(request.phone(), request.email()),
                    "tenant=" + request.tenant() + " destination=" + destination.id());
            this.entitySet = session.entitySet;
            this.idColumn = session.idColumn;
            this.phoneColumn = session.name(SETTING_PHONE_COLUMN, settings.string(SETTING_PHONE_COLUMN, "telephone1"));
            this.emailColumn = session.name(SETTING_EMAIL_COLUMN, settings.string(SETTING_EMAIL_COLUMN, "emailaddress1"));
            String key = settings.string(SETTING_ALTERNATE_KEY, null);
            this.alternateKey = key == null ? null : session.name(SETTING_ALTERNATE_KEY, key);
        }

        // ---- dry run -------------------------------------------------------------------------------

        DeliveryResult dryRun() {
            String known = known();
            ObjectNode row = row();
            String keyValue = keyValue(row);
            List<OutboundRequest> requests = new ArrayList<>();
            if (known != null && action != DuplicateAction.CREATE) {
                if (action == DuplicateAction.UPDATE_EXISTING) {
                    requests.add(updateByGuid(known, row));
                }
            } else if (action == DuplicateAction.CREATE) {
                requests.add(create(row));
            } else if (keyValue != null) {
                requests.add(upsertByKey(keyValue, row));
            } else {
                requests.addAll(searches());
                requests.add(create(row));
            }
            return DryRunFiles.dryRun(request, requests, known, mapper, CRM);
        }

        // ---- live ----------------------------------------------------------------------------------

        DeliveryResult live() {
            session.login();

            ObjectNode row = row();
            String known = known();
            if (known != null) {
                if (action == DuplicateAction.SKIP) {
                    return new DeliveryResult(Outcome.SKIPPED, known);
                }
                if (action == DuplicateAction.UPDATE_EXISTING) {
                    Sent update = session.send(() -> updateByGuid(known, row));
                    if (update.response().status() != 404) {
                        session.check(update);
                        return new DeliveryResult(Outcome.UPDATED, known);
                    }
                    log.info("dynamics tenant={} destination={} event={}: known row {} is gone (404)",
                            request.tenant(), destination.id(), request.eventId(), known);
                }
            }
            if (action == DuplicateAction.CREATE) {
                return new DeliveryResult(Outcome.CREATED, createdGuid(session.check(session.send(() -> create(row)))));
            }
            String keyValue = keyValue(row);
            if (keyValue != null) {
                return upsert(keyValue, row);
            }
            for (String field : matchFields) {
                if (search(field) == null) {
                    continue;
                }
                String hit = searchHit(session.check(session.send(() -> search(field))));
                if (hit != null) {
                    if (action == DuplicateAction.SKIP) {
                        return new DeliveryResult(Outcome.SKIPPED, hit);
                    }
                    session.check(session.send(() -> updateByGuid(hit, row)));
                    return new DeliveryResult(Outcome.UPDATED, hit);
                }
            }
            return new DeliveryResult(Outcome.CREATED, createdGuid(session.check(session.send(() -> create(row)))));
        }

        private DeliveryResult upsert(String keyValue, ObjectNode row) {
            Sent sent = session.send(() -> upsertByKey(keyValue, row));
            if (action == DuplicateAction.SKIP && sent.response().status() == 412) {
                Sent get = session.check(session.send(() -> getByKey(keyValue)));
                JsonNode json = JsonTrees.readOrNull(get.response().body(), mapper);
                String id = JsonTrees.text(json, idColumn);
                return new DeliveryResult(Outcome.SKIPPED, id);
            }
            session.check(sent);
            JsonNode json = JsonTrees.readOrNull(sent.response().body(), mapper);
            String id = JsonTrees.text(json, idColumn);
            if (id == null) {
                id = guidFromHeader(sent.response());
            }
            Outcome outcome = sent.response().status() == 201 ? Outcome.CREATED : Outcome.UPDATED;
            return new DeliveryResult(outcome, id);
        }

        // ---- requests ------------------------------------------------------------------------------

        private OutboundRequest create(ObjectNode row) {
            return session.api("create", "create " + entitySet, HttpMethod.POST, "/" + entitySet, Map.of(), row).build();
        }

        private OutboundRequest updateByGuid(String guid, ObjectNode row) {
            return session.api("update", "update " + entitySet, HttpMethod.PATCH,
                    "/" + entitySet + "(" + CrmUrls.segment(guid) + ")", Map.of(), row)
                    .header("If-Match", "*").build();
        }

        private OutboundRequest upsertByKey(String keyValue, ObjectNode row) {
            OutboundRequest.Builder b = session.api("upsert", "upsert " + entitySet + " by " + alternateKey,
                    HttpMethod.PATCH, keyPath(keyValue), Map.of("$select", idColumn), row)
                    .header("Prefer", "return=representation");
            if (action == DuplicateAction.SKIP) {
                b.header("If-None-Match", "*");
            }
            return b.build();
        }

        private OutboundRequest getByKey(String keyValue) {
            return session.api("get", "get " + entitySet + " by " + alternateKey, HttpMethod.GET, keyPath(keyValue),
                    Map.of("$select", idColumn), null).build();
        }

        private List<OutboundRequest> searches() {
            List<OutboundRequest> searches = new ArrayList<>();
            for (String field : matchFields) {
                OutboundRequest search = search(field);
                if (search != null) {
                    searches.add(search);
                }
            }
            return searches;
        }

        /** @return the search of one match field, or null when the lead has no value for it */
        private OutboundRequest search(String field) {
            String column;
            String value;
            switch (field) {
                case "phone" -> {
                    column = phoneColumn;
                    value = request.phone();
                }
                case "email" -> {
                    column = emailColumn;
                    value = request.email();
                }
                default -> {
                    return null;
                }
            }
            if (value == null || value.isBlank()) {
                return null;
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("$select", idColumn);
            query.put("$filter", column + " eq " + literal(value.trim()));
            query.put("$top", "1");
            return session.api("search-" + field, "search " + entitySet + " by " + field, HttpMethod.GET, "/" + entitySet,
                    query, null).build();
        }

        private String keyPath(String keyValue) {
            return "/" + entitySet + "(" + alternateKey + "=" + CrmUrls.segment(literal(keyValue)) + ")";
        }

        /** The row: lead defaults, then the mapped properties (which win). */
        private ObjectNode row() {
            Map<String, Object> row = new LinkedHashMap<>();
            if (entitySet.equals("leads")) {
                String name = lead.fullName();
                if (name == null) {
                    name = notBlank(request.phone()) ? request.phone() : request.email();
                }
                String projectType = lead.ai("project_type");
                String subject = name == null ? "Call" : name;
                row.put("subject", projectType == null ? subject : subject + " - " + projectType);
            }
            putIf(row, "firstname", lead.lead("first_name"));
            String lastname = lead.lead("last_name") != null ? lead.lead("last_name")
                    : lead.lead("first_name") == null ? lead.fullName() : null;
            if (lastname == null && !entitySet.equals("leads")) {
                // contacts require lastname
                lastname = notBlank(request.phone()) ? request.phone()
                        : notBlank(request.email()) ? request.email() : "Unknown caller";
            }
            putIf(row, "lastname", lastname);
            putIf(row, phoneColumn, request.phone());
            putIf(row, emailColumn, request.email());
            putIf(row, "address1_city", lead.lead("city"));
            putIf(row, "address1_stateorprovince", lead.lead("state"));
            putIf(row, "address1_country", lead.lead("country"));
            if (request.properties() != null) {
                row.putAll(request.properties());
            }
            return mapper.valueToTree(row);
        }

        /** @return the alternate key's value in the row, or null without an alternate key or value */
        private String keyValue(ObjectNode row) {
            if (alternateKey == null) {
                return null;
            }
            JsonNode value = row.get(alternateKey);
            return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
        }

        // ---- sending and answers -------------------------------------------------------------------

        private String searchHit(Sent sent) {
            JsonNode json = JsonTrees.readOrNull(sent.response().body(), mapper);
            JsonNode first = json == null ? null : json.path("value").path(0);
            String id = first == null ? null : JsonTrees.text(first, idColumn);
            return id;
        }

        private String createdGuid(Sent sent) {
            String guid = guidFromHeader(sent.response());
            if (guid == null) {
                JsonNode json = JsonTrees.readOrNull(sent.response().body(), mapper);
                guid = JsonTrees.text(json, idColumn);
            }
            if (guid == null) {
                throw new PermanentDeliveryException(sent.request().describe() + ": HTTP " + sent.response().status()
                        + " without an OData-EntityId header", sent.response().status(), sent.response().body(), null);
            }
            return guid;
        }

        private String known() {
            String known = request.knownRecordId();
            return known == null || known.isBlank() ? null : known.trim();
        }
    }

    /**
     * @param response a Web API answer
     * @return the lower-case GUID at the end of its {@code OData-EntityId} header ({@code .../leads(<guid>)}), or
     *         null when there is none
     */
    static String guidFromHeader(OutboundResponse response) {
        String entityId = response.header("OData-EntityId");
        if (entityId == null) {
            return null;
        }
        Matcher m = ENTITY_ID.matcher(entityId);
        return m.find() ? m.group(1).toLowerCase() : null;
    }

    /** @return an OData string literal: quoted, quotes doubled */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.strip();
    }

    private static void putIf(Map<String, Object> row, String column, String value) {
        if (notBlank(value)) {
            row.put(column, value.trim());
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
