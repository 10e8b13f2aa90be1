package io.leadhub.dispatch.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * In-memory cache of OAuth access tokens, one per destination and credential set, reused until shortly before they
 * expire ({@link #EXPIRY_MARGIN}). A cache key includes a digest of the credentials, so a rotated secret gets a
 * new token at once. Thread-safe: concurrent deliveries for one key fetch a token once.
 */
public final class AccessTokenCache {

    /** A token is refreshed this long before its {@code expires_in} runs out. */
    public static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

    /**
     * An access token.
     *
     * @param value      the token, sent to the CRM only
     * @param expiresAt  when it expires (already including no margin)
     * @param attributes other fields of the token answer the connector needs (e.g. Zoho's {@code api_domain})
     */
    public record AccessToken(String value, Instant expiresAt, Map<String, String> attributes) {

        public AccessToken {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expiresAt, "expiresAt");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        /** @return the expiry and attributes, never the token */
        @Override
        public String toString() {
            return "AccessToken[****, expiresAt=" + expiresAt + ", attributes=" + attributes + "]";
        }
    }

    private final Clock clock;
    private final ConcurrentMap<String, AccessToken> tokens = new ConcurrentHashMap<>();

    /** @param clock clock of the expiry checks */
    public AccessTokenCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param scope       e.g. {@code tenant|destination}
     * @param credentials the values a token depends on (client id, secrets, token URL, scope)
     * @return the cache key: scope + SHA-256 of the credentials
     */
    public static String key(String scope, String... credentials) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String c : credentials) {
                digest.update((c == null ? "" : c).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return scope + "|" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param key   cache key ({@link #key})
     * @param fetch obtains a new token from the authorization server (may throw; nothing is cached then)
     * @return the cached token while it is valid for more than {@link #EXPIRY_MARGIN}, else a new one from fetch
     */
    public AccessToken get(String key, Supplier<AccessToken> fetch) {
        AccessToken cached = tokens.get(key);
        if (isFresh(cached)) {
            return cached;
        }
        synchronized (lockFor(key)) {
            cached = tokens.get(key);
            if (isFresh(cached)) {
                return cached;
            }
            AccessToken fresh = fetch.get();
            tokens.put(key, fresh);
            return fresh;
        }
    }

    /**
     * Forgets a token the CRM rejected (401), unless another thread already replaced it.
     *
     * @param key      cache key
     * @param rejected the token the CRM rejected
     */
    public void invalidate(String key, AccessToken rejected) {
        tokens.remove(key, rejected);
    }

    private boolean isFresh(AccessToken token) {
        return token != null && clock.instant().plus(EXPIRY_MARGIN).isBefore(token.expiresAt());
    }

    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    private Object lockFor(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }
}
