package io.leadhub.dispatch.monday;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
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
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Delivers leads to a monday.com board (destination type {@code monday}) as items, through the GraphQL API
 * ({@code POST https://api.monday.com/v2}, https://developer.monday.com/api-reference/).
 *
 * <p>Every request: {@code Authorization: <token>} (personal or app token, no {@code Bearer}),
 * {@code API-Version: <api_version>} (default {@value #DEFAULT_API_VERSION}, pinned so a new quarterly version
 * cannot change behaviour unannounced), {@code Content-Type: application/json}, body
 * {@code {"query": "...", "variables": {...}}}: values always travel as GraphQL variables, never inside the query
 * text.
 * <ul>
 *   <li>known item (contact index) and {@code update_existing}: {@code change_multiple_column_values(board_id,
 *       item_id, column_values, create_labels_if_missing: true) { id }} (an item monday no longer finds falls back
 *       to the search);</li>
 *   <li>search, when the board's phone / e-mail column is configured ({@value #SETTING_PHONE_COLUMN},
 *       {@value #SETTING_EMAIL_COLUMN}), in {@code duplicate_detection.match_fields} order:
 *       {@code items_page_by_column_values(board_id, limit: 1, columns: [{column_id, column_values}]) { items { id } }}
 *       — a hit is updated or skipped, so a redelivery does not create a second item;</li>
 *   <li>otherwise {@code create_item(board_id, group_id, item_name, column_values, create_labels_if_missing: true)
 *       { id }}.</li>
 * </ul>
 * {@code column_values} is a JSON-encoded string (a JSON object of column id → value) built from the
 * destination's mapped properties; the mapped property {@code name} is the item name (default the lead's name,
 * else phone); the configured phone column gets {@code {"phone": "+1404...", "countryShortName": "US"}} and the
 * e-mail column {@code {"email": ..., "text": ...}} unless the mapping sets them.
 *
 * <p>Errors (https://developer.monday.com/api-reference/docs/errors, .../rate-limits): a 200 answer with
 * {@code errors[]} is a failure. {@code COMPLEXITY_BUDGET_EXHAUSTED} (or the older {@code ComplexityException}),
 * rate, concurrency and IP limits and HTTP 429 are transient with {@code retry_in_seconds} (else
 * {@code Retry-After}); {@code DAILY_LIMIT_EXCEEDED} is transient; any other error code is permanent with monday's
 * body; 408, 5xx and I/O errors are transient, other 4xx permanent.
 */
@Component("mondayConnector")
public class MondayConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "monday";
    /** Base URL used when the destination sets none (the API path is {@value #API_PATH}). */
    public static final String DEFAULT_BASE_URL = "https://api.monday.com";
    /** GraphQL endpoint path below the base URL. */
    public static final String API_PATH = "/v2";
    /** API version sent when the destination sets no {@value #SETTING_API_VERSION}. */
    public static final String DEFAULT_API_VERSION = "2026-10";

    /** Setting: board id (number). */
    public static final String SETTING_BOARD_ID = "board_id";
    /** Setting: group id new items go to (default: the board's top group). */
    public static final String SETTING_GROUP_ID = "group_id";
    /** Setting: {@code API-Version} header, {@code YYYY-MM}. */
    public static final String SETTING_API_VERSION = "api_version";
    /** Setting: id of the board's phone column: filled with the lead's phone, searched for duplicates. */
    public static final String SETTING_PHONE_COLUMN = "phone_column";
    /** Setting: id of the board's e-mail column: filled with the lead's e-mail, searched for duplicates. */
    public static final String SETTING_EMAIL_COLUMN = "email_column";

    /** Mapped property that is the item name instead of a column. */
    public static final String PROPERTY_NAME = "name";

    static final String CRM = "monday.com";

    static final String CREATE_ITEM = "mutation ($board: ID!, $name: String!, $columns: JSON) "
            + "{ create_item(board_id: $board, item_name: $name, column_values: $columns, "
            + "create_labels_if_missing: true) { id } }";
    static final String CREATE_ITEM_IN_GROUP = "mutation ($board: ID!, $group: String!, $name: String!, "
            + "$columns: JSON) { create_item(board_id: $board, group_id: $group, item_name: $name, "
            + "column_values: $columns, create_labels_if_missing: true) { id } }";
    static final String CHANGE_COLUMNS = "mutation ($board: ID!, $item: ID!, $columns: JSON!) "
            + "{ change_multiple_column_values(board_id: $board, item_id: $item, column_values: $columns, "
            + "create_labels_if_missing: true) { id } }";
    static final String FIND_ITEMS = "query ($board: ID!, $column: String!, $value: String!) "
            + "{ items_page_by_column_values(board_id: $board, limit: 1, "
            + "columns: [{column_id: $column, column_values: [$value]}]) { items { id } } }";

    /** Error codes that mean "too much, too fast": retry later. */
    private static final Set<String> RATE_CODES = Set.of("COMPLEXITY_BUDGET_EXHAUSTED", "ComplexityException",
            "RATE_LIMIT_EXCEEDED", "IP_RATE_LIMIT_EXCEEDED", "maxConcurrencyExceeded", "DAILY_LIMIT_EXCEEDED");
    /** Error codes that mean the item id is not (or no longer) on the board. */
    private static final Set<String> NOT_FOUND_CODES = Set.of("ResourceNotFoundException", "InvalidItemIdException",
            "ItemNotFoundException");
    /** {@code "... reset in 23 seconds"} in older ComplexityException messages. */
    private static final Pattern RESET_IN = Pattern.compile("reset in (\\d+) seconds?");

    private static final Logger log = LoggerFactory.getLogger(MondayConnector.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final Clock clock;

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     */
    @Autowired
    public MondayConnector(OutboundHttp http, ObjectMapper mapper) {
        this(http, mapper, Clock.systemUTC());
    }

    /**
     * @param http   sends the requests
     * @param mapper JSON reader and writer
     * @param clock  clock of {@code Retry-After} dates
     */
    MondayConnector(OutboundHttp http, ObjectMapper mapper, Clock clock) {
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
     * Writes one lead to the board (see the class comment).
     *
     * @param request the mapped lead and its {@code monday} destination
     * @return {@code CREATED} / {@code UPDATED} with the item id, {@code SKIPPED} with the matched item id, or
     *         {@code DRY_RUN} with the known item id (or null)
     * @throws TransientDeliveryException on rate, complexity and daily limits (with the wait monday gave), 408,
     *                                    5xx and I/O errors (status 0)
     * @throws PermanentDeliveryException on other GraphQL errors and 4xx (with monday's body), or missing settings
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Objects.requireNonNull(request, "request");
        Delivery delivery = new Delivery(request);
        if (request.destination().isDryRun()) {
            return delivery.dryRun();
        }
        DeliveryResult result = delivery.live();
        log.debug("monday delivery tenant={} destination={} event={}: {} item {}", request.tenant(),
                request.destination().id(), request.eventId(), result.outcome(), result.crmRecordId());
        return result;
    }

    /** An item monday does not find (known id deleted or moved). */
    private static final class ItemGone extends RuntimeException {
        ItemGone() {
            super(null, null, false, false);
        }
    }

    /**
     * monday answered that the item id is not (or no longer) on the board ({@code ResourceNotFoundException},
     * {@code InvalidItemIdException}, {@code ItemNotFoundException}): permanent, with monday's body.
     */
    static final class ItemNotFound extends PermanentDeliveryException {
        ItemNotFound(String message, int httpStatus, String responseBody) {
            super(message, httpStatus, responseBody, null);
        }
    }

    // ---- GraphQL access, shared with MondayWorkflowWriter ---------------------------------------------

    /**
     * @param destination a {@code monday} destination
     * @param purpose     dry-run file suffix, e.g. {@code create-item}
     * @param operation   the GraphQL field, for messages, e.g. {@code create_item}
     * @param query       the GraphQL document (values only as variables)
     * @param variables   its variables
     * @return {@code POST <base_url>/v2} with {@code Authorization: <token>} (masked when shown),
     *         {@code API-Version}, JSON content type and {@code {"query", "variables"}}
     */
    OutboundRequest graphql(DestinationConfig destination, String purpose, String operation, String query,
                       ObjectNode variables) {
        Settings settings = new Settings(CRM, destination);
        URI baseUrl = destination.baseUrl() != null ? destination.baseUrl() : URI.create(DEFAULT_BASE_URL);
        ObjectNode body = mapper.createObjectNode();
        body.put("query", query);
        body.set("variables", variables);
        String token = destination.token() == null ? "" : destination.token().reveal();
        return OutboundRequest.builder(CRM, purpose, operation, HttpMethod.POST,
                        CrmUrls.url(baseUrl, API_PATH, Map.of()))
                .secretHeader("Authorization", "", token)
                .header("API-Version", settings.string(SETTING_API_VERSION, DEFAULT_API_VERSION))
                .json(body, mapper)
                .header("Accept", "application/json")
                .build();
    }

    /**
     * @param destination a {@code monday} destination about to be called live
     * @throws PermanentDeliveryException when its token resolved empty
     */
    static void requireToken(DestinationConfig destination) {
        if (destination.token() == null || destination.token().isEmpty()) {
            throw new PermanentDeliveryException(CRM + " destination " + destination.id()
                    + ": token resolved empty (set the variable, or dry_run: auto)", 0, null, null);
        }
    }

    /**
     * @param destination a {@code monday} destination
     * @return its {@value #SETTING_BOARD_ID} as text
     * @throws PermanentDeliveryException when the setting is missing or not a whole number
     */
    static String boardId(DestinationConfig destination) {
        Long board = new Settings(CRM, destination).optionalLong(SETTING_BOARD_ID);
        if (board == null) {
            throw new PermanentDeliveryException(CRM + " destination " + destination.id() + ": setting "
                    + SETTING_BOARD_ID + " is required", 0, null, null);
        }
        return board.toString();
    }

    /**
     * Sends one GraphQL request and classifies the answer (see the class comment, "Errors").
     *
     * @param r           the request ({@link #graphql})
     * @param readTimeout read timeout
     * @param pii         masks personal data in monday's error messages
     * @return the JSON answer of a 2xx without {@code errors} / {@code error_code}
     * @throws ItemNotFound                when monday does not find the item id
     * @throws TransientDeliveryException on rate, complexity and daily limits (with monday's wait), 408, 5xx and
     *                                    I/O errors
     * @throws PermanentDeliveryException on other GraphQL errors and 4xx (with monday's body), or an unreadable
     *                                    answer
     */
    JsonNode send(OutboundRequest r, Duration readTimeout, UnaryOperator<String> pii) {
        OutboundResponse response = http.send(r, readTimeout, pii);
        JsonNode json = JsonTrees.readOrNull(response.body(), mapper);
        DeliveryException error = error(r, response, json, pii);
        if (error != null) {
            throw error;
        }
        if (json == null || !json.isObject()) {
            throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                    + " with an unreadable body", response.status(), response.body(), null);
        }
        return json;
    }

    /**
     * @return the exception for a failed answer (non-2xx, {@code errors[]}, top-level {@code error_code}), or null
     *         for a success; an unknown item id is an {@link ItemNotFound}
     */
    private DeliveryException error(OutboundRequest r, OutboundResponse response, JsonNode json,
                                    UnaryOperator<String> pii) {
        JsonNode errors = json == null ? null : json.get("errors");
        String code = null;
        String message = null;
        Integer statusCode = null;
        Duration retryIn = null;
        if (errors != null && errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            JsonNode ext = first.path("extensions");
            code = JsonTrees.text(ext, "code");
            message = JsonTrees.text(first, "message");
            statusCode = ext.has("status_code") ? ext.get("status_code").asInt() : null;
            retryIn = seconds(ext.get("retry_in_seconds"));
            if (retryIn == null) {
                retryIn = seconds(ext.path("error_data").get("retry_in_seconds"));
            }
        } else if (json != null && JsonTrees.text(json, "error_code") != null) {
            code = JsonTrees.text(json, "error_code");
            message = JsonTrees.text(json, "error_message");
            statusCode = json.has("status_code") ? json.get("status_code").asInt() : null;
        } else if (response.isSuccess()) {
            return null;
        }
        if (retryIn == null && message != null) {
            Matcher m = RESET_IN.matcher(message);
            if (m.find()) {
                retryIn = Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        if (retryIn == null) {
            retryIn = RetryAfter.parse(response.header("Retry-After"), clock.instant());
        }
        String detail = pii.apply((code == null ? "" : code) + (message == null ? "" : (code == null ? "" : ": ") + message));
        int status = statusCode != null && statusCode >= 400 ? statusCode : response.status();
        if ((code != null && RATE_CODES.contains(code)) || status == 429 || response.status() == 429) {
            return new TransientDeliveryException(ErrorDetail.message(r, status, detail), status, response.body(),
                    retryIn, null);
        }
        DeliveryException failure;
        if (!response.isSuccess()) {
            failure = StatusPolicy.DEFAULT.toException(r, response, detail, retryIn);
        } else if (status >= 500) {
            failure = new TransientDeliveryException(ErrorDetail.message(r, status, detail), status, response.body(),
                    null, null);
        } else {
            failure = new PermanentDeliveryException(ErrorDetail.message(r, status, detail), status, response.body(),
                    null);
        }
        if (code != null && NOT_FOUND_CODES.contains(code) && failure instanceof PermanentDeliveryException) {
            return new ItemNotFound(failure.getMessage(), failure.httpStatus(), failure.responseBody());
        }
        return failure;
    }

    /**
     * @param json  a successful answer
     * @param field the mutation, e.g. {@code create_item}
     * @return {@code data.<field>.id}
     * @throws PermanentDeliveryException when the answer has none
     */
    static String id(JsonNode json, String field) {
        String id = json.path("data").path(field).path("id").asText("");
        if (id.isBlank()) {
            throw new PermanentDeliveryException(CRM + " " + field + ": answer without data." + field + ".id", 0,
                    json.toString(), null);
        }
        return id;
    }

    /** One {@code deliver} call. */
    private final class Delivery {

        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final Settings settings;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final LeadFields lead;
        private final UnaryOperator<String> pii;
        private Duration readTimeout;

        Delivery(DeliveryRequest request) {
            this.request = request;
            this.destination = Objects.requireNonNull(request.destination(), "destination");
            this.settings = new Settings(CRM, destination);
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action() != null ? detection.action() : DuplicateAction.UPDATE_EXISTING;
            this.matchFields = detection.matchFields();
            this.lead = new LeadFields(request.context());
            this.pii = PiiMask.of(request.phone(), request.email());
        }

        // ---- dry run -------------------------------------------------------------------------------

        DeliveryResult dryRun() {
            String known = known();
            List<OutboundRequest> requests = new ArrayList<>();
            if (known != null && action != DuplicateAction.CREATE) {
                if (action == DuplicateAction.UPDATE_EXISTING) {
                    requests.add(change(known));
                }
            } else {
                if (action != DuplicateAction.CREATE) {
                    requests.addAll(searches());
                }
                requests.add(create());
            }
            return DryRunFiles.dryRun(request, requests, known, mapper, CRM);
        }

        // ---- live ----------------------------------------------------------------------------------

        DeliveryResult live() {
            readTimeout = settings.readTimeout();
            requireToken(destination);
            String known = known();
            if (known != null && action == DuplicateAction.SKIP) {
                return new DeliveryResult(Outcome.SKIPPED, known);
            }
            if (known != null && action == DuplicateAction.UPDATE_EXISTING) {
                try {
                    return new DeliveryResult(Outcome.UPDATED, id(send(change(known)), "change_multiple_column_values"));
                } catch (ItemGone gone) {
                    log.info("monday tenant={} destination={} event={}: known item {} is gone, searching again",
                            request.tenant(), destination.id(), request.eventId(), known);
                }
            }
            if (action != DuplicateAction.CREATE) {
                for (OutboundRequest search : searches()) {
                    JsonNode items = send(search).path("data").path("items_page_by_column_values").path("items");
                    String hit = items.path(0).path("id").asText("");
                    if (!hit.isBlank()) {
                        if (action == DuplicateAction.SKIP) {
                            return new DeliveryResult(Outcome.SKIPPED, hit);
                        }
                        try {
                            return new DeliveryResult(Outcome.UPDATED,
                                    id(send(change(hit)), "change_multiple_column_values"));
                        } catch (ItemGone gone) {
                            throw new PermanentDeliveryException(CRM + " change_multiple_column_values: item " + hit
                                    + " found by the search is not found on board " + boardId(), 0, null, null);
                        }
                    }
                }
            }
            return new DeliveryResult(Outcome.CREATED, id(send(create()), "create_item"));
        }

        // ---- requests ------------------------------------------------------------------------------

        private OutboundRequest create() {
            ObjectNode variables = mapper.createObjectNode();
            variables.put("board", boardId());
            String group = settings.string(SETTING_GROUP_ID, null);
            if (group != null) {
                variables.put("group", group);
            }
            variables.put("name", itemName());
            variables.put("columns", columnValues(false));
            return graphql("create-item", "create_item", group != null ? CREATE_ITEM_IN_GROUP : CREATE_ITEM, variables);
        }

        private OutboundRequest change(String itemId) {
            ObjectNode variables = mapper.createObjectNode();
            variables.put("board", boardId());
            variables.put("item", itemId);
            variables.put("columns", columnValues(true));
            return graphql("change-item", "change_multiple_column_values", CHANGE_COLUMNS, variables);
        }

        private List<OutboundRequest> searches() {
            List<OutboundRequest> searches = new ArrayList<>();
            for (String field : matchFields) {
                String column;
                String value;
                switch (field) {
                    case "phone" -> {
                        column = settings.string(SETTING_PHONE_COLUMN, null);
                        value = request.phone();
                    }
                    case "email" -> {
                        column = settings.string(SETTING_EMAIL_COLUMN, null);
                        value = request.email();
                    }
                    default -> {
                        continue;
                    }
                }
                if (column == null || value == null || value.isBlank()) {
                    continue;
                }
                ObjectNode variables = mapper.createObjectNode();
                variables.put("board", boardId());
                variables.put("column", column);
                variables.put("value", value.trim());
                searches.add(graphql("search-" + field, "items_page_by_column_values", FIND_ITEMS, variables));
            }
            return searches;
        }

        private OutboundRequest graphql(String purpose, String operation, String query, ObjectNode variables) {
            return MondayConnector.this.graphql(destination, purpose, operation, query, variables);
        }

        private String boardId() {
            return MondayConnector.boardId(destination);
        }

        private String itemName() {
            Object mapped = request.properties() == null ? null : request.properties().get(PROPERTY_NAME);
            if (mapped != null && !mapped.toString().isBlank()) {
                return mapped.toString();
            }
            String name = lead.fullName();
            if (name != null) {
                return name;
            }
            if (request.phone() != null && !request.phone().isBlank()) {
                return request.phone();
            }
            return request.email() != null && !request.email().isBlank() ? request.email() : "Unknown caller";
        }

        /**
         * @param withName true to set the item name as column {@code name} too (updates)
         * @return the JSON-encoded column values: phone/e-mail columns from the lead, then the mapped properties
         */
        private String columnValues(boolean withName) {
            Map<String, Object> columns = new LinkedHashMap<>();
            if (withName) {
                columns.put(PROPERTY_NAME, itemName());
            }
            String phoneColumn = settings.string(SETTING_PHONE_COLUMN, null);
            if (phoneColumn != null && request.phone() != null && !request.phone().isBlank()) {
                Map<String, Object> phone = new LinkedHashMap<>();
                phone.put("phone", request.phone().trim());
                String country = countryOf(request.phone().trim());
                if (country != null) {
                    phone.put("countryShortName", country);
                }
                columns.put(phoneColumn, phone);
            }
            String emailColumn = settings.string(SETTING_EMAIL_COLUMN, null);
            if (emailColumn != null && request.email() != null && !request.email().isBlank()) {
                columns.put(emailColumn, Map.of("email", request.email().trim(), "text", request.email().trim()));
            }
            if (request.properties() != null) {
                request.properties().forEach((k, v) -> {
                    if (!k.equals(PROPERTY_NAME)) {
                        columns.put(k, v);
                    }
                });
            }
            try {
                return mapper.writeValueAsString(columns);
            } catch (JsonProcessingException e) {
                throw new PermanentDeliveryException(CRM + ": cannot encode column_values", 0, null, e);
            }
        }

        // ---- sending and answers -------------------------------------------------------------------

        /**
         * Sends; returns the JSON answer of a 2xx without {@code errors}, else throws.
         *
         * @throws ItemGone when monday does not find the item of a change
         */
        private JsonNode send(OutboundRequest r) {
            try {
                return MondayConnector.this.send(r, readTimeout, pii);
            } catch (ItemNotFound e) {
                if (r.purpose().equals("change-item")) {
                    throw new ItemGone();
                }
                throw e;
            }
        }

        private String known() {
            String known = request.knownRecordId();
            return known == null || known.isBlank() ? null : known.trim();
        }
    }

    private static Duration seconds(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Duration.ofMillis(Math.max(0, Math.round(node.asDouble() * 1000)));
        }
        return RetryAfter.seconds(node.asText());
    }

    /** @return the ISO 3166 region of an E.164 number ({@code US} for {@code +1404...}), or null */
    static String countryOf(String e164) {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            String region = util.getRegionCodeForNumber(util.parse(e164, null));
            return region == null || region.equals("ZZ") ? null : region;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
