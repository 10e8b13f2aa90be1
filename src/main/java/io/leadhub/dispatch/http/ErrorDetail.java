package io.leadhub.dispatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.support.Masking;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A short, masked summary of an error body for exception messages (the body itself travels verbatim in
 * {@link io.leadhub.dispatch.DeliveryException#responseBody()}).
 */
public final class ErrorDetail {

    /** Longest summary kept in a message. */
    static final int MAX_CHARS = 300;

    /** JSON fields that usually carry a human-readable error, in the order they are tried. */
    private static final List<String> MESSAGE_FIELDS =
            List.of("message", "error_description", "detail", "title", "error", "errors");

    private ErrorDetail() {
    }

    /**
     * @param body    the error body as received, or null
     * @param mapper  JSON reader
     * @param maskPii masks the lead's phone and e-mail (any other phone or e-mail is masked too)
     * @return for a JSON object the first of {@code message}, {@code error_description}, {@code detail},
     *         {@code title}, {@code error}, {@code errors} (objects and arrays as compact JSON); otherwise the text;
     *         masked, whitespace collapsed, cut to 300 characters; empty for an empty body
     */
    public static String of(String body, ObjectMapper mapper, UnaryOperator<String> maskPii) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body;
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null && json.isObject()) {
                for (String field : MESSAGE_FIELDS) {
                    JsonNode node = json.get(field);
                    if (node != null && !node.isNull() && !(node.isValueNode() && node.asText().isBlank())) {
                        text = node.isValueNode() ? node.asText() : node.toString();
                        break;
                    }
                }
            }
        } catch (Exception e) {
            // not JSON: keep the text
        }
        text = Masking.text(maskPii.apply(text)).replaceAll("\\s+", " ").trim();
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
    }
}
