package io.leadhub.inbound.callrail;

import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Verifies CallRail's webhook signature on the raw request body, before anything parses it.
 *
 * <p>CallRail (apidocs.callrail.com, "Security: Validating Payloads") sends header {@code Signature} =
 * Base64(HMAC-SHA1(company signing key, raw body bytes)). The tenant's key is
 * {@code sources.callrail.signing_key}. The comparison is constant-time ({@link MessageDigest#isEqual}).
 *
 * <p>Input: exchange body readable as {@code byte[]} (the request body), property
 * {@value WebhookTenantResolver#TENANT_CONFIG}. Output: none (the body is untouched).
 *
 * @throws WebhookRejectedException 401 when the header is missing, not Base64, or does not match
 */
@Component("callRailSignatureVerifier")
public class CallRailSignatureVerifier implements Processor {

    /** Header carrying the signature. */
    public static final String HEADER = "Signature";

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        Secret key = tenant.sourceSecret("callrail", "signing_key");
        if (key.isEmpty()) {
            throw WebhookRejectedException.badSignature(HEADER, "no CallRail signing key is configured for this tenant");
        }
        String header = exchange.getIn().getHeader(HEADER, String.class);
        if (header == null || header.isBlank()) {
            throw WebhookRejectedException.badSignature(HEADER, "missing Signature header");
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw WebhookRejectedException.badSignature(HEADER, "Signature header is not Base64");
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (!MessageDigest.isEqual(sign(key.reveal(), body == null ? new byte[0] : body), presented)) {
            throw WebhookRejectedException.badSignature(HEADER, "Signature does not match the request body");
        }
    }

    /**
     * Computes CallRail's signature bytes.
     *
     * @param signingKey the company signing key
     * @param rawBody    the exact request body bytes
     * @return HMAC-SHA1 of the body (20 bytes); Base64 of it is the {@code Signature} header value
     */
    public static byte[] sign(String signingKey, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(rawBody);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
