package io.leadhub.dispatch.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.DeliverySteps;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/**
 * Delivers leads to HubSpot as CRM v3 contacts (destination type {@code hubspot}).
 *
 * <p>Endpoints used (HubSpot CRM v3, https://developers.hubspot.com/docs/api/crm/contacts and
 * https://developers.hubspot.com/docs/api/crm/search), relative to the destination's {@code base_url}
 * (default {@value #DEFAULT_BASE_URL}), each with {@code Authorization: Bearer <token>},
 * {@code Content-Type: application/json} and {@code Accept: application/json}:
 * <ul>
 *   <li>{@code POST /crm/v3/objects/contacts/search} with one {@code EQ} filter on {@code phone} (or the
 *       destination setting {@value #SETTING_PHONE_SEARCH_PROPERTY}) or {@code email}, {@code limit 1};</li>
 *   <li>{@code POST /crm/v3/objects/contacts} with {@code {"properties":{...}}} to create;</li>
 *   <li>{@code PATCH /crm/v3/objects/contacts/{contactId}} with {@code {"properties":{...}}} to update.</li>
 * </ul>
 *
 * <p>Delivery, per {@link #deliver(DeliveryRequest)}:
 * <ol>
 *   <li>dry run ({@link DestinationConfig#isDryRun()}): the requests are written as JSON files, nothing is sent;</li>
 *   <li>the match is the request's {@code knownRecordId}, else the first hit of a search on each of the
 *       destination's {@code duplicate_detection.match_fields} in order (blank lead values skipped);</li>
 *   <li>no match: create; a match: update ({@code update_existing}), nothing ({@code skip}) or create
 *       ({@code create});</li>
 *   <li>a create answered {@code 409 ... Existing ID: <id>} is a match on that id (the action applies; for
 *       {@code create} the delivery fails permanently, HubSpot refusing the duplicate);</li>
 *   <li>an update of the known record answered 404 (deleted or merged in HubSpot) falls back to the search.</li>
 * </ol>
 *
 * <p>Errors (https://developers.hubspot.com/docs/api/error-handling,
 * https://developers.hubspot.com/docs/api/usage-details): 429 gives a {@link TransientDeliveryException} whose
 * wait is {@code Retry-After} (seconds or HTTP-date), else {@code X-HubSpot-RateLimit-Interval-Milliseconds};
 * 408, 5xx and I/O errors (connection refused, timeouts; status 0) are transient; every other 4xx is a
 * {@link PermanentDeliveryException} carrying HubSpot's body verbatim. Messages name the operation, path
 * and status and never contain the token or unmasked phone numbers and e-mail addresses.
 *
 * <p>Deal, call and note ({@link HubSpotEngagements}): when the destination sets {@code deal_when},
 * {@code log_call: true} or {@code log_note: true}, the contact is followed by a deal (if {@code deal_when} holds),
 * a call engagement and a note with the AI summary, each created already associated to the contact. Every finished
 * part (contact, deal, call, note) is recorded in {@link DeliverySteps}; a redelivery after a partial failure
 * (e.g. the call answered 503) skips the recorded parts, so nothing is created twice. The contact part recorded for
 * the event is reused as is (its id and outcome), the deal is recorded per contact ({@code deal_per: contact},
 * default: one deal per contact) or per event. Without these settings nothing but the contact is written and no
 * steps are recorded.
 *
 * <p>HTTP goes through the JDK {@link HttpClient} (connect timeout 5 s, read timeout 30 s or the destination
 * setting {@value #SETTING_TIMEOUT_MS}). The bean is thread-safe: its only state is a cache of one
 * {@link RestClient} per base URL and read timeout.
 */
