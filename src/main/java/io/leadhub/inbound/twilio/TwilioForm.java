package io.leadhub.inbound.twilio;

import io.leadhub.inbound.WebhookRejectedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses an {@code application/x-www-form-urlencoded} body (the format of every Twilio voice webhook and
 * callback) from its raw bytes, so the hub signs exactly the parameters Twilio sent.
 *
 * <p>Format (WHATWG URL "application/x-www-form-urlencoded", as sent by Twilio): {@code name=value} pairs joined
 * by {@code &}, each part percent-encoded UTF-8 with {@code +} for a space. Twilio signs the <em>decoded</em>
 * names and values, so they are decoded here with {@link URLDecoder} (UTF-8).
 */
public final class TwilioForm {

    private TwilioForm() {
    }

    /**
     * @param raw the request body bytes (UTF-8; form bodies are ASCII)
     * @return decoded name → value, in body order (unmodifiable); empty for an empty body
     * @throws WebhookRejectedException 400 naming {@code body} when a part has no {@code =}, is empty between two
     *                                  {@code &}, has an invalid percent escape, or a name occurs twice (Twilio's
     *                                  voice parameters are unique, and twilio-java's validator signs one value per
     *                                  name)
     */
    public static Map<String, String> parse(byte[] raw) {
        String body = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        Map<String, String> params = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return Collections.unmodifiableMap(params);
        }
        String[] parts = body.split("&", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() && i == parts.length - 1 && i > 0) {
                continue; // a trailing '&'
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw malformed("form body part " + (i + 1) + " is not name=value");
            }
            String name = decode(part.substring(0, eq), i);
            String value = decode(part.substring(eq + 1), i);
            if (params.putIfAbsent(name, value) != null) {
                throw malformed("form field '" + printable(name) + "' occurs more than once");
            }
        }
        return Collections.unmodifiableMap(params);
    }

    /**
     * @param raw request body bytes
     * @return true when {@link #parse} accepts the body
     */
    public static boolean isWellFormed(byte[] raw) {
        try {
            parse(raw);
            return true;
        } catch (WebhookRejectedException e) {
            return false;
        }
    }

    private static String decode(String text, int index) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("form body part " + (index + 1) + " has an invalid percent escape");
        }
    }

    private static WebhookRejectedException malformed(String detail) {
        return WebhookRejectedException.invalidField("body",
                detail + " (expected application/x-www-form-urlencoded)");
    }

    private static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) : name;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
