package io.leadhub.inbound.twilio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests the way Twilio does (twilio.com/docs/usage/webhooks/webhooks-security), for tests and fixtures:
 * twilio-java only validates. {@code RequestValidatorVectorsTest} checks this signer against twilio-java's own
 * test vectors, so a request it signs is one Twilio could have sent.
 */
public final class TwilioTestSigner {

    private TwilioTestSigner() {
    }

    /**
     * @param authToken the account's auth token
     * @param url       the full URL (with query)
     * @param params    the form parameters (null or empty for JSON bodies)
     * @return Base64(HMAC-SHA1(authToken, url + each name + value sorted by name))
     */
    public static String sign(String authToken, String url, Map<String, String> params) {
        StringBuilder text = new StringBuilder(url);
        if (params != null) {
            new TreeMap<>(params).forEach((k, v) -> text.append(k).append(v));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param params name → value, in order
     * @return the {@code application/x-www-form-urlencoded} body Twilio would post
     */
    public static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * @param body a JSON body
     * @return lower-case hex SHA-256 of its UTF-8 bytes, the {@code bodySHA256} query parameter
     */
    public static String bodySha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
