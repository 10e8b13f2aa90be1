package io.leadhub.dispatch.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.DeliverySteps;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.DryRunFiles;
import io.leadhub.dispatch.http.ErrorDetail;
import io.leadhub.dispatch.http.JsonTrees;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.dispatch.http.Settings;
import io.leadhub.dispatch.http.StatusPolicy;
import io.leadhub.event.EnrichedLead;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Delivers each enriched lead as a signed JSON webhook to subscriber URLs (destination type {@code webhook}),
 * following the Standard Webhooks specification 1.0.0
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
 *
 * <p>Request to every subscriber ({@code urls} list or one {@code url}; a URL starting with {@code /} is appended
 * to {@code base_url}): {@code POST}, {@code Content-Type: application/json}, the configured {@code headers}, and
 * <ul>
 *   <li>{@code webhook-id}: {@code msg_<32 hex>}, derived from tenant, destination id and event id, so every
 *       retry of the same lead carries the same id (receivers use it as idempotency key);</li>
 *   <li>{@code webhook-timestamp}: unix seconds of this attempt;</li>
 *   <li>{@code webhook-signature}: {@code v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>}, the key
 *       being the base64 part of the {@code secret} {@code whsec_<base64>}.</li>
 * </ul>
 * Body (the same bytes on every attempt): {@code {"type": <event_type, default lead.enriched>, "timestamp":
 * <enrichment instant>, "data": {event_id, tenant, destination, source, event_type, provider_event_id,
 * received_at, properties, lead, call, ai, analysis_reasons}}}, the sections limited by {@code include}
 * (default all); see README "Webhook destination".
 *
 * <p>Outcome: a subscriber answering 2xx has the lead; that is recorded in {@link DeliverySteps} (step
 * {@code subscriber:<hash of the URL>}) and logged, and a redelivery does not post to it again. When every
 * subscriber has it the result is {@code DELIVERED}. Otherwise the attempt fails with a message listing each
 * subscriber's outcome (written to the {@code deliveries} table): transient when at least one failure is
 * retryable ({@code retry_on}, default 408, 429, 5xx, and no answer; waiting at least the largest
 * {@code Retry-After}), permanent when all failures are other answers (3xx, 410 Gone and other 4xx). Subscribers
 * are named by position and host in messages and logs, never by full URL (webhook URLs often embed tokens).
 *
 * <p>Dry run: {@code dry_run: true}, or {@code auto} while {@code secret} resolved empty: one request file per
 * subscriber, nothing is sent.
 */
