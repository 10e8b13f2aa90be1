package io.leadhub.dispatch.perfex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.http.DryRunFiles;
import io.leadhub.dispatch.http.ErrorDetail;
import io.leadhub.dispatch.http.JsonTrees;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.dispatch.http.Settings;
import io.leadhub.dispatch.http.StatusPolicy;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriUtils;

/**
 * Syncs call results back to leads in Perfex CRM through its REST API module (destination type {@code perfex}),
 * following the module's OpenAPI 3.1.0 ({@code contracts/perfex/perfex-rest-api.openapi.json}) and the open
 * module's {@code api/controllers/Leads.php}.
 *
 * <p>Requests, relative to {@code base_url} (the Perfex installation URL, e.g. {@code https://crm.example.com}),
 * each with the header {@code authtoken: <token>} and {@code Accept: application/json}:
 * <ul>
 *   <li>{@code GET /api/leads/search/{keysearch}}: by phone (its national number by default, see
 *       {@code phone_search}), then by e-mail; the answer is an array or {@code {data: [...]}}, 404 = none.
 *       Perfex searches text, so a hit counts only when its {@code phonenumber} has the lead's digits (or its
 *       {@code email} equals the lead's, ignoring case);</li>
 *   <li>{@code PUT /api/leads/{id}} with a JSON object of the mapped properties; properties listed in
 *       {@code custom_fields} go into {@code custom_fields: {leads: {<field id>: value}}};</li>
 *   <li>{@code POST /api/leads} as {@code multipart/form-data} (what every module version accepts): the mapped
 *       properties, custom fields as {@code custom_fields[leads][<field id>]}, plus the required
 *       {@code name} (mapped {@code name}, else the lead's full name, else its phone or e-mail), {@code source},
 *       {@code status} and {@code assigned} from {@code lead_defaults} unless mapped. The new id is read from
 *       {@code record_id}, {@code id}, {@code lead_id} or {@code data.id} of the answer; the old module returns
 *       none, so the lead is then searched again.</li>
 * </ul>
 *
 * <p>Matching: the request's {@code knownRecordId}, else the searches; then {@code duplicate_detection.action}
 * (update_existing / skip / create). An update of the known id answered 404 falls back to the searches; an
 * update of a lead the search just returned answered 404 is the module's answer to "nothing changed"
 * ({@code Lead Update Fail.}, {@code Leads.php data_put}) and counts as updated.
 *
 * <p>Errors: {@code retry_on} (default 408, 429, 5xx) and no answer are transient; other non-2xx answers
 * (401/403 bad token, 404/422 validation on create) and a 2xx answer {@code {"status": false}} are permanent,
 * with Perfex's body verbatim and its {@code message} (masked) in the exception message.
 *
 * <p>Dry run: {@code dry_run: true}, or {@code auto} while {@code token} resolved empty.
 */
