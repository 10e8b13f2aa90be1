package io.leadhub.dispatch.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric signature of the Standard Webhooks specification 1.0.0
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md, "Signature scheme"):
 * {@code webhook-signature: v1,<base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))>}, where the
 * key is the base64 part of a {@code whsec_<base64>} secret.
 */
public final class StandardWebhookSignature {

    /** Prefix of serialised symmetric secrets. */
    public static final String SECRET_PREFIX = "whsec_";

    private StandardWebhookSignature() {
    }

    /**
     * @param secret {@code whsec_<base64>} (the prefix may be left out, as the reference libraries accept)
     * @return the HMAC key: the base64-decoded part
     * @throws IllegalArgumentException when the secret is empty or its key part is not base64; the message never
     *                                  contains the secret
     */
    public static byte[] decodeSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        String base64 = secret.trim().startsWith(SECRET_PREFIX) ? secret.trim().substring(SECRET_PREFIX.length())
                : secret.trim();
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            if (key.length == 0) {
                throw new IllegalArgumentException("the webhook secret has no key after " + SECRET_PREFIX);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret must be whsec_<base64 key> (its key part is not base64)");
        }
    }

    /**
     * @param key       HMAC key (from {@link #decodeSecret})
     * @param webhookId the {@code webhook-id} header value (must not contain {@code .})
     * @param timestamp the {@code webhook-timestamp} header value, unix seconds
     * @param body      the exact body bytes sent, as UTF-8 text
     * @return the {@code webhook-signature} header value, {@code v1,<base64>}
     */
    public static String sign(byte[] key, String webhookId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
