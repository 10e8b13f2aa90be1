package io.leadhub.inbound.signature;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 and comparison primitives shared by the webhook signature verifiers (Perfex, ElevenLabs,
 * LeadPro, web form). Every comparison is constant-time in the content of the values compared
 * ({@link MessageDigest#isEqual}), so a caller cannot learn a signature or key byte by byte from response times.
 * Stateless and thread-safe.
 */
public final class Hmac {

    private static final HexFormat HEX = HexFormat.of();

    private Hmac() {
    }

    /**
     * HMAC-SHA256 over the concatenation of {@code parts}.
     *
     * @param key   the shared secret, used as UTF-8 bytes (how Perfex, ElevenLabs and the hub's own senders key it)
     * @param parts the signed bytes, in order (e.g. {@code "<t>."} then the raw body)
     * @return the 32-byte MAC
     * @throws IllegalArgumentException when the key is empty (an HMAC key must have at least one byte)
     */
    public static byte[] sha256(String key, byte[]... parts) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("HMAC key must not be empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part == null ? new byte[0] : part);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * @param key   the shared secret (UTF-8)
     * @param parts the signed bytes, in order
     * @return lower-case hex of {@link #sha256(String, byte[]...)} (64 characters)
     */
    public static String sha256Hex(String key, byte[]... parts) {
        return HEX.formatHex(sha256(key, parts));
    }

    /**
     * Compares a MAC with a hex string received in a header.
     *
     * @param expected     the MAC the hub computed
     * @param presentedHex the hex the sender presented (upper or lower case, surrounding blanks ignored); may be null
     * @return true when {@code presentedHex} is valid hex of exactly {@code expected}; false for null, odd length or
     *         non-hex characters
     */
    public static boolean matchesHex(byte[] expected, String presentedHex) {
        if (presentedHex == null) {
            return false;
        }
        byte[] presented;
        try {
            presented = HEX.parseHex(presentedHex.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, presented);
    }

    /**
     * Compares two secrets (e.g. an API key header with the configured key) without revealing through timing
     * how many leading characters match or how long the configured value is: both are hashed with SHA-256 first
     * and the digests compared with {@link MessageDigest#isEqual}.
     *
     * @param expected  the configured secret
     * @param presented the value the caller sent; may be null
     * @return true when both are equal (and non-null)
     */
    public static boolean secretEquals(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256Digest(expected), sha256Digest(presented));
    }

    /**
     * @param bytes any bytes, e.g. a raw webhook body
     * @return lower-case hex SHA-256 of them (64 characters)
     */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] sha256Digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