@Component("hubspotConnector")
public class HubSpotConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "hubspot";

    /** Base URL used when the destination sets none. */
    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";

    /** Destination setting: read timeout in milliseconds (default 30000). */
    public static final String SETTING_TIMEOUT_MS = "timeout_ms";

    /** Destination setting: contact property searched for the lead's phone (default {@code phone}). */
    public static final String SETTING_PHONE_SEARCH_PROPERTY = "phone_search_property";

    /** TCP connect timeout of every request. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Read timeout when the destination sets no {@value #SETTING_TIMEOUT_MS}. */
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    /** CRM v3 contacts: create ({@code POST}) and, with {@code /{contactId}}, update ({@code PATCH}). */
    static final String CONTACTS_PATH = "/crm/v3/objects/contacts";
    /** CRM v3 contact search. */
    static final String SEARCH_PATH = CONTACTS_PATH + "/search";

    private static final Logger log = LoggerFactory.getLogger(HubSpotConnector.class);

    private final RestClient.Builder restClientBuilder;
    private final ObjectMapper objectMapper;
    private final DeliverySteps steps;
    private final HttpClient httpClient;
    private final ConcurrentMap<ClientKey, RestClient> clients = new ConcurrentHashMap<>();

    /**
     * A connector that keeps finished engagement steps in memory only (tests, tools).
     *
     * @param restClientBuilder Spring Boot's auto-configured builder; cloned per base URL, never modified
     * @param objectMapper      JSON mapper for request and response bodies
     */
    public HubSpotConnector(RestClient.Builder restClientBuilder, ObjectMapper objectMapper) {
        this(restClientBuilder, objectMapper, DeliverySteps.inMemory());
    }

    /**
     * @param restClientBuilder Spring Boot's auto-configured builder; cloned per base URL, never modified
     * @param objectMapper      JSON mapper for request and response bodies
     * @param steps             the finished-step store ({@code deliverySteps} bean); in-memory when there is none
     */
    @Autowired
    public HubSpotConnector(RestClient.Builder restClientBuilder, ObjectMapper objectMapper,
                            ObjectProvider<DeliverySteps> steps) {
        this(restClientBuilder, objectMapper, steps.getIfAvailable(DeliverySteps::inMemory));
    }

    /**
     * @param restClientBuilder Spring Boot's auto-configured builder; cloned per base URL, never modified
     * @param objectMapper      JSON mapper for request and response bodies
     * @param steps             the finished-step store
     */
    public HubSpotConnector(RestClient.Builder restClientBuilder, ObjectMapper objectMapper, DeliverySteps steps) {
        this.restClientBuilder = Objects.requireNonNull(restClientBuilder, "restClientBuilder");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Writes one lead to HubSpot as a contact (see the class comment for the algorithm and endpoints).
     *
     * @param request the mapped lead and its {@code hubspot} destination
     * @return {@code CREATED} or {@code UPDATED} with the HubSpot contact id, {@code SKIPPED} with the matched
     *         contact id, or {@code DRY_RUN} with the request's {@code knownRecordId} (possibly null); with
     *         engagements, the contact's outcome (of the attempt that wrote it)
     * @throws TransientDeliveryException on 429 (with the requested wait), 408, 5xx, I/O errors and timeouts
     *                                    (status 0), or when dry-run files cannot be written (status 0)
     * @throws PermanentDeliveryException on any other 4xx (with HubSpot's body), a 409 conflict under duplicate
     *                                    action {@code create}, an unreadable 2xx answer or an invalid
     *                                    {@value #SETTING_TIMEOUT_MS} setting (status 0)
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Objects.requireNonNull(request, "request");
        Delivery delivery = new Delivery(request);
        if (request.destination().isDryRun()) {
            return delivery.dryRun();
        }
        DeliveryResult result = delivery.engagements.enabled() ? delivery.liveWithEngagements() : delivery.live();
        if (log.isDebugEnabled()) {
            log.debug("hubspot delivery tenant={} destination={} event={}: {} contact {}", request.tenant(),
                    request.destination().id(), request.eventId(), result.outcome(), result.crmRecordId());
        }
        return result;
    }

    /** One {@code deliver} call: its request, destination settings and the requests it builds. */
    private final class Delivery {

        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final URI baseUrl;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final String phoneProperty;
        private final HubSpotEngagements.Config engagements;

        Delivery(DeliveryRequest request) {
            this.request = request;
            this.destination = Objects.requireNonNull(request.destination(), "destination");
            this.baseUrl = destination.baseUrl() != null ? destination.baseUrl() : URI.create(DEFAULT_BASE_URL);
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action() != null ? detection.action() : DuplicateAction.UPDATE_EXISTING;
            this.matchFields = detection.matchFields();
            Object phoneSetting = destination.settings().get(SETTING_PHONE_SEARCH_PROPERTY);
            this.phoneProperty = phoneSetting != null && !phoneSetting.toString().isBlank()
                    ? phoneSetting.toString().trim() : "phone";
            this.engagements = HubSpotEngagements.Config.from(destination);
        }

        // ---- dry run -------------------------------------------------------------------------------

        /** Writes the requests a live delivery would send, without a CRM to answer the searches. */
        DeliveryResult dryRun() {
            String known = blankToNull(request.knownRecordId());
            List<HubSpotRequest> requests = new ArrayList<>();
            if (known == null) {
                requests.addAll(searches());
                requests.add(createRequest());
            } else {
                switch (action) {
                    case UPDATE_EXISTING -> requests.add(updateRequest(known));
                    case CREATE -> requests.add(createRequest());
                    case SKIP -> { /* nothing is written to HubSpot */ }
                }
            }
            if (engagements.enabled()) {
                String contactId = known != null ? known : "{contactId}";
                HubSpotEngagements.plan(engagements, request, contactId, objectMapper)
                        .forEach(p -> requests.add(p.request()));
            }
            Path dir = request.dryRunDir();
            if (dir == null) {
                throw new PermanentDeliveryException("HubSpot dry run: destination " + destination.id()
                        + " has no dry-run folder", 0, null, null);
            }
            String prefix = safeFileName(request.eventId());
            try {
                Files.createDirectories(dir);
                for (int i = 0; i < requests.size(); i++) {
                    HubSpotRequest r = requests.get(i);
                    Path file = dir.resolve(String.format("%s-%02d-%s.json", prefix, i + 1, r.purpose()));
                    Files.write(file, objectMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(dryRunFile(r)));
                }
            } catch (IOException e) {
                throw new TransientDeliveryException("HubSpot dry run: cannot write request files to " + dir
                        + ": " + e.getClass().getSimpleName(), 0, null, null, e);
            }
            log.info("hubspot dry run tenant={} destination={} event={}: {} request(s) written to {}",
                    request.tenant(), destination.id(), request.eventId(), requests.size(), dir);
            return new DeliveryResult(Outcome.DRY_RUN, known);
        }

        private ObjectNode dryRunFile(HubSpotRequest r) {
            ObjectNode file = objectMapper.createObjectNode();
            file.put("method", r.method().name());
            file.put("url", r.url(baseUrl).toString());
            ObjectNode headers = file.putObject("headers");
            headers.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
            headers.put(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
            headers.put(HttpHeaders.AUTHORIZATION, "Bearer ****");
            file.set("body", r.body());
            return file;
        }

        // ---- live ----------------------------------------------------------------------------------

        /**
         * The contact (once per event), then the deal, call and note that are not recorded as done yet.
         */
        DeliveryResult liveWithEngagements() {
            String tenant = request.tenant();
            Optional<DeliverySteps.Step> contactStep = steps.find(tenant, destination.id(), request.eventId(), "contact");
            DeliveryResult contact;
            if (contactStep.isPresent()) {
                contact = new DeliveryResult(recordedOutcome(contactStep.get().detail()), contactStep.get().crmRecordId());
                log.info("hubspot tenant={} destination={} event={}: contact {} already {} by an earlier attempt",
                        tenant, destination.id(), request.eventId(), contact.crmRecordId(),
                        contact.outcome().name().toLowerCase(Locale.ROOT));
            } else {
                contact = live();
                if (contact.crmRecordId() != null) {
                    steps.record(tenant, destination.id(), request.eventId(), "contact", contact.crmRecordId(),
                            contact.outcome().name());
                }
            }
            if (contact.crmRecordId() == null) {
                return contact;
            }
            RestClient client = client(baseUrl, readTimeout());
            for (HubSpotEngagements.Planned planned : HubSpotEngagements.plan(engagements, request,
                    contact.crmRecordId(), objectMapper)) {
                Optional<DeliverySteps.Step> done = steps.find(tenant, destination.id(), planned.subject(), planned.step());
                if (done.isPresent()) {
                    log.info("hubspot tenant={} destination={} event={}: {} {} exists already (for {}), not created again",
                            tenant, destination.id(), request.eventId(), planned.step(), done.get().crmRecordId(),
                            planned.subject().startsWith("contact:") ? "this contact" : "this event");
                    continue;
                }
                HubSpotRequest create = planned.request();
                HubSpotResponse response = send(client, create);
                if (!response.isSuccess()) {
                    throw error(create, response);
                }
                String id = lenientId(response);
                steps.record(tenant, destination.id(), planned.subject(), planned.step(), id, "created");
                log.info("hubspot tenant={} destination={} event={}: {} {} created for contact {}", tenant,
                        destination.id(), request.eventId(), planned.step(), id, contact.crmRecordId());
            }
            return contact;
        }

        /** @return the contact outcome recorded with the contact step ({@code CREATED}, ...), UPDATED if unreadable */
        private Outcome recordedOutcome(String detail) {
            try {
                return detail == null ? Outcome.UPDATED : Outcome.valueOf(detail);
            } catch (IllegalArgumentException e) {
                return Outcome.UPDATED;
            }
        }

        /** @return the {@code id} of a 2xx answer, or null when the body has none (the object exists anyway) */
        private String lenientId(HubSpotResponse response) {
            try {
                String id = objectMapper.readTree(response.body()).path("id").asText("");
                return id.isBlank() ? null : id;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        DeliveryResult live() {
            RestClient client = client(baseUrl, readTimeout());
            String known = blankToNull(request.knownRecordId());
            if (known != null) {
                DeliveryResult result = onMatch(client, known, true);
                if (result != null) {
                    return result;
                }
            }
            for (HubSpotRequest search : searches()) {
                String found = searchHit(client, search);
                if (found != null) {
                    return onMatch(client, found, false);
                }
            }
            return create(client);
        }

        /**
         * @return the result, or null when {@code fromIndex} and the record no longer exists in HubSpot
         */
        private DeliveryResult onMatch(RestClient client, String contactId, boolean fromIndex) {
            switch (action) {
                case SKIP:
                    return new DeliveryResult(Outcome.SKIPPED, contactId);
                case CREATE:
                    return create(client);
                case UPDATE_EXISTING:
                default:
                    HubSpotRequest update = updateRequest(contactId);
                    HubSpotResponse response = send(client, update);
                    if (response.status() == 404 && fromIndex) {
                        log.info("hubspot tenant={} destination={} event={}: known contact {} is gone (404), "
                                + "searching again", request.tenant(), destination.id(), request.eventId(), contactId);
                        return null;
                    }
                    if (!response.isSuccess()) {
                        throw error(update, response);
                    }
                    String id = readId(update, response);
                    return new DeliveryResult(Outcome.UPDATED, id != null ? id : contactId);
            }
        }

        private DeliveryResult create(RestClient client) {
            HubSpotRequest create = createRequest();
            HubSpotResponse response = send(client, create);
            if (response.isSuccess()) {
                String id = readId(create, response);
                if (id == null) {
                    throw new PermanentDeliveryException(create.describe() + ": HTTP " + response.status()
                            + " without a contact id", response.status(), response.body(), null);
                }
                return new DeliveryResult(Outcome.CREATED, id);
            }
            if (response.status() == 409) {
                String existing = HubSpotErrors.existingId(response.body(), objectMapper);
                if (existing != null) {
                    if (action == DuplicateAction.CREATE) {
                        throw new PermanentDeliveryException(create.describe() + ": HTTP 409 CONFLICT: contact "
                                + existing + " already exists and HubSpot refuses a duplicate (duplicate action "
                                + "'create')", 409, response.body(), null);
                    }
                    return onMatch(client, existing, false);
                }
            }
            throw error(create, response);
        }

        private String searchHit(RestClient client, HubSpotRequest search) {
            HubSpotResponse response = send(client, search);
            if (!response.isSuccess()) {
                throw error(search, response);
            }
            JsonNode results = readJson(search, response).path("results");
            if (results.isArray() && !results.isEmpty()) {
                String id = results.get(0).path("id").asText("");
                return id.isBlank() ? null : id;
            }
            return null;
        }

        private HubSpotResponse send(RestClient client, HubSpotRequest r) {
            byte[] body;
            try {
                body = objectMapper.writeValueAsBytes(r.body());
            } catch (JsonProcessingException e) {
                throw new PermanentDeliveryException(r.describe() + ": cannot serialise the request body", 0, null, e);
            }
            Secret token = destination.token();
            try {
                return client.method(r.method())
                        .uri(r.url(baseUrl))
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + (token == null ? "" : token.reveal()))
                        .body(body)
                        .exchange((req, res) -> {
                            HttpHeaders headers = new HttpHeaders();
                            headers.putAll(res.getHeaders());
                            String text = StreamUtils.copyToString(res.getBody(), StandardCharsets.UTF_8);
                            return new HubSpotResponse(res.getStatusCode().value(), headers, text);
                        });
            } catch (ResourceAccessException e) {
                Throwable cause = e.getMostSpecificCause();
                String reason = cause.getClass().getSimpleName()
                        + (cause.getMessage() != null ? ": " + maskPii(cause.getMessage()) : "");
                throw new TransientDeliveryException(r.describe() + ": no response (" + reason + ")", 0, null, null, e);
            }
        }

        private RuntimeException error(HubSpotRequest r, HubSpotResponse response) {
            return HubSpotErrors.toException(r, response, objectMapper, this::maskPii, Instant.now());
        }

        private JsonNode readJson(HubSpotRequest r, HubSpotResponse response) {
            try {
                JsonNode json = objectMapper.readTree(response.body());
                if (json == null || !json.isObject()) {
                    throw new IOException("not a JSON object");
                }
                return json;
            } catch (IOException e) {
                throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                        + " with an unreadable body", response.status(), response.body(), e);
            }
        }

        private String readId(HubSpotRequest r, HubSpotResponse response) {
            String id = readJson(r, response).path("id").asText("");
            return id.isBlank() ? null : id;
        }

        // ---- requests ------------------------------------------------------------------------------

        /** The searches of {@code match_fields}, in order, for the lead values present. */
        private List<HubSpotRequest> searches() {
            List<HubSpotRequest> searches = new ArrayList<>();
            for (String field : matchFields) {
                switch (field) {
                    case "phone" -> {
                        if (!isBlank(request.phone())) {
                            searches.add(searchRequest("search-phone", "search contact by phone", phoneProperty,
                                    request.phone()));
                        }
                    }
                    case "email" -> {
                        if (!isBlank(request.email())) {
                            searches.add(searchRequest("search-email", "search contact by email", "email",
                                    request.email()));
                        }
                    }
                    default -> log.warn("hubspot destination {}: ignoring unknown match field '{}'",
                            destination.id(), field);
                }
            }
            return searches;
        }

        private HubSpotRequest searchRequest(String purpose, String operation, String property, String value) {
            ObjectNode body = objectMapper.createObjectNode();
            ObjectNode filter = body.putArray("filterGroups").addObject().putArray("filters").addObject();
            filter.put("propertyName", property);
            filter.put("operator", "EQ");
            filter.put("value", value);
            Set<String> returned = new LinkedHashSet<>(List.of("email", phoneProperty));
            returned.forEach(body.putArray("properties")::add);
            body.put("limit", 1);
            return new HubSpotRequest(purpose, operation, HttpMethod.POST, SEARCH_PATH, body);
        }

        private HubSpotRequest createRequest() {
            return new HubSpotRequest("create", "create contact", HttpMethod.POST, CONTACTS_PATH, propertiesBody());
        }

        private HubSpotRequest updateRequest(String contactId) {
            String path = CONTACTS_PATH + "/" + UriUtils.encodePathSegment(contactId, StandardCharsets.UTF_8);
            return new HubSpotRequest("update", "update contact", HttpMethod.PATCH, path, propertiesBody());
        }

        private ObjectNode propertiesBody() {
            Map<String, Object> properties = request.properties() != null
                    ? new LinkedHashMap<>(request.properties()) : Map.of();
            ObjectNode body = objectMapper.createObjectNode();
            body.set("properties", objectMapper.valueToTree(properties));
            return body;
        }

        // ---- settings and masking ------------------------------------------------------------------

        private Duration readTimeout() {
            Object value = destination.settings().get(SETTING_TIMEOUT_MS);
            if (value == null) {
                return DEFAULT_READ_TIMEOUT;
            }
            try {
                long millis = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
                if (millis > 0) {
                    return Duration.ofMillis(millis);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new PermanentDeliveryException("HubSpot destination " + destination.id() + ": setting "
                    + SETTING_TIMEOUT_MS + " must be a positive number of milliseconds, got '" + value + "'",
                    0, null, null);
        }

        /** Masks this lead's phone and e-mail (in any of their spellings) and any other phone or e-mail. */
        private String maskPii(String text) {
            String masked = text;
            String email = request.email();
            if (!isBlank(email)) {
                masked = masked.replace(email, Masking.email(email));
            }
            String phone = request.phone();
            if (!isBlank(phone)) {
                masked = masked.replace(phone, Masking.phone(phone));
                if (phone.startsWith("+") && phone.length() > 1) {
                    masked = masked.replace(phone.substring(1), Masking.phone(phone.substring(1)));
                }
            }
            return Masking.text(masked);
        }
    }

    private RestClient client(URI baseUrl, Duration readTimeout) {
        return clients.computeIfAbsent(new ClientKey(baseUrl, readTimeout), key -> {
            JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
            factory.setReadTimeout(key.readTimeout());
            return restClientBuilder.clone()
                    .baseUrl(key.baseUrl().toString())
                    .requestFactory(factory)
                    .build();
        });
    }

    /** Cache key of the RestClients: one per base URL and read timeout. */
    private record ClientKey(URI baseUrl, Duration readTimeout) {
    }

    private static String safeFileName(String eventId) {
        if (isBlank(eventId)) {
            return "no-event-id";
        }
        return eventId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
