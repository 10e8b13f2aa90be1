package io.leadhub.inbound.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.inbound.WebhookRejectedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The parameters of a verified Twilio request: the form fields checked by {@link TwilioSignatureVerifier}, or,
 * for a JSON body, its top-level scalar fields (text of numbers and booleans), plus the query string.
 */
public final class TwilioParams {

    private TwilioParams() {
    }

    /**
     * @param exchange a verified exchange (property {@value TwilioSignatureVerifier#PARAMS}, raw body)
     * @param json     Jackson mapper for JSON bodies
     * @return name → value (unmodifiable)
     * @throws WebhookRejectedException 400 naming {@code body} when a JSON body is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> of(Exchange exchange, ObjectMapper json) {
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!TwilioMediaTypeCheck.isJson(type)) {
            Map<String, String> params = exchange.getProperty(TwilioSignatureVerifier.PARAMS, Map.class);
            return params == null ? Map.of() : params;
        }
        byte[] raw = exchange.getIn().getBody(byte[].class);
        JsonNode root;
        try {
            root = json.readTree(raw == null ? new byte[0] : raw);
        } catch (JsonProcessingException e) {
            throw WebhookRejectedException.invalidField("body", "body is not valid JSON");
        } catch (java.io.IOException e) {
            throw WebhookRejectedException.invalidField("body", "body cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw WebhookRejectedException.invalidField("body", "body must be a JSON object");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                params.put(field.getKey(), field.getValue().asText());
            }
        }
        return Collections.unmodifiableMap(params);
    }

    /**
     * @param rawQuery a raw query string (without {@code ?}), or null
     * @param name     parameter name
     * @return the first value of the parameter, URL-decoded; null when absent, empty or undecodable
     */
    public static String query(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            if (key.equals(name) && eq >= 0) {
                try {
                    String value = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8).trim();
                    return value.isEmpty() ? null : value;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
