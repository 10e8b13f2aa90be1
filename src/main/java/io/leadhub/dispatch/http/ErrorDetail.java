package io.leadhub.dispatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.support.Masking;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Short, masked summaries of error bodies for exception messages (the body itself travels verbatim in
 * {@link io.leadhub.dispatch.DeliveryException#responseBody()}), and the message every HTTP connector builds from
 * one: {@code <system> <operation> (<METHOD> <target>): HTTP <status> <detail>}. Stateless.
 */
public final class ErrorDetail {

    /** Longest summary kept in a message. */
    public static final int MAX_CHARS = 300;

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

    /**
     * @param request the request that failed
     * @param status  HTTP status
     * @param detail  the error in a few words, personal data already masked ({@link #of} or a connector's own
     *                reading of its CRM's error envelope); may be empty or null
     * @return {@code "<describe>: HTTP <status> <detail>"}, the detail stripped and shortened to {@value #MAX_CHARS}
     *         characters (then ending in {@code ...}), e.g. {@code Pipedrive create person (POST /v1/persons): HTTP
     *         400 Bad request (name is required)}
     */
    public static String message(OutboundRequest request, int status, String detail) {
        String d = detail == null ? "" : detail.strip();
        if (d.length() > MAX_CHARS) {
            d = d.substring(0, MAX_CHARS) + "...";
        }
        return request.describe() + ": HTTP " + status + (d.isEmpty() ? "" : " " + d);
    }
}
