package io.leadhub.dispatch.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Delivers leads to Zoho CRM (destination type {@code zoho}) as records of the Leads module (or the module of the
 * setting {@value #SETTING_MODULE}) through the REST API v8 (https://www.zoho.com/crm/developer/docs/api/v8/).
 *
 * <p>Authentication: the OAuth refresh-token flow of a Zoho self client
 * (https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html):
 * {@code POST {accounts_url}/oauth/v2/token?refresh_token=..&client_id=..&client_secret=..&grant_type=refresh_token}
 * → {@code {access_token, api_domain, expires_in}}. The access token is cached in memory per credential set
 * (accounts server, client id, secret and refresh token; shared with {@link ZohoWorkflowWriter}) until one
 * minute before it expires (Zoho allows only a few new tokens per refresh token and 10 minutes), and fetched again
 * once when Zoho answers 401 {@code INVALID_TOKEN}. API requests go to the returned {@code api_domain} (the
 * account's data centre) unless the destination sets {@code base_url}, with
 * {@code Authorization: Zoho-oauthtoken <access_token>}.
 *
 * <p>Writes, per duplicate action:
 * <ul>
 *   <li>{@code update_existing}: the contact index's known record is updated with
 *       {@code PUT /crm/v8/Leads/{id}} (an invalid id falls back to the upsert); otherwise
 *       {@code POST /crm/v8/Leads/upsert} {@code {"data":[record], "duplicate_check_fields":[Phone, Email],
 *       "trigger":["workflow"]}}: Zoho updates the record whose duplicate check field matches, or inserts one, so a
 *       redelivery never duplicates;</li>
 *   <li>{@code skip}: {@code GET /crm/v8/Leads/search?phone=..} (then {@code email=}); a hit is skipped, no hit is
 *       upserted;</li>
 *   <li>{@code create}: {@code POST /crm/v8/Leads} (insert).</li>
 * </ul>
 * {@code duplicate_check_fields} follow {@code duplicate_detection.match_fields} ({@code phone} → {@code Phone},
 * {@code email} → {@code Email}) unless the setting {@value #SETTING_DUPLICATE_CHECK_FIELDS} lists them.
 *
 * <p>Record: {@code First_Name}, {@code Last_Name} (mandatory in Zoho: last name, else full name, else phone),
 * {@code Phone}, {@code Email}, {@code City}, {@code State}, {@code Country} from the lead, then the destination's
 * mapped properties (Zoho API field names), which win.
 *
 * <p>Results: per record {@code {code, status, action: insert|update, details: {id}}} → {@code CREATED} /
 * {@code UPDATED}; a record with {@code status: error} is a {@link PermanentDeliveryException} with Zoho's body.
 * 429 is transient (waiting {@code Retry-After} when given), as are 408, 5xx and I/O errors; other 4xx are
 * permanent.
 */
@Component("zohoConnector")
public class ZohoConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "zoho";
    /** Accounts server (data centre) used when the destination sets no {@value #SETTING_ACCOUNTS_URL}. */
    public static final String DEFAULT_ACCOUNTS_URL = "https://accounts.zoho.com";
    /** API domain of a dry run without {@code base_url} (the US data centre). */
    public static final String DRY_RUN_API_DOMAIN = "https://www.zohoapis.com";

    /** Setting: OAuth client id of the self client. */
    public static final String SETTING_CLIENT_ID = "client_id";
    /** Setting (secret): OAuth client secret. */
    public static final String SETTING_CLIENT_SECRET = "client_secret";
    /** Setting (secret): OAuth refresh token (offline access, scope ZohoCRM.modules.leads.ALL or similar). */
    public static final String SETTING_REFRESH_TOKEN = "refresh_token";
    /** Setting: accounts server of the data centre, default {@value #DEFAULT_ACCOUNTS_URL}. */
    public static final String SETTING_ACCOUNTS_URL = "accounts_url";
    /** Setting: module API name, default {@code Leads}. */
    public static final String SETTING_MODULE = "module";
    /** Setting: API version, default {@code v8}. */
    public static final String SETTING_API_VERSION = "api_version";
    /** Setting: list of automation triggers, default {@code [workflow]}; {@code []} runs none. */
    public static final String SETTING_TRIGGER = "trigger";
    /** Setting: Zoho field API names checked for duplicates by the upsert; default from match_fields. */
    public static final String SETTING_DUPLICATE_CHECK_FIELDS = "duplicate_check_fields";

    static final String CRM = "Zoho CRM";

    private static final Logger log = LoggerFactory.getLogger(ZohoConnector.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final AccessTokenCache tokens;
    private final Clock clock;

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     */
    @Autowired
    public ZohoConnector(OutboundHttp http, ObjectMapper mapper) {
        this(http, mapper, Clock.systemUTC());
    }

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     * @param clock  clock of the token expiry
     */
    ZohoConnector(OutboundHttp http, ObjectMapper mapper, Clock clock) {
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
     * Writes one lead to Zoho CRM (see the class comment).
     *
     * @param request the mapped lead and its {@code zoho} destination
     * @return {@code CREATED} / {@code UPDATED} with the Zoho record id, {@code SKIPPED} with the matched id, or
     *         {@code DRY_RUN} with the known record id (or null)
     * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408, 5xx and I/O errors (status 0),
     *                                    also from the token endpoint
     * @throws PermanentDeliveryException on other 4xx, a record with {@code status: error}, a token answer with
     *                                    {@code error} (e.g. {@code invalid_code}), a second 401, or missing
     *                                    settings (status 0)
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Objects.requireNonNull(request, "request");
        Delivery delivery = new Delivery(request);
        if (request.destination().isDryRun()) {
            return delivery.dryRun();
        }
        DeliveryResult result = delivery.live();
        log.debug("zoho delivery tenant={} destination={} event={}: {} record {}", request.tenant(),
                request.destination().id(), request.eventId(), result.outcome(), result.crmRecordId());
        return result;
    }

    /**
     * @param destination a Zoho CRM destination
     * @param pii         masks personal data in exception messages
     * @param who         names the caller in log lines, e.g. {@code tenant=acme destination=zoho-leads}
     * @return a session with that destination sharing this connector's access-token cache (not yet authorised)
     */
    Session session(DestinationConfig destination, UnaryOperator<String> pii, String who) {
        return new Session(destination, pii, who);
    }

    /** One {@code deliver} call. */
    private final class Delivery {

        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final Settings settings;
        private final Session session;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final LeadFields lead;
        private final UnaryOperator<String> pii;
        private final String module;
        private final String version;

        Delivery(DeliveryRequest request) {
            this.request = request;
            this.destination = Objects.requireNonNull(request.destination(), "destination");
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action() != null ? detection.action() : DuplicateAction.UPDATE_EXISTING;
            this.matchFields = detection.matchFields();
            this.lead = new LeadFields(request.context());
            this.pii = PiiMask.of(request.phone(), request.email());
            this.session = new Session(destination, pii, "tenant=" + request.tenant() + " destination="
                    + destination.id());
            this.settings = session.settings();
            this.module = session.module();
            this.version = session.version();
        }

        // ---- dry run -------------------------------------------------------------------------------

        DeliveryResult dryRun() {
            URI api = destination.baseUrl() != null ? destination.baseUrl() : URI.create(DRY_RUN_API_DOMAIN);
            String known = known();
            List<OutboundRequest> requests = new ArrayList<>();
            switch (action) {
                case UPDATE_EXISTING -> requests.add(known != null ? updateById(api, known) : upsert(api));
                case SKIP -> {
                    if (known == null) {
                        requests.addAll(searches(api));
                        requests.add(upsert(api));
                    }
                }
                case CREATE -> requests.add(insert(api));
            }
            return DryRunFiles.dryRun(request, requests, known, mapper, CRM);
        }

        // ---- live ----------------------------------------------------------------------------------

        DeliveryResult live() {
            session.authorize();
            String known = known();
            switch (action) {
                case CREATE:
                    return result(send(() -> insert(api())), Outcome.CREATED);
                case SKIP:
                    if (known != null) {
                        return new DeliveryResult(Outcome.SKIPPED, known);
                    }
                    for (String field : matchFields) {
                        if (search(api(), field) != null) {
                            String hit = searchHit(send(() -> search(api(), field)));
                            if (hit != null) {
                                return new DeliveryResult(Outcome.SKIPPED, hit);
                            }
                        }
                    }
                    return result(send(() -> upsert(api())), null);
                case UPDATE_EXISTING:
                default:
                    if (known != null) {
                        Sent update = send(() -> updateById(api(), known));
                        if (!invalidId(update.response())) {
                            return result(update, Outcome.UPDATED);
                        }
                        log.info("zoho tenant={} destination={} event={}: known record {} is gone, upserting",
                                request.tenant(), destination.id(), request.eventId(), known);
                    }
                    return result(send(() -> upsert(api())), null);
            }
        }

        private URI api() {
            return session.api();
        }

        // ---- requests ------------------------------------------------------------------------------

        private OutboundRequest upsert(URI api) {
            ObjectNode body = mapper.createObjectNode();
            body.putArray("data").add(record());
            ArrayNode check = body.putArray("duplicate_check_fields");
            duplicateCheckFields().forEach(check::add);
            session.putTrigger(body);
            return apiRequest("upsert", "upsert " + module, HttpMethod.POST,
                    CrmUrls.url(api, "/crm/" + version + "/" + module + "/upsert", Map.of()), body);
        }

        private OutboundRequest insert(URI api) {
            ObjectNode body = mapper.createObjectNode();
            body.putArray("data").add(record());
            session.putTrigger(body);
            return apiRequest("insert", "insert " + module, HttpMethod.POST,
                    CrmUrls.url(api, "/crm/" + version + "/" + module, Map.of()), body);
        }

        private OutboundRequest updateById(URI api, String id) {
            ObjectNode body = mapper.createObjectNode();
            body.putArray("data").add(record());
            session.putTrigger(body);
            return apiRequest("update", "update " + module, HttpMethod.PUT,
                    CrmUrls.url(api, "/crm/" + version + "/" + module + "/" + CrmUrls.segment(id), Map.of()), body);
        }

        private List<OutboundRequest> searches(URI api) {
            List<OutboundRequest> searches = new ArrayList<>();
            for (String field : matchFields) {
                OutboundRequest search = search(api, field);
                if (search != null) {
                    searches.add(search);
                }
            }
            return searches;
        }

        /** @return the search for one match field, or null when the lead has no value for it */
        private OutboundRequest search(URI api, String field) {
            String value = switch (field) {
                case "phone" -> request.phone();
                case "email" -> request.email();
                default -> null;
            };
            if (value == null || value.isBlank()) {
                return null;
            }
            return apiRequest("search-" + field, "search " + module + " by " + field, HttpMethod.GET,
                    CrmUrls.url(api, "/crm/" + version + "/" + module + "/search", Map.of(field, value.trim())), null);
        }

        private OutboundRequest apiRequest(String purpose, String operation, HttpMethod method, URI url,
                                           ObjectNode body) {
            return session.apiRequest(purpose, operation, method, url, body);
        }

        /** The record: lead defaults, then the mapped properties (which win). */
        private ObjectNode record() {
            Map<String, Object> record = new LinkedHashMap<>();
            String first = lead.lead("first_name");
            String last = lead.lead("last_name");
            if (first != null && last != null) {
                record.put("First_Name", first);
            }
            String lastName = last != null ? last : lead.fullName();
            if (lastName == null) {
                lastName = notBlank(request.phone()) ? request.phone()
                        : notBlank(request.email()) ? request.email() : "Unknown caller";
            }
            record.put("Last_Name", lastName);
            putIf(record, "Phone", request.phone());
            putIf(record, "Email", request.email());
            putIf(record, "City", lead.lead("city"));
            putIf(record, "State", lead.lead("state"));
            putIf(record, "Country", lead.lead("country"));
            if (request.properties() != null) {
                record.putAll(request.properties());
            }
            return mapper.valueToTree(record);
        }

        private List<String> duplicateCheckFields() {
            List<String> configured = settings.stringList(SETTING_DUPLICATE_CHECK_FIELDS, null);
            if (configured != null) {
                return configured;
            }
            Set<String> fields = new LinkedHashSet<>();
            for (String f : matchFields) {
                if (f.equals("phone")) {
                    fields.add("Phone");
                } else if (f.equals("email")) {
                    fields.add("Email");
                }
            }
            return List.copyOf(fields);
        }

        // ---- sending and answers -------------------------------------------------------------------

        private Sent send(Supplier<OutboundRequest> build) {
            return session.send(build);
        }

        /**
         * @param outcome the outcome to report, or null to take it from the record's {@code action}
         */
        private DeliveryResult result(Sent sent, Outcome outcome) {
            JsonNode record = session.successRecord(sent);
            String id = record.path("details").path("id").asText();
            Outcome o = outcome != null ? outcome
                    : "update".equalsIgnoreCase(record.path("action").asText()) ? Outcome.UPDATED : Outcome.CREATED;
            return new DeliveryResult(o, id);
        }

        /** A PUT by id answered "record not found": 404, or INVALID_DATA about the id. */
        private boolean invalidId(OutboundResponse response) {
            if (response.status() == 404) {
                return true;
            }
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            JsonNode record = json == null ? null : json.path("data").path(0);
            if (record == null || !"INVALID_DATA".equals(record.path("code").asText())) {
                return false;
            }
            JsonNode details = record.path("details");
            return "id".equals(details.path("api_name").asText()) || details.has("id")
                    || record.path("message").asText("").contains("id given seems to be invalid");
        }

        private String searchHit(Sent sent) {
            OutboundRequest search = sent.request();
            OutboundResponse response = sent.response();
            if (response.status() == 204) {
                return null;
            }
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            if (!response.isSuccess()) {
                throw StatusPolicy.DEFAULT.toException(search, response, session.detail(json),
                        RetryAfter.parse(response.header("Retry-After"), clock.instant()));
            }
            String id = json == null ? "" : json.path("data").path(0).path("id").asText("");
            return id.isBlank() ? null : id;
        }

        private String known() {
            String known = request.knownRecordId();
            return known == null || known.isBlank() ? null : known.trim();
        }
    }

    /**
     * The requests of one Zoho CRM destination, shared by a delivery and {@link ZohoWorkflowWriter}: the OAuth
     * access token (cached in this connector per credential set, so the delivery and the writer use one token and
     * Zoho's limit of new tokens per refresh token is not spent twice), the API domain, the module and API version,
     * sending with one token refresh on 401 {@code INVALID_TOKEN}, and the per-record result checks (class comment).
     */
    final class Session {

        private final DestinationConfig destination;
        private final Settings settings;
        private final UnaryOperator<String> pii;
        private final String who;
        private final String module;
        private final String version;
        private Duration readTimeout = Settings.DEFAULT_READ_TIMEOUT;
        private String tokenKey;
        private AccessToken token;

        private Session(DestinationConfig destination, UnaryOperator<String> pii, String who) {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.settings = new Settings(CRM, destination);
            this.pii = Objects.requireNonNull(pii, "pii");
            this.who = who;
            this.module = CrmUrls.segment(settings.string(SETTING_MODULE, "Leads"));
            this.version = CrmUrls.segment(settings.string(SETTING_API_VERSION, "v8"));
        }

        /** @return the destination's settings */
        Settings settings() {
            return settings;
        }

        /** @return the module API name (setting {@code module}, default {@code Leads}), path-encoded */
        String module() {
            return module;
        }

        /** @return the API version in the path (setting {@code api_version}, default {@code v8}), path-encoded */
        String version() {
            return version;
        }

        /**
         * Checks the settings a live request needs and gets an access token (cached, or from the token endpoint).
         *
         * @throws TransientDeliveryException when the token endpoint answers 429/408/5xx or not at all, or with
         *                                    {@code Access Denied} (too many token requests)
         * @throws PermanentDeliveryException when {@code client_id}, {@code client_secret} or {@code refresh_token}
         *                                    is missing, a setting is invalid, or the token endpoint refuses
         */
        void authorize() {
            readTimeout = settings.readTimeout();
            String clientId = settings.requiredString(SETTING_CLIENT_ID);
            String secret = settings.secret(SETTING_CLIENT_SECRET).reveal();
            String refresh = settings.secret(SETTING_REFRESH_TOKEN).reveal();
            if (secret.isBlank() || refresh.isBlank()) {
                throw new PermanentDeliveryException(CRM + " destination " + destination.id() + ": settings "
                        + SETTING_CLIENT_SECRET + " and " + SETTING_REFRESH_TOKEN + " must both be set", 0, null, null);
            }
            URI accounts = settings.url(SETTING_ACCOUNTS_URL, DEFAULT_ACCOUNTS_URL);
            tokenKey = AccessTokenCache.key(TYPE, accounts.toString(), clientId, secret, refresh);
            token = tokens.get(tokenKey, this::fetchToken);
        }

        /** @return {@code base_url}, else the token's {@code api_domain}, else {@value #DRY_RUN_API_DOMAIN} */
        URI api() {
            if (destination.baseUrl() != null) {
                return destination.baseUrl();
            }
            String domain = token == null ? null : token.attributes().get("api_domain");
            if (domain == null || domain.isBlank()) {
                return URI.create(DRY_RUN_API_DOMAIN);
            }
            return URI.create(domain);
        }

        private AccessToken fetchToken() {
            URI accounts = settings.url(SETTING_ACCOUNTS_URL, DEFAULT_ACCOUNTS_URL);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("refresh_token", settings.secret(SETTING_REFRESH_TOKEN).reveal());
            query.put("client_id", settings.requiredString(SETTING_CLIENT_ID));
            query.put("client_secret", settings.secret(SETTING_CLIENT_SECRET).reveal());
            query.put("grant_type", "refresh_token");
            OutboundRequest r = OutboundRequest.builder(CRM, "token", "refresh access token", HttpMethod.POST,
                            CrmUrls.url(accounts, "/oauth/v2/token", query))
                    .secretQueryParameter("refresh_token").secretQueryParameter("client_secret")
                    .header("Accept", "application/json")
                    .build();
            OutboundResponse response = http.send(r, readTimeout, pii);
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            String error = JsonTrees.text(json, "error");
            if (!response.isSuccess()) {
                throw StatusPolicy.DEFAULT.toException(r, response, error == null ? "" : error,
                        RetryAfter.parse(response.header("Retry-After"), clock.instant()));
            }
            String accessToken = JsonTrees.text(json, "access_token");
            if (accessToken == null) {
                String detail = error != null ? error : "answer without access_token";
                String description = JsonTrees.text(json, "error_description");
                String message = ErrorDetail.message(r, response.status(),
                        detail + (description == null ? "" : " (" + description + ")"));
                if ("Access Denied".equalsIgnoreCase(detail)) {
                    // Zoho's answer to too many token requests in a short time (UNCONFIRMED wording): try later
                    throw new TransientDeliveryException(message, response.status(), response.body(),
                            Duration.ofMinutes(1), null);
                }
                throw new PermanentDeliveryException(message, response.status(), response.body(), null);
            }
            long expiresIn = json.path("expires_in").asLong(3600);
            Map<String, String> attributes = new LinkedHashMap<>();
            String apiDomain = JsonTrees.text(json, "api_domain");
            if (apiDomain != null) {
                attributes.put("api_domain", apiDomain);
            }
            log.info("zoho {}: new access token, valid {} s, api_domain {}", who, expiresIn, apiDomain);
            return new AccessToken(accessToken, clock.instant().plusSeconds(expiresIn), attributes);
        }

        /**
         * @param purpose   short name (dry-run file names)
         * @param operation what the request does, for messages, e.g. {@code insert Tasks}
         * @param method    HTTP method
         * @param url       absolute URL
         * @param body      JSON body, or null
         * @return the request with {@code Authorization: Zoho-oauthtoken <token>} (a secret header)
         */
        OutboundRequest apiRequest(String purpose, String operation, HttpMethod method, URI url, ObjectNode body) {
            OutboundRequest.Builder b = OutboundRequest.builder(CRM, purpose, operation, method, url)
                    .secretHeader("Authorization", "Zoho-oauthtoken ", token == null ? "" : token.value())
                    .header("Accept", "application/json");
            if (body != null) {
                b.json(body, mapper);
            }
            return b.build();
        }

        /** Puts {@code "trigger"}: the setting {@value #SETTING_TRIGGER}, default {@code ["workflow"]}. */
        void putTrigger(ObjectNode body) {
            ArrayNode trigger = body.putArray("trigger");
            settings.stringList(SETTING_TRIGGER, List.of("workflow")).forEach(trigger::add);
        }

        /**
         * Builds and sends a request with the current token; on 401 {@code INVALID_TOKEN} fetches a new token once
         * and builds and sends it again (a new token may also bring a new API domain).
         *
         * @param build builds the request (called again after a token refresh)
         * @return the request as last sent and its answer, any status
         * @throws TransientDeliveryException when no answer came, or from the token endpoint
         */
        Sent send(Supplier<OutboundRequest> build) {
            OutboundRequest r = build.get();
            OutboundResponse response = http.send(r, readTimeout, pii);
            if (response.status() == 401 && tokenRejected(response)) {
                log.info("zoho {}: access token rejected (401), fetching a new one", who);
                tokens.invalidate(tokenKey, token);
                token = tokens.get(tokenKey, this::fetchToken);
                r = build.get();
                response = http.send(r, readTimeout, pii);
            }
            return new Sent(r, response);
        }

        private boolean tokenRejected(OutboundResponse response) {
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            String code = JsonTrees.text(json, "code");
            return code == null || "INVALID_TOKEN".equals(code);
        }

        /**
         * Checks the answer of a write of one record ({@code {"data":[{code, status, details:{id}, ...}]}}).
         *
         * @param sent a write and its answer
         * @return the record result, {@code status: success} with a {@code details.id}
         * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408 and 5xx
         * @throws PermanentDeliveryException on other non-2xx answers, a record with {@code status: error} (also
         *                                    inside a 200/201/202, with Zoho's code and message), or an answer
         *                                    without a record result or id
         */
        JsonNode successRecord(Sent sent) {
            OutboundRequest r = sent.request();
            OutboundResponse response = sent.response();
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            JsonNode record = json == null ? null : json.path("data").path(0);
            if (!response.isSuccess()) {
                throw StatusPolicy.DEFAULT.toException(r, response,
                        detail(record != null && !record.isMissingNode() ? record : json),
                        RetryAfter.parse(response.header("Retry-After"), clock.instant()));
            }
            if (record == null || record.isMissingNode() || !record.isObject()) {
                throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                        + " without a record result", response.status(), response.body(), null);
            }
            if (!"success".equalsIgnoreCase(record.path("status").asText())) {
                throw new PermanentDeliveryException(ErrorDetail.message(r, response.status(), detail(record)),
                        response.status(), response.body(), null);
            }
            String id = record.path("details").path("id").asText("");
            if (id.isBlank()) {
                throw new PermanentDeliveryException(r.describe() + ": record result without details.id",
                        response.status(), response.body(), null);
            }
            return record;
        }

        /** @return {@code "<code>: <message> (<details>)"} of a Zoho error object, masked, or empty */
        String detail(JsonNode error) {
            if (error == null || !error.isObject()) {
                return "";
            }
            String code = JsonTrees.text(error, "code");
            String message = JsonTrees.text(error, "message");
            JsonNode details = error.path("details");
            StringBuilder d = new StringBuilder();
            if (code != null) {
                d.append(code);
            }
            if (message != null) {
                d.append(d.length() > 0 ? ": " : "").append(message);
            }
            if (details.isObject() && !details.isEmpty()) {
                d.append(" ").append(details);
            }
            return pii.apply(d.toString());
        }
    }

    /**
     * A request as sent and its answer.
     *
     * @param request  the request
     * @param response its answer
     */
    record Sent(OutboundRequest request, OutboundResponse response) {
    }

    private static void putIf(Map<String, Object> record, String field, String value) {
        if (notBlank(value)) {
            record.put(field, value.trim());
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