@Component("perfexConnector")
public class PerfexConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "perfex";

    /** Lead fields a create needs ({@code POST /leads} required list of the OpenAPI). */
    public static final List<String> REQUIRED_ON_CREATE = List.of("name", "source", "status", "assigned");

    static final String LEADS = "/api/leads";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final String SYSTEM = "Perfex";
    private static final Logger log = LoggerFactory.getLogger(PerfexConnector.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;

    /**
     * @param http   HTTP sender
     * @param mapper JSON mapper
     */
    public PerfexConnector(OutboundHttp http, ObjectMapper mapper) {
        this.http = Objects.requireNonNull(http, "http");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @param request the mapped lead and its {@code perfex} destination
     * @return {@code CREATED}/{@code UPDATED} with the Perfex lead id (null when a created lead could not be
     *         found again), {@code SKIPPED} with the matched id, {@code DRY_RUN} with the known id
     * @throws io.leadhub.dispatch.TransientDeliveryException on no answer and {@code retry_on} statuses
     * @throws PermanentDeliveryException on other non-2xx answers, {@code "status": false}, invalid settings
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Delivery delivery = new Delivery(request);
        return delivery.dryRun ? delivery.dryRun() : delivery.live();
    }

    /**
     * @param destination a Perfex destination
     * @param mask        masks personal data in exception messages
     * @return the requests of that destination
     * @throws PermanentDeliveryException (status 0) when {@code base_url}, {@code retry_on} or {@code timeout_ms} is
     *                                    missing or invalid
     */
    Api api(DestinationConfig destination, UnaryOperator<String> mask) {
        return new Api(destination, mask);
    }

    /** One {@code deliver} call. */
    private final class Delivery {
        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final Settings settings;
        private final Api api;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final Map<String, String> customFields = new LinkedHashMap<>();
        private final Map<String, String> leadDefaults = new LinkedHashMap<>();
        private final String phoneSearch;
        private final UnaryOperator<String> mask;
        private final boolean dryRun;

        Delivery(DeliveryRequest request) {
            this.request = request;
            this.destination = Objects.requireNonNull(request.destination(), "destination");
            this.mask = PiiMask.of(request.phone(), request.email());
            this.api = new Api(destination, mask);
            this.settings = api.settings();
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action();
            this.matchFields = detection.matchFields();
            settings.map(settings.all(), "custom_fields", "custom_fields").forEach((property, id) -> {
                String fieldId = settings.requiredString(Map.of("v", id == null ? "" : id), "v", "custom_fields." + property);
                if (!fieldId.matches("\\d+")) {
                    throw settings.invalid("custom_fields." + property, "must be the numeric id of a Perfex lead custom field");
                }
                customFields.put(property, fieldId);
            });
            settings.map(settings.all(), "lead_defaults", "lead_defaults").forEach((field, value) ->
                    leadDefaults.put(field, settings.requiredString(Map.of("v", value == null ? "" : value), "v",
                            "lead_defaults." + field)));
            this.phoneSearch = settings.string(settings.all(), "phone_search", "phone_search", "national");
            if (!List.of("national", "e164", "digits").contains(phoneSearch)) {
                throw settings.invalid("phone_search", "must be national, e164 or digits, got '" + phoneSearch + "'");
            }
            this.dryRun = destination.dryRun() == DryRun.ON
                    || (destination.dryRun() == DryRun.AUTO && (destination.token() == null || destination.token().isEmpty()));
        }

        // ---- dry run ---------------------------------------------------------------------------------

        DeliveryResult dryRun() {
            String known = blankToNull(request.knownRecordId());
            List<OutboundRequest> requests = new ArrayList<>();
            if (known == null) {
                requests.addAll(searches());
                requests.add(createRequest());
            } else if (action == DuplicateAction.UPDATE_EXISTING) {
                requests.add(updateRequest(known));
            } else if (action == DuplicateAction.CREATE) {
                requests.add(createRequest());
            }
            return DryRunFiles.dryRun(request,
                    requests.stream().map(r -> r.withSecretHeader("authtoken", "", OutboundRequest.MASK)).toList(),
                    known, mapper, SYSTEM);
        }

        // ---- live ------------------------------------------------------------------------------------

        DeliveryResult live() {
            String known = blankToNull(request.knownRecordId());
            if (known != null) {
                DeliveryResult result = onMatch(known, true);
                if (result != null) {
                    return result;
                }
            }
            String found = search();
            return found != null ? onMatch(found, false) : create();
        }

        /** @return the first matching lead id of the searches, or null */
        private String search() {
            for (OutboundRequest search : searches()) {
                OutboundResponse response = send(search);
                if (response.status() == 404) {
                    continue;
                }
                if (!response.isSuccess()) {
                    throw error(search, response);
                }
                String id = match(search.purpose(), readJson(search, response));
                if (id != null) {
                    return id;
                }
            }
            return null;
        }

        /** @return the result, or null when the known lead is gone (404) and the searches should run */
        private DeliveryResult onMatch(String id, boolean fromIndex) {
            switch (action) {
                case SKIP:
                    return new DeliveryResult(Outcome.SKIPPED, id);
                case CREATE:
                    return create();
                case UPDATE_EXISTING:
                default:
                    OutboundRequest update = updateRequest(id);
                    OutboundResponse response = send(update);
                    if (response.status() == 404) {
                        if (fromIndex) {
                            log.info("perfex tenant={} destination={} event={}: known lead {} answered 404, searching",
                                    request.tenant(), destination.id(), request.eventId(), id);
                            return null;
                        }
                        log.info("perfex tenant={} destination={} event={}: lead {} unchanged (Perfex answers 404 "
                                + "to an update that changes nothing)", request.tenant(), destination.id(),
                                request.eventId(), id);
                        return new DeliveryResult(Outcome.UPDATED, id);
                    }
                    if (!response.isSuccess()) {
                        throw error(update, response);
                    }
                    refuseStatusFalse(update, response);
                    return new DeliveryResult(Outcome.UPDATED, id);
            }
        }

        private DeliveryResult create() {
            OutboundRequest create = createRequest();
            OutboundResponse response = send(create);
            if (!response.isSuccess()) {
                throw error(create, response);
            }
            refuseStatusFalse(create, response);
            String id = createdId(response.body());
            if (id == null) {
                id = search();
            }
            if (id == null) {
                log.warn("perfex tenant={} destination={} event={}: lead created, but its id could not be found",
                        request.tenant(), destination.id(), request.eventId());
            }
            return new DeliveryResult(Outcome.CREATED, id);
        }

        // ---- requests --------------------------------------------------------------------------------

        private List<OutboundRequest> searches() {
            List<OutboundRequest> searches = new ArrayList<>();
            for (String field : matchFields) {
                if ("phone".equals(field) && blankToNull(request.phone()) != null) {
                    String phone = request.phone().trim();
                    String term = switch (phoneSearch) {
                        case "e164" -> phone;
                        case "digits" -> phone.replaceAll("\\D", "");
                        default -> {
                            String national = PiiMask.nationalNumber(phone);
                            yield national != null ? national : phone.replaceAll("\\D", "");
                        }
                    };
                    searches.add(get("search-phone", "search lead by phone", LEADS + "/search/" + segment(term),
                            LEADS + "/search/" + segment(Masking.phone(term))));
                } else if ("email".equals(field) && blankToNull(request.email()) != null) {
                    String email = request.email().trim();
                    searches.add(get("search-email", "search lead by email", LEADS + "/search/" + segment(email),
                            LEADS + "/search/" + segment(Masking.email(email))));
                }
            }
            return searches;
        }

        private OutboundRequest get(String purpose, String operation, String path, String shownPath) {
            return api.get(purpose, operation, path, shownPath);
        }

        private OutboundRequest updateRequest(String id) {
            Map<String, Object> fields = new LinkedHashMap<>();
            Map<String, Object> custom = new LinkedHashMap<>();
            split(fields, custom);
            ObjectNode body = (ObjectNode) JsonTrees.toNode(fields);
            if (!custom.isEmpty()) {
                body.putObject("custom_fields").set("leads", JsonTrees.toNode(custom));
            }
            return api.json("update", "update lead", HttpMethod.PUT, LEADS + "/" + segment(id), body);
        }

        private OutboundRequest createRequest() {
            Map<String, Object> fields = new LinkedHashMap<>();
            Map<String, Object> custom = new LinkedHashMap<>();
            split(fields, custom);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("name", text(fields.containsKey("name") ? fields.get("name") : defaultName()));
            for (String required : List.of("source", "status", "assigned")) {
                String value = fields.containsKey(required) ? text(fields.get(required)) : leadDefaults.get(required);
                if (value == null || value.isBlank()) {
                    throw settings.invalid("lead_defaults." + required, "is required to create a Perfex lead (or map '"
                            + required + "'): the id of the lead " + required);
                }
                form.put(required, value);
            }
            leadDefaults.forEach((field, value) -> {
                if (!form.containsKey(field) && !fields.containsKey(field)) {
                    form.put(field, value);
                }
            });
            fields.forEach((field, value) -> form.putIfAbsent(field, text(value)));
            custom.forEach((fieldId, value) -> form.put("custom_fields[leads][" + fieldId + "]", text(value)));
            if (form.get("name") == null || form.get("name").isBlank()) {
                throw new PermanentDeliveryException("Perfex create lead: the lead has no name, phone or e-mail to "
                        + "use as the required 'name' (map 'name')", 0, null, null);
            }
            return api.multipart("create", "create lead", LEADS, form);
        }

        /** Splits the mapped properties into lead fields and custom field values (by field id). */
        private void split(Map<String, Object> fields, Map<String, Object> custom) {
            if (request.properties() == null) {
                return;
            }
            request.properties().forEach((property, value) -> {
                String fieldId = customFields.get(property);
                if (fieldId != null) {
                    custom.put(fieldId, value);
                } else {
                    fields.put(property, value);
                }
            });
        }

        private String defaultName() {
            Object fullName = request.event() == null || request.event().lead() == null ? null
                    : request.event().lead().get("full_name");
            if (fullName != null && !fullName.toString().isBlank()) {
                return fullName.toString();
            }
            return blankToNull(request.phone()) != null ? request.phone().trim() : blankToNull(request.email());
        }

        // ---- answers ---------------------------------------------------------------------------------

        private String match(String purpose, JsonNode answer) {
            JsonNode rows = answer.isArray() ? answer : answer.path("data");
            if (!rows.isArray()) {
                return null;
            }
            for (JsonNode row : rows) {
                String id = row.path("id").asText("");
                if (id.isBlank()) {
                    continue;
                }
                if (purpose.equals("search-phone") && samePhone(row.path("phonenumber").asText(""))) {
                    return id;
                }
                if (purpose.equals("search-email") && request.email() != null
                        && row.path("email").asText("").trim().equalsIgnoreCase(request.email().trim())) {
                    return id;
                }
            }
            return null;
        }

        /** True when a Perfex phone field holds this lead's number (in E.164, digits or national form). */
        private boolean samePhone(String stored) {
            String digits = stored.replaceAll("\\D", "");
            if (digits.length() < 7 || request.phone() == null) {
                return false;
            }
            String lead = request.phone().replaceAll("\\D", "");
            String national = PiiMask.nationalNumber(request.phone());
            return lead.equals(digits) || lead.endsWith(digits) || (national != null && digits.endsWith(national));
        }

        private String createdId(String body) {
            return api.createdId(body);
        }

        private void refuseStatusFalse(OutboundRequest r, OutboundResponse response) {
            api.refuseStatusFalse(r, response);
        }

        private JsonNode readJson(OutboundRequest r, OutboundResponse response) {
            return api.readJson(r, response);
        }

        private OutboundResponse send(OutboundRequest r) {
            return api.send(r);
        }

        private RuntimeException error(OutboundRequest r, OutboundResponse response) {
            return api.error(r, response);
        }
    }

    /**
     * The requests of one Perfex destination, shared by a delivery and {@link PerfexWorkflowWriter}: base URL, the
     * {@code authtoken} header, the read timeout, the {@code retry_on} classification of non-2xx answers and the
     * module's answers ({@code {"status": false}}, the new record's id).
     */
    final class Api {
        private final DestinationConfig destination;
        private final Settings settings;
        private final URI baseUrl;
        private final StatusPolicy policy;
        private final Duration timeout;
        private final UnaryOperator<String> mask;

        /**
         * @param destination the Perfex destination
         * @param mask        masks personal data in exception messages
         * @throws PermanentDeliveryException (status 0) when {@code base_url} is missing or {@code retry_on} or
         *                                    {@code timeout_ms} is invalid
         */
        Api(DestinationConfig destination, UnaryOperator<String> mask) {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.settings = new Settings(TYPE, destination);
            if (destination.baseUrl() == null) {
                throw settings.invalid("base_url", "is required: the Perfex installation URL, e.g. https://crm.example.com");
            }
            this.baseUrl = destination.baseUrl();
            try {
                this.policy = StatusPolicy.parse(settings.all().get("retry_on"));
            } catch (IllegalArgumentException e) {
                throw settings.invalid("retry_on", e.getMessage());
            }
            this.timeout = settings.timeout("timeout_ms", DEFAULT_TIMEOUT);
            this.mask = Objects.requireNonNull(mask, "mask");
        }

        /** @return the destination's settings */
        Settings settings() {
            return settings;
        }

        /** @return a {@code GET} of {@code path} (shown as {@code shownPath}) */
        OutboundRequest get(String purpose, String operation, String path, String shownPath) {
            return OutboundRequest.builder(SYSTEM, purpose, operation, HttpMethod.GET, url(path))
                    .displayTarget(shownPath)
                    .header("Accept", "application/json")
                    .build();
        }

        /** @return a request of {@code path} with the JSON body */
        OutboundRequest json(String purpose, String operation, HttpMethod method, String path, ObjectNode body) {
            return OutboundRequest.builder(SYSTEM, purpose, operation, method, url(path))
                    .displayTarget(path)
                    .json(body, mapper)
                    .header("Accept", "application/json")
                    .build();
        }

        /** @return a {@code POST} of {@code path} with the fields as {@code multipart/form-data} */
        OutboundRequest multipart(String purpose, String operation, String path, Map<String, String> form) {
            MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
            form.forEach(parts::add);
            BufferedMessage message = new BufferedMessage();
            try {
                new FormHttpMessageConverter().write(parts, MediaType.MULTIPART_FORM_DATA, message);
            } catch (IOException e) {
                throw new PermanentDeliveryException("Perfex " + operation + ": cannot encode the form", 0, null, e);
            }
            return OutboundRequest.builder(SYSTEM, purpose, operation, HttpMethod.POST, url(path))
                    .displayTarget(path)
                    .body(Objects.requireNonNull(message.getHeaders().getContentType()).toString(),
                            message.body.toByteArray(), form)
                    .header("Accept", "application/json")
                    .build();
        }

        /** @return the new record's id: {@code record_id}, {@code id}, {@code lead_id} or {@code data.id}, else null */
        String createdId(String body) {
            JsonNode json;
            try {
                json = mapper.readTree(body);
            } catch (IOException e) {
                return null;
            }
            if (json == null || !json.isObject()) {
                return null;
            }
            for (JsonNode candidate : List.of(json.path("record_id"), json.path("id"), json.path("lead_id"),
                    json.path("data").path("id"))) {
                if (candidate.isValueNode() && !candidate.asText().isBlank()) {
                    return candidate.asText();
                }
            }
            return null;
        }

        /** @throws PermanentDeliveryException when a 2xx answer is {@code {"status": false, ...}} */
        void refuseStatusFalse(OutboundRequest r, OutboundResponse response) {
            JsonNode json;
            try {
                json = mapper.readTree(response.body());
            } catch (IOException e) {
                return;
            }
            if (json != null && json.isObject() && json.path("status").isBoolean() && !json.path("status").asBoolean()) {
                throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status() + " with status false "
                        + ErrorDetail.of(response.body(), mapper, mask), response.status(), response.body(), null);
            }
        }

        /** @throws PermanentDeliveryException when the answer is not a JSON object or array */
        JsonNode readJson(OutboundRequest r, OutboundResponse response) {
            try {
                JsonNode json = mapper.readTree(response.body());
                if (json == null || !(json.isArray() || json.isObject())) {
                    throw new IOException("not JSON");
                }
                return json;
            } catch (IOException e) {
                throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                        + " with an unreadable body", response.status(), response.body(), e);
            }
        }

        /**
         * @return the answer, any status (the {@code authtoken} header added)
         * @throws io.leadhub.dispatch.TransientDeliveryException (status 0) when no answer came
         */
        OutboundResponse send(OutboundRequest r) {
            String token = destination.token() == null ? "" : destination.token().reveal();
            return http.send(r.withSecretHeader("authtoken", "", token), timeout, mask);
        }

        /** @return the exception for a non-2xx answer: transient for {@code retry_on} statuses, else permanent */
        RuntimeException error(OutboundRequest r, OutboundResponse response) {
            return policy.toException(r, response, ErrorDetail.of(response.body(), mapper, mask), Instant.now());
        }

        URI url(String path) {
            return URI.create(baseUrl.toString().replaceAll("/+$", "") + path);
        }
    }

    /** An in-memory {@link HttpOutputMessage} the form converter writes the multipart body into. */
    private static final class BufferedMessage implements HttpOutputMessage {
        private final HttpHeaders headers = new HttpHeaders();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }

    static String segment(String value) {
        return UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
