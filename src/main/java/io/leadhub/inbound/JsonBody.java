package io.leadhub.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lenient readers for webhook JSON shared by the inbound parsers: providers send numbers as strings, booleans as
 * {@code "1"}, blanks for absent values. Every reader returns {@code null} for a missing, {@code null} or blank
 * value; the ones that can fail throw {@link WebhookRejectedException} 400 naming the field.
 */
public final class JsonBody {

    private JsonBody() {
    }

    /**
     * @param json Jackson mapper
     * @param body the raw body (UTF-8 text)
     * @return the body's top-level JSON object
     * @throws WebhookRejectedException 400 naming {@code body}: not JSON (with line and column), or not an object
     */
    public static ObjectNode object(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw WebhookRejectedException.invalidField("body", "body is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw WebhookRejectedException.invalidField("body", "body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /**
     * @param node  a JSON object, or null
     * @param field field name
     * @return the field as trimmed text (numbers and booleans as text), or null when missing, null, blank or not a
     *         scalar
     */
    public static String text(JsonNode node, String field) {
        return node == null ? null : text(node.get(field));
    }

    /**
     * @param node a JSON value, or null
     * @return the value as trimmed text, or null when missing, null, blank or not a scalar
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? null : text;
    }

    /**
     * @param node   a JSON object, or null
     * @param fields field names tried in order
     * @return the first of them with a text value, or null
     */
    public static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * @param node a JSON value, or null
     * @return true/false for JSON booleans and {@code "true"/"false"/"1"/"0"/"yes"/"no"} (any case); else null
     */
    public static Boolean bool(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.asText().trim().toLowerCase();
        return switch (text) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * A number of seconds sent as a number or a numeric string ({@code 13}, {@code "13"}, {@code 12.6}).
     *
     * @param node  the value, or null
     * @param field the field's name for the error (a dotted path such as {@code data.call.duration})
     * @return the rounded seconds, or null when missing or blank
     * @throws WebhookRejectedException 400 naming the field when the value is not a number
     */
    public static Long seconds(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isBlank())) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return Math.round(node.asDouble());
        }
        try {
            double value = Double.parseDouble(node.asText().trim());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return Math.round(value);
        } catch (NumberFormatException e) {
            throw WebhookRejectedException.invalidField(field,
                    "field '" + field + "' must be a number of seconds (a number or a numeric string)");
        }
    }

    /**
     * A point in time sent as an ISO-8601 string (kept as sent) or as unix seconds (converted).
     *
     * @param node the value, or null
     * @return ISO-8601 text (unix seconds become a UTC instant such as {@code 2026-11-20T19:54:21Z}), or null
     */
    public static String time(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochSecond(node.asLong()).toString();
        }
        String text = text(node);
        if (text != null && text.matches("[0-9]{9,11}")) {
            return Instant.ofEpochSecond(Long.parseLong(text)).toString();
        }
        return text;
    }

    /**
     * @param node a JSON array of strings, numbers or {@code {name}} objects, or anything else
     * @return the items as text (objects by their {@code name}); empty for anything that is not an array
     */
    public static List<Object> strings(JsonNode node) {
        List<Object> out = new ArrayList<>();
        if (node == null || !node.isArray()) {
            return out;
        }
        for (JsonNode item : node) {
            if (item.isTextual() || item.isNumber()) {
                out.add(item.asText());
            } else if (item.isObject() && item.hasNonNull("name")) {
                out.add(item.get("name").asText());
            } else if (item.isObject() && item.hasNonNull("field")) {
                out.add(item.get("field").asText());
            }
        }
        return out;
    }

    /**
     * Converts JSON to the plain Java values the expressions see: String, Long, Double, Boolean, null, and
     * unmodifiable Map/List.
     *
     * @param node a JSON value, or null
     * @return the Java value
     */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toJava(item)));
            return Collections.unmodifiableList(list);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.asText();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
