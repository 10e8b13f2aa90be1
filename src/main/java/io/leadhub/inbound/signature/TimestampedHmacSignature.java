package io.leadhub.inbound.signature;

import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.tenant.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The timestamped HMAC-SHA256 webhook signature scheme shared by Perfex CRM and ElevenLabs (and the
 * Stripe-style scheme they both follow): a header
 *
 * <pre>{@code <Header>: t=<unix seconds>,<version>=<hex HMAC-SHA256(secret, "<t>." + raw body)>}</pre>
 *
 * <ul>
 *   <li>Perfex CRM (Themesic REST API module, {@code docs/webhooks.md} "HMAC-signed requests"):
 *       header {@code X-Perfex-Signature}, version key {@code v1};</li>
 *   <li>ElevenLabs (post-call webhooks, {@code fern/snippets/webhook-hmac-authentication.mdx}):
 *       header {@code ElevenLabs-Signature}, version key {@code v0}.</li>
 * </ul>
 *
 * <p>Parsing: comma-separated {@code key=value} elements, blanks around them ignored; exactly one {@code t}
 * (decimal digits); one or more signatures under the version key (several are accepted so a sender can sign with an
 * old and a new secret while the secret is rotated; the request is valid when any of them matches); other keys are
 * ignored (a sender may add newer versions). The MAC is computed over the {@code t} text exactly as received, a
 * dot, and the raw body bytes; the hex comparison is constant-time ({@link Hmac#matchesHex}).
 *
 * <p>Replay protection: after the MAC matched, {@code t} must lie within {@code tolerance} of the hub's clock, in
 * either direction (an old request is a replay, a future one a forged or badly skewed clock).
 *
 * <p>Immutable and thread-safe; one instance per scheme.
 */
public final class TimestampedHmacSignature {

    private static final int MAX_HEADER_LENGTH = 4096;

    private final String header;
    private final String versionKey;

    /**
     * @param header     the HTTP header carrying the signature, e.g. {@code X-Perfex-Signature}
     * @param versionKey the key of the signature element, e.g. {@code v1} (Perfex) or {@code v0} (ElevenLabs)
     */
    public TimestampedHmacSignature(String header, String versionKey) {
        this.header = Objects.requireNonNull(header, "header");
        this.versionKey = Objects.requireNonNull(versionKey, "versionKey");
    }

    /** @return the HTTP header name of this scheme */
    public String header() {
        return header;
    }

    /** @return the signature element key of this scheme, e.g. {@code v1} */
    public String versionKey() {
        return versionKey;
    }

    /**
     * Verifies one webhook.
     *
     * @param headerValue the received header value, or null when the header is missing
     * @param rawBody     the exact request body bytes (null = empty body)
     * @param secret      the tenant's webhook secret
     * @param tolerance   the largest accepted distance between {@code t} and {@code now}
     * @param now         the hub's current time
     * @throws WebhookRejectedException 401 naming the header: no secret configured, header missing or not
     *                                  {@code t=<unix>,<version>=<hex>}, no signature matching the body, or
     *                                  {@code t} outside the tolerance (stale or replayed webhook). The detail never
     *                                  contains the secret or the expected signature.
     */
    public void verify(String headerValue, byte[] rawBody, Secret secret, Duration tolerance, Instant now) {
        Objects.requireNonNull(tolerance, "tolerance");
        Objects.requireNonNull(now, "now");
        if (secret == null || secret.isEmpty()) {
            throw WebhookRejectedException.badSignature(header, "no webhook secret is configured for this tenant");
        }
        if (headerValue == null || headerValue.isBlank()) {
            throw WebhookRejectedException.badSignature(header, "missing " + header + " header");
        }
        Parsed parsed = parse(headerValue);
        byte[] expected = Hmac.sha256(secret.reveal(), (parsed.timestamp() + ".").getBytes(StandardCharsets.UTF_8),
                rawBody);
        boolean matches = false;
        for (String candidate : parsed.signatures()) {
            matches |= Hmac.matchesHex(expected, candidate); // no early exit: every candidate is compared
        }
        if (!matches) {
            throw WebhookRejectedException.badSignature(header, header + " does not match the request body");
        }
        long signedAt = parsed.epochSeconds();
        long skew = Math.abs(now.getEpochSecond() - signedAt);
        if (skew > tolerance.toSeconds()) {
            throw WebhookRejectedException.badSignature(header, "timestamp t=" + parsed.timestamp() + " is " + skew
                    + " seconds " + (signedAt < now.getEpochSecond() ? "old" : "in the future")
                    + "; the tolerance is " + tolerance.toSeconds() + " seconds (stale or replayed webhook)");
        }
    }

    /**
     * Signs a body the way the provider does (for tests, the {@code samples/send} script's twin and senders).
     *
     * @param secret      the webhook secret
     * @param unixSeconds the signing time, in seconds since the epoch
     * @param rawBody     the exact body bytes
     * @return the complete header value {@code t=<unixSeconds>,<version>=<hex>}
     */
    public String sign(String secret, long unixSeconds, byte[] rawBody) {
        String t = Long.toString(unixSeconds);
        return "t=" + t + "," + versionKey + "="
                + Hmac.sha256Hex(secret, (t + ".").getBytes(StandardCharsets.UTF_8), rawBody);
    }

    private Parsed parse(String value) {
        if (value.length() > MAX_HEADER_LENGTH) {
            throw malformed();
        }
        String timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String element : value.split(",")) {
            int eq = element.indexOf('=');
            if (eq <= 0) {
                if (element.isBlank()) {
                    continue;
                }
                throw malformed();
            }
            String key = element.substring(0, eq).trim();
            String v = element.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (timestamp != null || !v.matches("[0-9]{1,12}")) {
                    throw malformed();
                }
                timestamp = v;
            } else if (key.equals(versionKey) && !v.isEmpty()) {
                signatures.add(v);
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw malformed();
        }
        return new Parsed(timestamp, signatures);
    }

    private WebhookRejectedException malformed() {
        return WebhookRejectedException.badSignature(header,
                header + " must be t=<unix seconds>," + versionKey + "=<hex HMAC-SHA256>");
    }

    private record Parsed(String timestamp, List<String> signatures) {
        long epochSeconds() {
            return Long.parseLong(timestamp);
        }
    }
}