@Component("webhookConnector")
public class WebhookConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "webhook";

    /** {@code type} of the payload when the destination sets no {@code event_type}. */
    public static final String DEFAULT_EVENT_TYPE = "lead.enriched";

    /** Payload sections, all included by default. */
    public static final List<String> SECTIONS = List.of("properties", "lead", "call", "ai", "analysis_reasons");

    /** Read timeout when the destination sets no {@code timeout_ms} (the spec recommends 15-30 s). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final String SYSTEM = "webhook";
    private static final Logger log = LoggerFactory.getLogger(WebhookConnector.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final DeliverySteps steps;
    private final Clock clock;

    /**
     * @param http   HTTP sender
     * @param mapper JSON writer
     * @param steps  finished sub-steps (subscribers already served)
     * @param clock  optional clock for {@code webhook-timestamp} (system UTC when absent)
     */
    public WebhookConnector(OutboundHttp http, ObjectMapper mapper, DeliverySteps steps, Optional<Clock> clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @param request the mapped lead, the enriched lead ({@link DeliveryRequest#event()}) and the destination
     * @return {@code DELIVERED} (no record id) once every subscriber answered 2xx, or {@code DRY_RUN}
     * @throws TransientDeliveryException when a subscriber failed retryably (the others are not posted to again)
     * @throws PermanentDeliveryException when all failures are permanent, or the settings are invalid
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        DestinationConfig destination = Objects.requireNonNull(request.destination(), "destination");
        Settings settings = new Settings(TYPE, destination);
        List<Subscriber> subscribers = subscribers(settings, destination);
        Secret secret = settings.secret(settings.all(), "secret", "secret");
        boolean dryRun = destination.dryRun() == DryRun.ON || (destination.dryRun() == DryRun.AUTO && secret.isEmpty());
        byte[] key = null;
        if (!secret.isEmpty() || !dryRun) {
            try {
                key = StandardWebhookSignature.decodeSecret(secret.reveal());
            } catch (IllegalArgumentException e) {
                throw settings.invalid("secret", e.getMessage().replace("the webhook secret ", ""));
            }
        }
        StatusPolicy policy;
        try {
            policy = StatusPolicy.parse(settings.all().get("retry_on"));
        } catch (IllegalArgumentException e) {
            throw settings.invalid("retry_on", e.getMessage());
        }
        Duration timeout = settings.timeout("timeout_ms", DEFAULT_TIMEOUT);
        Map<String, String> headers = new LinkedHashMap<>();
        settings.map(settings.all(), "headers", "headers").forEach((k, v) ->
                headers.put(k, settings.requiredString(Map.of(k, v == null ? "" : v), k, "headers." + k)));
        String body = body(request, settings);
        String webhookId = webhookId(request);
        UnaryOperator<String> mask = PiiMask.of(request.phone(), request.email());

        if (dryRun) {
            long timestamp = clock.instant().getEpochSecond();
            List<OutboundRequest> files = new ArrayList<>();
            for (Subscriber s : subscribers) {
                String signature = key == null ? "v1,****" : StandardWebhookSignature.sign(key, webhookId, timestamp, body);
                files.add(post(s, headers, webhookId, timestamp, signature, body));
            }
            return DryRunFiles.dryRun(request, files, null, mapper, SYSTEM);
        }

        List<String> outcomes = new ArrayList<>();
        List<DeliveryException> failures = new ArrayList<>();
        for (Subscriber s : subscribers) {
            Optional<DeliverySteps.Step> done = steps.find(request.tenant(), destination.id(), request.eventId(), s.step());
            if (done.isPresent()) {
                outcomes.add(s.label() + ": delivered earlier (" + done.get().detail() + ")");
                continue;
            }
            long timestamp = clock.instant().getEpochSecond();
            OutboundRequest post = post(s, headers, webhookId, timestamp,
                    StandardWebhookSignature.sign(key, webhookId, timestamp, body), body);
            try {
                OutboundResponse response = http.send(post, timeout, mask);
                if (response.isSuccess()) {
                    String detail = "HTTP " + response.status();
                    steps.record(request.tenant(), destination.id(), request.eventId(), s.step(), null, detail);
                    outcomes.add(s.label() + ": " + detail);
                    log.info("webhook tenant={} destination={} event={} {}: {} {}", request.tenant(), destination.id(),
                            request.eventId(), webhookId, s.label(), detail);
                    continue;
                }
                DeliveryException failure = policy.toException(post, response,
                        ErrorDetail.of(response.body(), mapper, mask), clock.instant());
                failures.add(failure);
                outcomes.add(s.label() + ": HTTP " + response.status()
                        + (failure instanceof TransientDeliveryException ? " (retried)" : " (permanent)"));
            } catch (TransientDeliveryException e) {
                failures.add(e);
                outcomes.add(s.label() + ": no response (retried)");
            }
            log.warn("webhook tenant={} destination={} event={} {}: {}", request.tenant(), destination.id(),
                    request.eventId(), webhookId, outcomes.get(outcomes.size() - 1));
        }
        if (failures.isEmpty()) {
            return new DeliveryResult(Outcome.DELIVERED, null);
        }
        String message = "webhook " + webhookId + ": " + failures.size() + " of " + subscribers.size()
                + " subscriber(s) failed: " + String.join("; ", outcomes);
        DeliveryException first = failures.get(0);
        List<TransientDeliveryException> retryable = failures.stream()
                .filter(TransientDeliveryException.class::isInstance).map(TransientDeliveryException.class::cast).toList();
        if (!retryable.isEmpty()) {
            Duration wait = retryable.stream().map(t -> t.retryAfter().orElse(null)).filter(Objects::nonNull)
                    .max(Duration::compareTo).orElse(null);
            TransientDeliveryException t = retryable.get(0);
            throw new TransientDeliveryException(message, t.httpStatus(), t.responseBody(), wait, t);
        }
        throw new PermanentDeliveryException(message, first.httpStatus(), first.responseBody(), first);
    }

    /** One subscriber: its URL, position and step name. */
    private record Subscriber(URI url, int position, String step) {
        String label() {
            return "subscriber " + position + " (" + url.getHost() + ")";
        }
    }

    private List<Subscriber> subscribers(Settings settings, DestinationConfig destination) {
        List<String> urls = new ArrayList<>();
        Object list = settings.all().get("urls");
        if (list instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                urls.add(settings.requiredString(Map.of("u", l.get(i) == null ? "" : l.get(i)), "u", "urls[" + i + "]"));
            }
        } else if (list != null) {
            throw settings.invalid("urls", "must be a list of URLs");
        }
        String one = settings.string(settings.all(), "url", "url", null);
        if (one != null) {
            urls.add(one);
        }
        if (urls.isEmpty()) {
            throw settings.invalid("urls", "is required: at least one subscriber URL (urls: [...] or url: ...)");
        }
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String text = urls.get(i).trim();
            URI uri;
            try {
                if (text.startsWith("/")) {
                    if (destination.baseUrl() == null) {
                        throw settings.invalid("urls[" + i + "]", "is a path, but the destination has no base_url");
                    }
                    String base = destination.baseUrl().toString().replaceAll("/+$", "");
                    uri = URI.create(base + text);
                } else {
                    uri = URI.create(text);
                }
            } catch (IllegalArgumentException e) {
                throw settings.invalid("urls[" + i + "]", "is not a URL");
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw settings.invalid("urls[" + i + "]", "must be an absolute http(s) URL with a host, or a path below base_url");
            }
            subscribers.add(new Subscriber(uri, i + 1, "subscriber:" + sha256Hex(uri.toString()).substring(0, 16)));
        }
        return subscribers;
    }

    private OutboundRequest post(Subscriber s, Map<String, String> configured, String webhookId, long timestamp,
                                 String signature, String body) {
        Object shown;
        try {
            shown = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            shown = body;
        }
        OutboundRequest.Builder post = OutboundRequest.builder(SYSTEM, "subscriber-" + s.position(),
                        "POST to " + s.label(), HttpMethod.POST, s.url())
                .displayTarget(s.url().getHost() + " (subscriber " + s.position() + ")")
                .body("application/json", body.getBytes(StandardCharsets.UTF_8), shown);
        configured.forEach((name, value) -> {
            // the payload's Content-Type wins over a configured one, as it always has on the wire
            if (!name.equalsIgnoreCase("Content-Type")) {
                post.header(name, value);
            }
        });
        return post.header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .build();
    }

    /**
     * The payload (documented in README "Webhook destination"), serialised compactly; deterministic for one lead,
     * so every attempt sends the same bytes.
     */
    String body(DeliveryRequest request, Settings settings) {
        List<String> include = new ArrayList<>(SECTIONS);
        Object configured = settings.all().get("include");
        if (configured instanceof List<?> l) {
            include.clear();
            for (Object item : l) {
                if (!SECTIONS.contains(String.valueOf(item))) {
                    throw settings.invalid("include", "items must be among " + SECTIONS + ", got '" + item + "'");
                }
                include.add(String.valueOf(item));
            }
        } else if (configured != null) {
            throw settings.invalid("include", "must be a list among " + SECTIONS);
        }
        EnrichedLead event = request.event();
        ObjectNode payload = mapper.createObjectNode();
        payload.put("type", settings.string(settings.all(), "event_type", "event_type", DEFAULT_EVENT_TYPE));
        payload.set("timestamp", JsonTrees.toNode(event == null ? null
                : event.enrichedAt() != null ? event.enrichedAt() : event.receivedAt()));
        ObjectNode data = payload.putObject("data");
        data.put("event_id", request.eventId());
        data.put("tenant", request.tenant());
        data.put("destination", request.destination().id());
        data.set("source", JsonTrees.toNode(event == null ? null : event.source()));
        data.set("event_type", JsonTrees.toNode(event == null ? null : event.eventType()));
        data.set("provider_event_id", JsonTrees.toNode(event == null ? null : event.providerEventId()));
        data.set("received_at", JsonTrees.toNode(event == null ? null : event.receivedAt()));
        for (String section : include) {
            Object value = switch (section) {
                case "properties" -> request.properties() == null ? Map.of() : request.properties();
                case "lead" -> event == null ? null : event.lead();
                case "call" -> event == null ? null : event.call();
                case "ai" -> event == null ? null : event.ai();
                default -> event == null ? null : event.analysisReasons();
            };
            data.set(section, JsonTrees.toNode(value));
        }
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new PermanentDeliveryException("webhook: cannot serialise the payload", 0, null, e);
        }
    }

    /**
     * @param request the delivery
     * @return {@code msg_} + 32 hex characters of SHA-256(tenant|destination|event id): the same for every
     *         attempt of this lead to this destination, different across destinations and events
     */
    static String webhookId(DeliveryRequest request) {
        return "msg_" + sha256Hex(request.tenant() + "|" + request.destination().id() + "|" + request.eventId())
                .substring(0, 32);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
