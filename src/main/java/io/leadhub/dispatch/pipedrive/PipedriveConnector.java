package io.leadhub.dispatch.pipedrive;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Delivers leads to Pipedrive (destination type {@code pipedrive}): a person, an open deal for it and a note with
 * the call transcript, through the v1 API (https://developers.pipedrive.com/docs/api/v1).
 *
 * <p>Endpoints, relative to {@code base_url} (default {@value #DEFAULT_BASE_URL}; a company domain such as
 * {@code https://acme.pipedrive.com/api} works too), every request with the query parameter {@code api_token}
 * (the destination's secret {@value #SETTING_API_TOKEN}) and {@code Accept: application/json}, writes with
 * {@code Content-Type: application/json}:
 * <ul>
 *   <li>{@code GET /v1/persons/search?term=<E.164 phone>&fields=phone&exact_match=true}, then the same with
 *       {@code fields=email}, following the destination's {@code duplicate_detection.match_fields};</li>
 *   <li>{@code GET /v1/persons/{id}} for the contact index's known person (gone when 404/410 or
 *       {@code active_flag:false});</li>
 *   <li>{@code POST /v1/persons} {@code {name, phone:[{value,primary,label}], email:[...], <mapped fields>}} to
 *       create, {@code PUT /v1/persons/{id}} with the same body to update (phone and e-mail lists keep the person's
 *       other numbers and addresses);</li>
 *   <li>{@code GET /v1/persons/{id}/deals?status=open} then {@code POST /v1/deals}
 *       {@code {title, value, currency, pipeline_id, stage_id, person_id}} unless the person has an open deal (in the
 *       configured pipeline);</li>
 *   <li>{@code GET /v1/notes?person_id={id}&sort=add_time DESC} then {@code POST /v1/notes}
 *       {@code {content, person_id, deal_id}} unless a note of the same LeadHub event exists.</li>
 * </ul>
 * A known or just-created person skips the corresponding lookups. Every step is safe to repeat, so a redelivered
 * lead never creates a second person, deal or note.
 *
 * <p>Mapping: the destination's mapped properties are person fields (custom fields by their 40-character key),
 * except {@value #PROPERTY_TITLE} (the deal title; default {@code "<name> - <project type>"}) and
 * {@value #PROPERTY_NOTE} (the note text; default the call transcript). Unmapped {@code name}, {@code phone} and
 * {@code email} come from the lead.
 *
 * <p>Errors (envelope {@code {"success":false,"error","error_info"}}): 429 is transient, waiting {@code Retry-After}
 * or else {@code x-ratelimit-reset} seconds; an answer with {@code x-ratelimit-remaining: 0} makes the next request
 * with the same API token (this connector's or {@link PipedriveWorkflowWriter}'s; burst limits are per token) wait
 * {@code x-ratelimit-reset} seconds (a transient failure with that wait instead of a request,
 * https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting); 408, 5xx and I/O errors are
 * transient; other 4xx and a 2xx with {@code success:false} are permanent with Pipedrive's body. The URL (with the
 * token) is never logged or put in a message.
 */
@Component("pipedriveConnector")
public class PipedriveConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "pipedrive";
    /** Base URL used when the destination sets none. */
    public static final String DEFAULT_BASE_URL = "https://api.pipedrive.com";

    /** Setting (secret): personal API token, sent as query parameter {@code api_token}. */
    public static final String SETTING_API_TOKEN = "api_token";
    /** Setting: pipeline of new deals (id). */
    public static final String SETTING_PIPELINE_ID = "pipeline_id";
    /** Setting: stage of new deals (id). */
    public static final String SETTING_STAGE_ID = "stage_id";
    /** Setting: map of project type ({@code ai.project_type}) to the value of a new deal. */
    public static final String SETTING_VALUE_ESTIMATION = "value_estimation";
    /** Setting: currency of deal values (3-letter code); Pipedrive's default currency when absent. */
    public static final String SETTING_CURRENCY = "currency";
    /** Setting: label of the lead's phone number (work, home, mobile, other); default {@code work}. */
    public static final String SETTING_PHONE_LABEL = "phone_label";
    /** Setting: label of the lead's e-mail (work, home, other); default {@code work}. */
    public static final String SETTING_EMAIL_LABEL = "email_label";
    /** Setting: false = no deal; default true. */
    public static final String SETTING_CREATE_DEAL = "create_deal";
    /** Setting: false = no note; default true. */
    public static final String SETTING_CREATE_NOTE = "create_note";

    /** Mapped property that is the deal's title instead of a person field. */
    public static final String PROPERTY_TITLE = "title";
    /** Mapped property that is the note's text instead of a person field. */
    public static final String PROPERTY_NOTE = "note";

    static final String CRM = "Pipedrive";
    static final String PERSONS = "/v1/persons";
    static final String SEARCH = "/v1/persons/search";
    static final String DEALS = "/v1/deals";
    static final String NOTES = "/v1/notes";
    static final String RATE_LIMIT_REMAINING = "x-ratelimit-remaining";
    static final String RATE_LIMIT_RESET = "x-ratelimit-reset";

    private static final Logger log = LoggerFactory.getLogger(PipedriveConnector.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final Clock clock;
    /** rate key of an API token ({@link Api}) → instant before which its burst window is exhausted. */
    private final ConcurrentMap<String, Instant> blockedUntil = new ConcurrentHashMap<>();

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     */
    @Autowired
    public PipedriveConnector(OutboundHttp http, ObjectMapper mapper) {
        this(http, mapper, Clock.systemUTC());
    }

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     * @param clock  clock of the rate-limit window
     */
    PipedriveConnector(OutboundHttp http, ObjectMapper mapper, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Writes one lead to Pipedrive (see the class comment for the steps and endpoints).
     *
     * @param request the mapped lead and its {@code pipedrive} destination
     * @return {@code CREATED} / {@code UPDATED} with the person id, {@code SKIPPED} with the matched person id
     *         (duplicate action {@code skip}: nothing written), or {@code DRY_RUN} with the known person id (or null)
     * @throws TransientDeliveryException on 429 or an exhausted rate-limit window (with the wait), 408, 5xx, I/O
     *                                    errors (status 0), or when dry-run files cannot be written
     * @throws PermanentDeliveryException on other 4xx and {@code success:false} answers (with Pipedrive's body),
     *                                    unreadable answers, or invalid settings (status 0)
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Objects.requireNonNull(request, "request");
        Delivery delivery = new Delivery(request);
        if (request.destination().isDryRun()) {
            return delivery.dryRun();
        }
        DeliveryResult result = delivery.live();
        log.debug("pipedrive delivery tenant={} destination={} event={}: {} person {}", request.tenant(),
                request.destination().id(), request.eventId(), result.outcome(), result.crmRecordId());
        return result;
    }

    /**
     * @param destination a Pipedrive destination
     * @param pii         masks personal data in exception messages
     * @return the requests of that destination, sharing this connector's rate-limit windows
     */
    Api api(DestinationConfig destination, UnaryOperator<String> pii) {
        return new Api(destination, pii);
    }

    /** A person as found in Pipedrive: id and the phone numbers and e-mails it has. */
    private record Person(String id, List<Entry> phones, List<Entry> emails) {
    }

    /** One phone number or e-mail of a person; label null when Pipedrive did not say (search results). */
    private record Entry(String value, String label) {
    }

    /** One {@code deliver} call. */
    private final class Delivery {

        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final Settings settings;
        private final Api api;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final LeadFields lead;

        Delivery(DeliveryRequest request) {
            this.request = request;
            this.destination = Objects.requireNonNull(request.destination(), "destination");
            this.settings = new Settings(CRM, destination);
            this.api = new Api(destination, PiiMask.of(request.phone(), request.email()));
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action() != null ? detection.action() : DuplicateAction.UPDATE_EXISTING;
            this.matchFields = detection.matchFields();
            this.lead = new LeadFields(request.context());
        }

        // ---- dry run -------------------------------------------------------------------------------

        DeliveryResult dryRun() {
            String known = blank(request.knownRecordId()) ? null : request.knownRecordId().trim();
            List<OutboundRequest> requests = new ArrayList<>();
            if (known == null) {
                if (action != DuplicateAction.CREATE) {
                    requests.addAll(searches());
                }
                requests.add(createPerson());
            } else if (action == DuplicateAction.UPDATE_EXISTING) {
                requests.add(updatePerson(known, null));
            } else if (action == DuplicateAction.CREATE) {
                requests.add(createPerson());
            }
            if (known == null || action != DuplicateAction.SKIP) {
                String personId = action == DuplicateAction.UPDATE_EXISTING ? known : null;
                if (createDeal()) {
                    requests.add(createDealRequest(personId));
                }
                String content = noteContent();
                if (content != null) {
                    requests.add(createNoteRequest(content, personId, null));
                }
            }
            return DryRunFiles.dryRun(request, requests, known, mapper, CRM);
        }

        // ---- live ----------------------------------------------------------------------------------

        DeliveryResult live() {
            api.requireLive();
            Person existing = null;
            String known = blank(request.knownRecordId()) ? null : request.knownRecordId().trim();
            if (known != null) {
                existing = action == DuplicateAction.UPDATE_EXISTING ? knownPerson(known)
                        : new Person(known, List.of(), List.of());
            }
            if (existing == null && action != DuplicateAction.CREATE) {
                for (OutboundRequest search : searches()) {
                    existing = searchHit(search);
                    if (existing != null) {
                        break;
                    }
                }
            }
            String personId;
            Outcome outcome;
            if (existing == null || action == DuplicateAction.CREATE) {
                OutboundRequest create = createPerson();
                personId = idOf(create, send(create));
                outcome = Outcome.CREATED;
            } else if (action == DuplicateAction.SKIP) {
                return new DeliveryResult(Outcome.SKIPPED, existing.id());
            } else {
                OutboundRequest update = updatePerson(existing.id(), existing);
                personId = idOf(update, send(update));
                outcome = Outcome.UPDATED;
            }
            boolean fresh = outcome == Outcome.CREATED;
            String dealId = null;
            if (createDeal()) {
                dealId = fresh ? null : openDeal(personId);
                if (dealId == null) {
                    OutboundRequest deal = createDealRequest(personId);
                    dealId = idOf(deal, send(deal));
                }
            }
            String content = noteContent();
            if (content != null && (fresh || !noteExists(personId))) {
                OutboundRequest note = createNoteRequest(content, personId, dealId);
                idOf(note, send(note));
            }
            return new DeliveryResult(outcome, personId);
        }

        /** @return the known person with its phones and e-mails, or null when it is gone */
        private Person knownPerson(String id) {
            OutboundRequest get = request("get-person", "get person", HttpMethod.GET,
                    PERSONS + "/" + CrmUrls.segment(id), Map.of(), null);
            OutboundResponse response = exchange(get);
            if (response.status() == 404 || response.status() == 410) {
                log.info("pipedrive tenant={} destination={} event={}: known person {} is gone ({}), searching again",
                        request.tenant(), destination.id(), request.eventId(), id, response.status());
                return null;
            }
            JsonNode data = data(check(get, response));
            if (!data.path("active_flag").asBoolean(true)) {
                log.info("pipedrive tenant={} destination={} event={}: known person {} is deleted, searching again",
                        request.tenant(), destination.id(), request.eventId(), id);
                return null;
            }
            return new Person(id, values(data.path("phone")), values(data.path("email")));
        }

        private Person searchHit(OutboundRequest search) {
            JsonNode items = data(send(search)).path("items");
            if (!items.isArray() || items.isEmpty()) {
                return null;
            }
            JsonNode item = items.get(0).path("item");
            String id = item.path("id").asText("");
            if (id.isBlank()) {
                return null;
            }
            return new Person(id, values(item.path("phones")), values(item.path("emails")));
        }

        private String openDeal(String personId) {
            OutboundRequest list = request("list-deals", "list open deals of person", HttpMethod.GET,
                    PERSONS + "/" + CrmUrls.segment(personId) + "/deals",
                    ordered("status", "open", "start", "0", "limit", "100"), null);
            JsonNode deals = data(send(list));
            Long pipeline = settings.optionalLong(SETTING_PIPELINE_ID);
            if (deals.isArray()) {
                for (JsonNode deal : deals) {
                    if (pipeline == null || deal.path("pipeline_id").asLong(-1) == pipeline) {
                        String id = deal.path("id").asText("");
                        if (!id.isBlank()) {
                            return id;
                        }
                    }
                }
            }
            return null;
        }

        private boolean noteExists(String personId) {
            OutboundRequest list = request("list-notes", "list notes of person", HttpMethod.GET, NOTES,
                    ordered("person_id", personId, "start", "0", "limit", "100", "sort", "add_time DESC"), null);
            JsonNode notes = data(send(list));
            if (notes.isArray()) {
                for (JsonNode note : notes) {
                    if (note.path("content").asText("").contains(marker())) {
                        return true;
                    }
                }
            }
            return false;
        }

        // ---- requests ------------------------------------------------------------------------------

        private List<OutboundRequest> searches() {
            List<OutboundRequest> searches = new ArrayList<>();
            for (String field : matchFields) {
                String term = switch (field) {
                    case "phone" -> request.phone();
                    case "email" -> request.email();
                    default -> null;
                };
                if (!blank(term)) {
                    searches.add(request("search-" + field, "search person by " + field, HttpMethod.GET, SEARCH,
                            ordered("term", term.trim(), "fields", field, "exact_match", "true"), null));
                }
            }
            return searches;
        }

        private OutboundRequest createPerson() {
            return request("create-person", "create person", HttpMethod.POST, PERSONS, Map.of(), personBody(null));
        }

        private OutboundRequest updatePerson(String id, Person existing) {
            return request("update-person", "update person", HttpMethod.PUT, PERSONS + "/" + CrmUrls.segment(id),
                    Map.of(), personBody(existing));
        }

        private OutboundRequest createDealRequest(String personId) {
            ObjectNode body = mapper.createObjectNode();
            body.put("title", dealTitle());
            String projectType = lead.ai("project_type");
            Map<String, Object> values = settings.map(SETTING_VALUE_ESTIMATION);
            Object value = projectType == null ? null : values.get(projectType);
            if (value != null) {
                body.set("value", mapper.valueToTree(number(SETTING_VALUE_ESTIMATION + "." + projectType, value)));
                String currency = settings.string(SETTING_CURRENCY, null);
                if (currency != null) {
                    body.put("currency", currency);
                }
            }
            Long pipeline = settings.optionalLong(SETTING_PIPELINE_ID);
            if (pipeline != null) {
                body.put("pipeline_id", pipeline);
            }
            Long stage = settings.optionalLong(SETTING_STAGE_ID);
            if (stage != null) {
                body.put("stage_id", stage);
            }
            putId(body, "person_id", personId);
            return request("create-deal", "create deal", HttpMethod.POST, DEALS, Map.of(), body);
        }

        private OutboundRequest createNoteRequest(String content, String personId, String dealId) {
            ObjectNode body = mapper.createObjectNode();
            body.put("content", content);
            putId(body, "person_id", personId);
            if (dealId != null) {
                putId(body, "deal_id", dealId);
            }
            return request("create-note", "create note", HttpMethod.POST, NOTES, Map.of(), body);
        }

        /**
         * @param existing the matched person (to keep its other phones and e-mails), or null for a create
         */
        private ObjectNode personBody(Person existing) {
            Map<String, Object> mapped = request.properties() == null ? Map.of() : request.properties();
            ObjectNode body = mapper.createObjectNode();
            Object name = mapped.get("name");
            body.put("name", name != null ? name.toString() : defaultName());
            String phoneLabel = settings.string(SETTING_PHONE_LABEL, "work");
            String emailLabel = settings.string(SETTING_EMAIL_LABEL, "work");
            contactList(body, "phone", mapped.get("phone"), request.phone(), phoneLabel,
                    existing == null ? null : existing.phones());
            contactList(body, "email", mapped.get("email"), request.email(), emailLabel,
                    existing == null ? null : existing.emails());
            mapped.forEach((key, value) -> {
                if (!List.of("name", "phone", "email", PROPERTY_TITLE, PROPERTY_NOTE).contains(key)) {
                    body.set(key, mapper.valueToTree(value));
                }
            });
            return body;
        }

        /**
         * Puts {@code phone} / {@code email} as Pipedrive's list of {@code {value, primary, label}}: a mapped list as
         * is; a mapped text or the lead's value as the primary entry of a new person; on an update, the existing
         * entries plus the lead's value when the person does not have it yet (nothing when it has).
         */
        private void contactList(ObjectNode body, String field, Object mapped, String leadValue, String label,
                                 List<Entry> existing) {
            if (mapped instanceof List<?>) {
                body.set(field, mapper.valueToTree(mapped));
                return;
            }
            String value = mapped != null ? mapped.toString() : leadValue;
            if (blank(value)) {
                return;
            }
            value = value.trim();
            ArrayNode list = mapper.createArrayNode();
            if (existing == null) {
                list.addObject().put("value", value).put("primary", true).put("label", label);
            } else {
                final String v = value;
                if (existing.stream().anyMatch(e -> e.value().equalsIgnoreCase(v))) {
                    return;
                }
                for (int i = 0; i < existing.size(); i++) {
                    ObjectNode entry = list.addObject().put("value", existing.get(i).value()).put("primary", i == 0);
                    if (existing.get(i).label() != null) {
                        entry.put("label", existing.get(i).label());
                    }
                }
                list.addObject().put("value", value).put("primary", existing.isEmpty()).put("label", label);
            }
            body.set(field, list);
        }

        private String defaultName() {
            String name = lead.fullName();
            if (name != null) {
                return name;
            }
            if (!blank(request.phone())) {
                return request.phone();
            }
            return !blank(request.email()) ? request.email() : "Unknown caller";
        }

        private String dealTitle() {
            Object mapped = request.properties() == null ? null : request.properties().get(PROPERTY_TITLE);
            if (mapped != null && !mapped.toString().isBlank()) {
                return mapped.toString();
            }
            Object name = request.properties() == null ? null : request.properties().get("name");
            String base = name != null ? name.toString() : defaultName();
            String projectType = lead.ai("project_type");
            return projectType == null ? base : base + " - " + projectType;
        }

        private boolean createDeal() {
            return settings.bool(SETTING_CREATE_DEAL, true);
        }

        /** @return the note's HTML (mapped {@value #PROPERTY_NOTE}, else the transcript) with the event marker, or null */
        private String noteContent() {
            if (!settings.bool(SETTING_CREATE_NOTE, true)) {
                return null;
            }
            Object mapped = request.properties() == null ? null : request.properties().get(PROPERTY_NOTE);
            String text;
            String heading;
            if (mapped != null && !mapped.toString().isBlank()) {
                text = mapped.toString();
                heading = null;
            } else {
                text = lead.call("transcription");
                heading = "Call transcript";
            }
            if (text == null) {
                return null;
            }
            String html = HtmlUtils.htmlEscape(text.strip()).replace("\r\n", "\n").replace("\n", "<br>");
            return (heading == null ? "" : "<b>" + heading + "</b><br>") + html + "<br><br>" + marker();
        }

        /** Text in every note LeadHub writes, by which a redelivery recognises its own note. */
        private String marker() {
            return "LeadHub event " + request.eventId();
        }

        private Object number(String key, Object value) {
            if (value instanceof Number) {
                return value;
            }
            try {
                return Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new PermanentDeliveryException(CRM + " destination " + destination.id() + ": setting " + key
                        + " must be a number, got '" + value + "'", 0, null, null);
            }
        }

        private OutboundRequest request(String purpose, String operation, HttpMethod method, String path,
                                   Map<String, String> query, ObjectNode body) {
            return api.request(purpose, operation, method, path, query, body);
        }

        // ---- sending and answers -------------------------------------------------------------------

        private OutboundResponse exchange(OutboundRequest r) {
            return api.exchange(r);
        }

        private JsonNode send(OutboundRequest r) {
            return api.send(r);
        }

        private JsonNode check(OutboundRequest r, OutboundResponse response) {
            return api.check(r, response);
        }

        private JsonNode data(JsonNode json) {
            return json.path("data");
        }

        private String idOf(OutboundRequest r, JsonNode json) {
            return api.idOf(r, json);
        }
    }

    /**
     * The requests of one Pipedrive destination, shared by a delivery and {@link PipedriveWorkflowWriter}: the
     * {@code api_token} query parameter, the burst window of that token (Pipedrive's burst limits are per token, so
     * every user of one token waits together) and the classification of Pipedrive's answers (class comment).
     */
    final class Api {

        private final DestinationConfig destination;
        private final Settings settings;
        private final URI baseUrl;
        private final UnaryOperator<String> pii;
        private final String rateKey;
        private Duration readTimeout;

        /**
         * @param destination the Pipedrive destination
         * @param pii         masks the lead's phone and e-mail (and any other) in exception messages
         */
        Api(DestinationConfig destination, UnaryOperator<String> pii) {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.settings = new Settings(CRM, destination);
            this.baseUrl = destination.baseUrl() != null ? destination.baseUrl() : URI.create(DEFAULT_BASE_URL);
            this.pii = Objects.requireNonNull(pii, "pii");
            // one window per base URL and token: a digest, never the token itself, is the map key
            this.rateKey = AccessTokenCache.key(TYPE, baseUrl.toString(), settings.secret(SETTING_API_TOKEN).reveal());
            this.readTimeout = Settings.DEFAULT_READ_TIMEOUT;
        }

        /** @return the destination's settings */
        Settings settings() {
            return settings;
        }

        /**
         * Checks what a live request needs: a valid read timeout and a non-empty {@code api_token}.
         *
         * @throws PermanentDeliveryException (status 0) when either is wrong
         */
        void requireLive() {
            this.readTimeout = settings.readTimeout();
            if (settings.secret(SETTING_API_TOKEN).isEmpty()) {
                throw new PermanentDeliveryException(CRM + " destination " + destination.id() + ": setting "
                        + SETTING_API_TOKEN + " resolved empty (set the variable, or dry_run: auto)", 0, null, null);
            }
        }

        /**
         * @param purpose   short name (dry-run file names)
         * @param operation what the request does, for messages, e.g. {@code create activity}
         * @param method    HTTP method
         * @param path      path below the base URL, e.g. {@code /v1/activities}
         * @param query     query parameters (the {@code api_token} is added)
         * @param body      JSON body, or null
         * @return the request, {@code Accept: application/json}, the token marked secret
         */
        OutboundRequest request(String purpose, String operation, HttpMethod method, String path,
                           Map<String, String> query, ObjectNode body) {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("api_token", settings.secret(SETTING_API_TOKEN).reveal());
            OutboundRequest.Builder b = OutboundRequest.builder(CRM, purpose, operation, method,
                            CrmUrls.url(baseUrl, path, q))
                    .secretQueryParameter("api_token")
                    .header("Accept", "application/json");
            if (body != null) {
                b.json(body, mapper);
            }
            return b.build();
        }

        /**
         * Sends, honouring the rate-limit window of the token; returns any answer.
         *
         * @param r the request
         * @return Pipedrive's answer, any status
         * @throws TransientDeliveryException (status 0) when the window is exhausted (with the wait) or no answer came
         */
        OutboundResponse exchange(OutboundRequest r) {
            Instant until = blockedUntil.get(rateKey);
            Instant now = clock.instant();
            if (until != null && now.isBefore(until)) {
                throw new TransientDeliveryException(r.describe() + ": not sent, the rate-limit window is exhausted "
                        + "(x-ratelimit-remaining 0)", 0, null, Duration.between(now, until), null);
            }
            OutboundResponse response = http.send(r, readTimeout, pii);
            String remaining = response.header(RATE_LIMIT_REMAINING);
            Duration reset = RetryAfter.seconds(response.header(RATE_LIMIT_RESET));
            if ("0".equals(remaining == null ? null : remaining.trim()) && reset != null) {
                blockedUntil.put(rateKey, clock.instant().plus(reset));
            } else if (remaining != null) {
                blockedUntil.remove(rateKey);
            }
            return response;
        }

        /**
         * Sends and fails on any non-2xx or {@code success:false} answer.
         *
         * @param r the request
         * @return Pipedrive's JSON answer (the envelope)
         * @throws TransientDeliveryException on 429 (waiting {@code Retry-After}, else {@code x-ratelimit-reset}),
         *                                    408, 5xx, no answer, or an exhausted window
         * @throws PermanentDeliveryException on other 4xx, {@code success:false} or an unreadable answer
         */
        JsonNode send(OutboundRequest r) {
            return check(r, exchange(r));
        }

        /** @see #send(OutboundRequest) */
        JsonNode check(OutboundRequest r, OutboundResponse response) {
            JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
            if (!response.isSuccess()) {
                Duration wait = null;
                if (response.status() == 429) {
                    wait = RetryAfter.parse(response.header("Retry-After"), clock.instant());
                    if (wait == null) {
                        wait = RetryAfter.seconds(response.header(RATE_LIMIT_RESET));
                    }
                }
                throw StatusPolicy.DEFAULT.toException(r, response, detail(json), wait);
            }
            if (json == null || !json.isObject()) {
                throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                        + " with an unreadable body", response.status(), response.body(), null);
            }
            if (!json.path("success").asBoolean(true)) {
                throw new PermanentDeliveryException(ErrorDetail.message(r, response.status(), detail(json)),
                        response.status(), response.body(), null);
            }
            return json;
        }

        /**
         * @return {@code data.id} of the answer
         * @throws PermanentDeliveryException when there is none
         */
        String idOf(OutboundRequest r, JsonNode json) {
            String id = json.path("data").path("id").asText("");
            if (id.isBlank()) {
                throw new PermanentDeliveryException(r.describe() + ": answer without data.id", 0, json.toString(), null);
            }
            return id;
        }

        /** @return {@code "<error> (<error_info>)"} from Pipedrive's error envelope, masked, or empty */
        private String detail(JsonNode json) {
            String error = JsonTrees.text(json, "error");
            String info = JsonTrees.text(json, "error_info");
            String detail = (error == null ? "" : error) + (info == null ? "" : (error == null ? "" : " ") + "(" + info + ")");
            return pii.apply(detail);
        }
    }

    /**
     * @return the entries of a list of {@code {value, label, primary}} objects (GET person, primary first) or of
     *         texts (search result items)
     */
    private static List<Entry> values(JsonNode list) {
        List<Entry> out = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode entry : list) {
                String v = entry.isObject() ? entry.path("value").asText("") : entry.asText("");
                String label = entry.isObject() ? JsonTrees.text(entry, "label") : null;
                if (!v.isBlank()) {
                    if (entry.path("primary").asBoolean(false)) {
                        out.add(0, new Entry(v, label));
                    } else {
                        out.add(new Entry(v, label));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Puts a Pipedrive id: a number when it is all digits (as Pipedrive returns them), else the text, null as null.
     */
    static void putId(ObjectNode body, String field, String id) {
        if (id == null) {
            body.putNull(field);
        } else if (id.chars().allMatch(Character::isDigit) && id.length() < 18) {
            body.put(field, Long.parseLong(id));
        } else {
            body.put(field, id);
        }
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
