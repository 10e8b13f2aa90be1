package io.leadhub.dispatch.customrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.http.ErrorDetail;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import io.leadhub.dispatch.http.StatusPolicy;
import io.leadhub.support.Masking;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Access tokens of the OAuth 2.0 client credentials grant (RFC 6749 section 4.4) for {@code auth: {type:
 * oauth_client_credentials}} destinations, cached in memory per token URL, client, scope and secret.
 *
 * <p>Token request: {@code POST <token_url>} with {@code Content-Type: application/x-www-form-urlencoded},
 * {@code Accept: application/json}, body {@code grant_type=client_credentials} plus {@code scope} and
 * {@code audience} when configured; the client authenticates with HTTP Basic over the form-urlencoded id and
 * secret (RFC 6749 section 2.3.1, the default) or with {@code client_id}/{@code client_secret} body parameters
 * ({@code client_auth: body}). Answer (RFC 6749 section 5.1): {@code access_token} (required),
 * {@code expires_in} seconds (optional).
 *
 * <p>A token is reused until 30 seconds before {@code expires_in} runs out (without {@code expires_in}: until the
 * API answers 401), and {@link #invalidate} drops it when the API rejects it. Token endpoint answers: 2xx without
 * {@code access_token}, 400 and 401 ({@code invalid_client}, {@code invalid_scope}, ...) and other 4xx are
 * permanent; 408, 429, 5xx and no answer are transient. Thread-safe; one fetch at a time per cache entry.
 */
@Component("oauthTokens")
public class OAuthTokens {

    /** A token is renewed this long before it expires. */
    static final Duration EXPIRY_SKEW = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(OAuthTokens.class);

    private final OutboundHttp http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> cache = new ConcurrentHashMap<>();

    /** A cached token; {@code expiresAt} null = until rejected. */
    private record Entry(String token, Instant expiresAt) {
    }

    /**
     * @param http   HTTP sender
     * @param mapper JSON reader
     * @param clock  optional clock (system UTC when absent)
     */
    public OAuthTokens(OutboundHttp http, ObjectMapper mapper, Optional<Clock> clock) {
        this.http = http;
        this.mapper = mapper;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * @param oauth   the destination's client credentials
     * @param timeout read timeout of the token request
     * @param system  system name for messages
     * @return a valid access token, from the cache or fetched now
     * @throws io.leadhub.dispatch.TransientDeliveryException when the token endpoint is unreachable or answers
     *                                                        408, 429 or 5xx
     * @throws PermanentDeliveryException when it refuses the client (4xx) or answers without {@code access_token}
     */
    public String token(RestAuth.OAuthClientCredentials oauth, Duration timeout, String system) {
        String key = cacheKey(oauth);
        Entry entry = cache.get(key);
        if (valid(entry)) {
            return entry.token();
        }
        synchronized (lock(key)) {
            entry = cache.get(key);
            if (valid(entry)) {
                return entry.token();
            }
            Entry fresh = fetch(oauth, timeout, system);
            cache.put(key, fresh);
            return fresh.token();
        }
    }

    /**
     * Drops a token the API refused (401), so the next {@link #token} call fetches a new one.
     *
     * @param oauth the destination's client credentials
     * @param token the refused token (a newer cached token is kept)
     */
    public void invalidate(RestAuth.OAuthClientCredentials oauth, String token) {
        cache.computeIfPresent(cacheKey(oauth), (k, e) -> e.token().equals(token) ? null : e);
    }

    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    private Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private boolean valid(Entry entry) {
        return entry != null && (entry.expiresAt() == null || clock.instant().isBefore(entry.expiresAt()));
    }

    private Entry fetch(RestAuth.OAuthClientCredentials oauth, Duration timeout, String system) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (oauth.scope() != null && !oauth.scope().isBlank()) {
            form.put("scope", oauth.scope());
        }
        if (oauth.audience() != null && !oauth.audience().isBlank()) {
            form.put("audience", oauth.audience());
        }
        String basic = null;
        if ("body".equals(oauth.clientAuth())) {
            form.put("client_id", oauth.clientId());
            form.put("client_secret", oauth.clientSecret().reveal());
        } else {
            String credentials = urlEncode(oauth.clientId()) + ":" + urlEncode(oauth.clientSecret().reveal());
            basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(urlEncode(k)).append('=')
                .append(urlEncode(v)));
        Map<String, String> shownForm = new LinkedHashMap<>(form);
        shownForm.computeIfPresent("client_secret", (k, v) -> OutboundRequest.MASK);
        OutboundRequest.Builder builder = OutboundRequest.builder(system, "oauth-token", "OAuth token request",
                        HttpMethod.POST, oauth.tokenUrl())
                .displayTarget(oauth.tokenUrl().getRawPath())
                .body("application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8), shownForm)
                .header("Accept", "application/json");
        if (basic != null) {
            builder.secretHeader("Authorization", "Basic ", basic);
        }
        OutboundRequest request = builder.build();
        UnaryOperator<String> mask = Masking::text;
        OutboundResponse response = http.send(request, timeout, mask);
        if (!response.isSuccess()) {
            throw StatusPolicy.DEFAULT.toException(request, response, ErrorDetail.of(response.body(), mapper, mask),
                    clock.instant());
        }
        JsonNode json;
        try {
            json = mapper.readTree(response.body());
        } catch (Exception e) {
            json = null;
        }
        String token = json == null ? "" : json.path("access_token").asText("");
        if (token.isBlank()) {
            throw new PermanentDeliveryException(request.describe() + ": HTTP " + response.status()
                    + " without an access_token", response.status(), null, null);
        }
        JsonNode expiresIn = json.get("expires_in");
        Instant expiresAt = null;
        if (expiresIn != null && (expiresIn.isNumber() || expiresIn.asText().matches("\\d+"))) {
            expiresAt = clock.instant().plusSeconds(expiresIn.asLong()).minus(EXPIRY_SKEW);
        }
        log.info("{}: fetched an OAuth access token from {} for client {} (expires {})", system,
                oauth.tokenUrl().getHost(), oauth.clientId(), expiresAt == null ? "when refused" : expiresAt);
        return new Entry(token, expiresAt);
    }

    private static String cacheKey(RestAuth.OAuthClientCredentials oauth) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {oauth.tokenUrl().toString(), oauth.clientId(), oauth.scope(),
                    oauth.audience(), oauth.clientAuth(), oauth.clientSecret().reveal()}) {
                digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
