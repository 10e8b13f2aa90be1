package io.leadhub.dispatch.customrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.http.DryRunFiles;
import io.leadhub.dispatch.http.ErrorDetail;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one lead to a configured REST API ({@link RestTarget}): the engine behind the {@code custom_rest} and
 * {@code leadpro} destination types.
 *
 * <p>Algorithm of {@link #deliver}:
 * <ol>
 *   <li>the match is the request's {@code knownRecordId} (the id this destination returned for the same contact
 *       before), else the id the first {@code search} finds ({@code id_path} applied to a 2xx answer; a 404, an
 *       empty result or a missing id = no match; a search whose placeholders this lead has no value for, e.g.
 *       {@code {email}} without an e-mail, is skipped);</li>
 *   <li>a match is handled by {@code duplicate_detection.action}: {@code update_existing} sends {@code update}
 *       (without {@code update}: nothing is sent, outcome {@code skipped}), {@code skip} sends nothing,
 *       {@code create} creates anyway; an update of the known id answered 404 falls back to the searches;</li>
 *   <li>no match: {@code create} (with the idempotency header, a key stable per tenant, destination and event, so
 *       an API that supports idempotency keys ignores the repeat of a create whose answer was lost); without
 *       {@code create} (LeadPro sync-back) the lead is {@code skipped}.</li>
 * </ol>
 *
 * <p>Body of create and update: a JSON object of the mapped properties (renamed by {@code field_names}),
 * nested under {@code body_root} when set. Headers: {@code Accept: application/json}, {@code Content-Type:
 * application/json} with a body, the configured {@code headers}, and the authentication of {@link RestAuth}
 * (OAuth: a 401 answer drops the cached token, fetches a new one and repeats the request once).
 *
 * <p>Non-2xx answers (other than the 404s above) fail the attempt: transient when {@code retry_on} lists the
 * status (with the answer's {@code Retry-After}), else permanent, with the body verbatim; no answer at all is
 * transient. Messages never contain secrets; the lead's phone and e-mail are masked. Thread-safe, stateless.
 */
@Component("restTargetClient")
public class RestTargetClient {

    private static final Logger log = LoggerFactory.getLogger(RestTargetClient.class);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.:-]*)}");

    private final OutboundHttp http;
    private final OAuthTokens tokens;
    private final ObjectMapper mapper;

    /**
     * @param http   HTTP sender
     * @param tokens OAuth token cache
     * @param mapper JSON mapper
     */
    public RestTargetClient(OutboundHttp http, OAuthTokens tokens, ObjectMapper mapper) {
        this.http = http;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    /**
     * @param request the mapped lead and its destination
     * @param target  the parsed destination settings
     * @param dryRun  true = write the requests as files under the request's dry-run folder, send nothing
     * @return {@code CREATED}/{@code UPDATED} with the record id (null when the answer carried none),
     *         {@code SKIPPED} with the matched id (or null when nothing matched and there is no {@code create}),
     *         {@code DRY_RUN} with the known id
     * @throws io.leadhub.dispatch.TransientDeliveryException on no answer and on {@code retry_on} statuses
     * @throws PermanentDeliveryException on any other non-2xx answer, or a path placeholder without a value
     */
    public DeliveryResult deliver(DeliveryRequest request, RestTarget target, boolean dryRun) {
        Delivery delivery = new Delivery(request, target);
        return dryRun ? delivery.dryRun() : delivery.live();
    }

    /** One {@code deliver} call. */
    private final class Delivery {
        private final DeliveryRequest request;
        private final RestTarget target;
        private final DuplicateAction action;
        private final UnaryOperator<String> mask;

        Delivery(DeliveryRequest request, RestTarget target) {
            this.request = request;
            this.target = target;
            DuplicateDetection detection = request.destination().duplicateDetection() != null
                    ? request.destination().duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action();
            this.mask = PiiMask.of(request.phone(), request.email());
        }

        // ---- dry run ---------------------------------------------------------------------------------

        DeliveryResult dryRun() {
            String known = blankToNull(request.knownRecordId());
            List<OutboundRequest> requests = new ArrayList<>();
            if (known != null) {
                switch (action) {
                    case UPDATE_EXISTING -> {
                        if (target.update() != null) {
                            requests.add(request(target.update(), "update", "update record", known, body()));
                        }
                    }
                    case CREATE -> addCreate(requests);
                    case SKIP -> { /* nothing is written */ }
                }
            } else {
                for (int i = 0; i < target.searches().size(); i++) {
                    OutboundRequest search = searchRequest(i);
                    if (search != null) {
                        requests.add(search);
                    }
                }
                addCreate(requests);
            }
            return DryRunFiles.dryRun(request, requests.stream().map(this::withDryRunAuth).toList(), known, mapper,
                    target.system());
        }

        private void addCreate(List<OutboundRequest> requests) {
            if (target.create() != null) {
                requests.add(createRequest());
            }
        }

        private OutboundRequest withDryRunAuth(OutboundRequest r) {
            RestAuth auth = target.auth();
            if (auth instanceof RestAuth.Basic) {
                return r.withSecretHeader("Authorization", "Basic ", OutboundRequest.MASK);
            }
            if (auth instanceof RestAuth.ApiKey key) {
                return r.withSecretHeader(key.header(), "", OutboundRequest.MASK);
            }
            if (auth instanceof RestAuth.Bearer || auth instanceof RestAuth.OAuthClientCredentials) {
                return r.withSecretHeader("Authorization", "Bearer ", OutboundRequest.MASK);
            }
            return r;
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
            for (int i = 0; i < target.searches().size(); i++) {
                OutboundRequest search = searchRequest(i);
                if (search == null) {
                    continue;
                }
                OutboundResponse response = send(search);
                if (response.status() == 404) {
                    continue;
                }
                if (!response.isSuccess()) {
                    throw error(search, response);
                }
                String found = readId(target.searches().get(i).idPath(), response.body());
                if (found != null) {
                    return onMatch(found, false);
                }
            }
            if (target.create() == null) {
                log.info("{} tenant={} destination={} event={}: no record matched and no create is configured; "
                        + "nothing written", target.system(), request.tenant(), request.destination().id(),
                        request.eventId());
                return new DeliveryResult(Outcome.SKIPPED, null);
            }
            return create();
        }

        /** @return the result, or null when the known record is gone (404) and the searches should run */
        private DeliveryResult onMatch(String id, boolean fromIndex) {
            switch (action) {
                case SKIP:
                    return new DeliveryResult(Outcome.SKIPPED, id);
                case CREATE:
                    return create();
                case UPDATE_EXISTING:
                default:
                    if (target.update() == null) {
                        return new DeliveryResult(Outcome.SKIPPED, id);
                    }
                    OutboundRequest update = request(target.update(), "update", "update record", id, body());
                    OutboundResponse response = send(update);
                    if (response.status() == 404 && fromIndex) {
                        log.info("{} tenant={} destination={} event={}: known record {} is gone (404), searching",
                                target.system(), request.tenant(), request.destination().id(), request.eventId(), id);
                        return null;
                    }
                    if (!response.isSuccess()) {
                        throw error(update, response);
                    }
                    String newId = target.update().idPath() == null ? null : readId(target.update().idPath(), response.body());
                    return new DeliveryResult(Outcome.UPDATED, newId != null ? newId : id);
            }
        }

        private DeliveryResult create() {
            OutboundRequest create = createRequest();
            OutboundResponse response = send(create);
            if (!response.isSuccess()) {
                throw error(create, response);
            }
            String id = target.create().idPath() == null ? null : readId(target.create().idPath(), response.body());
            if (id == null) {
                log.warn("{} tenant={} destination={} event={}: created, but the answer has no id at {}",
                        target.system(), request.tenant(), request.destination().id(), request.eventId(),
                        target.create().idPath() == null ? "(no id_path)" : target.create().idPath().getPath());
            }
            return new DeliveryResult(Outcome.CREATED, id);
        }

        // ---- requests --------------------------------------------------------------------------------

        private OutboundRequest searchRequest(int index) {
            RestEndpoint search = target.searches().get(index);
            ObjectNode body = search.body() == null ? null : (ObjectNode) fill(mapper.valueToTree(search.body()));
            if (search.body() != null && body == null) {
                return null;
            }
            return request(search, "search-" + (index + 1), "search record (" + search.key() + ")", null, body);
        }

        private OutboundRequest createRequest() {
            OutboundRequest create = request(target.create(), "create", "create record", null, body());
            if (target.idempotencyHeader() != null) {
                create = create.withHeader(target.idempotencyHeader(), idempotencyKey("create"));
            }
            return create;
        }

        /** @return the request, or null for a search whose placeholders have no value for this lead */
        private OutboundRequest request(RestEndpoint endpoint, String purpose, String operation, String id,
                                        JsonNode body) {
            PathTemplate.Expanded path = endpoint.path().expand(name -> value(name, id), this::display);
            if (path == null) {
                if (purpose.startsWith("search")) {
                    return null;
                }
                List<String> missing = endpoint.path().names().stream().filter(n -> value(n, id) == null).toList();
                throw new PermanentDeliveryException(target.system() + " " + operation + ": " + endpoint.key()
                        + ".path " + endpoint.path() + " needs " + missing + " but this lead has no value for it",
                        0, null, null);
            }
            OutboundRequest.Builder r = OutboundRequest.builder(target.system(), purpose, operation, endpoint.method(),
                    URI.create(trimSlash(target.baseUrl().toString()) + path.path())).displayTarget(path.display());
            if (body != null) {
                r.json(body, mapper);
            }
            r.header("Accept", "application/json");
            target.headers().forEach((name, value) -> {
                // the JSON body's Content-Type wins over a configured one, as it always has on the wire
                if (body == null || !name.equalsIgnoreCase("Content-Type")) {
                    r.header(name, value);
                }
            });
            return r.build();
        }

        /** The mapped properties, renamed by {@code field_names}, nested under {@code body_root}. */
        private ObjectNode body() {
            Map<String, Object> renamed = new LinkedHashMap<>();
            if (request.properties() != null) {
                request.properties().forEach((k, v) -> renamed.put(target.fieldNames().getOrDefault(k, k), v));
            }
            ObjectNode properties = mapper.valueToTree(renamed);
            if (target.bodyRoot() == null) {
                return properties;
            }
            String[] keys = target.bodyRoot().split("\\.");
            ObjectNode root = mapper.createObjectNode();
            ObjectNode current = root;
            for (int i = 0; i < keys.length - 1; i++) {
                current = current.putObject(keys[i]);
            }
            current.set(keys[keys.length - 1], properties);
            return root;
        }

        /** Replaces {@code {placeholders}} in the string values of a search body; null when one has no value. */
        private JsonNode fill(JsonNode node) {
            if (node.isTextual()) {
                String text = node.asText();
                Matcher m = PLACEHOLDER.matcher(text);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String value = value(m.group(1), null);
                    if (value == null) {
                        return null;
                    }
                    m.appendReplacement(out, Matcher.quoteReplacement(value));
                }
                m.appendTail(out);
                return mapper.getNodeFactory().textNode(out.toString());
            }
            if (node.isObject()) {
                ObjectNode copy = mapper.createObjectNode();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    JsonNode filled = fill(e.getValue());
                    if (filled == null) {
                        return null;
                    }
                    copy.set(e.getKey(), filled);
                }
                return copy;
            }
            if (node.isArray()) {
                ArrayNode copy = mapper.createArrayNode();
                for (JsonNode item : node) {
                    JsonNode filled = fill(item);
                    if (filled == null) {
                        return null;
                    }
                    copy.add(filled);
                }
                return copy;
            }
            return node;
        }

        private String value(String name, String id) {
            String phone = blankToNull(request.phone());
            return switch (name) {
                case "phone" -> phone;
                case "phone_digits" -> phone == null ? null : phone.replaceAll("\\D", "");
                case "phone_national" -> phone == null ? null : PiiMask.nationalNumber(phone);
                case "email" -> blankToNull(request.email());
                case "id" -> id;
                case "event_id" -> request.eventId();
                case "tenant" -> request.tenant();
                case "destination" -> request.destination().id();
                default -> {
                    Object v = request.properties() == null ? null : request.properties().get(name);
                    yield v == null || v instanceof Map<?, ?> || v instanceof List<?> ? null : v.toString();
                }
            };
        }

        private String display(String name) {
            return switch (name) {
                case "phone", "phone_digits", "phone_national" -> {
                    String v = value(name, null);
                    yield v == null ? null : Masking.phone(v);
                }
                case "email" -> Masking.email(blankToNull(request.email()));
                case "id", "event_id", "tenant", "destination" -> null;
                default -> {
                    String v = value(name, null);
                    yield v == null ? null : mask.apply(v);
                }
            };
        }

        private String idempotencyKey(String purpose) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update((request.tenant() + "|" + request.destination().id() + "|" + request.eventId() + "|"
                        + purpose).getBytes(StandardCharsets.UTF_8));
                return "leadhub-" + HexFormat.of().formatHex(digest.digest()).substring(0, 40);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        // ---- sending ---------------------------------------------------------------------------------

        private OutboundResponse send(OutboundRequest r) {
            RestAuth auth = target.auth();
            if (auth instanceof RestAuth.OAuthClientCredentials oauth) {
                String token = tokens.token(oauth, target.timeout(), target.system());
                OutboundResponse response = http.send(r.withSecretHeader("Authorization", "Bearer ", token),
                        target.timeout(), mask);
                if (response.status() != 401) {
                    return response;
                }
                log.info("{} tenant={} destination={}: {} answered 401, fetching a new OAuth token", target.system(),
                        request.tenant(), request.destination().id(), r.describe());
                tokens.invalidate(oauth, token);
                String fresh = tokens.token(oauth, target.timeout(), target.system());
                return http.send(r.withSecretHeader("Authorization", "Bearer ", fresh), target.timeout(), mask);
            }
            return http.send(authenticate(r, auth), target.timeout(), mask);
        }

        private OutboundRequest authenticate(OutboundRequest r, RestAuth auth) {
            if (auth instanceof RestAuth.Bearer bearer) {
                return r.withSecretHeader("Authorization", "Bearer ", bearer.token().reveal());
            }
            if (auth instanceof RestAuth.Basic basic) {
                String credentials = basic.username() + ":" + basic.password().reveal();
                return r.withSecretHeader("Authorization", "Basic ", Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            if (auth instanceof RestAuth.ApiKey key) {
                return r.withSecretHeader(key.header(), key.prefix(), key.key().reveal());
            }
            return r;
        }

        private RuntimeException error(OutboundRequest r, OutboundResponse response) {
            return target.statusPolicy().toException(r, response, ErrorDetail.of(response.body(), mapper, mask),
                    Instant.now());
        }

        private String readId(JsonPath path, String body) {
            if (body == null || body.isBlank()) {
                return null;
            }
            Object value;
            try {
                value = path.read(body);
            } catch (RuntimeException e) {
                return null; // no such path, or not JSON
            }
            if (value instanceof List<?> list) {
                value = list.isEmpty() ? null : list.get(0);
            }
            if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
                return null;
            }
            if (value instanceof Double || value instanceof BigDecimal) {
                value = new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
            }
            String id = value.toString();
            return id.isBlank() ? null : id;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String trimSlash(String s) {
        String out = s;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
