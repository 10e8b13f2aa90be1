package io.leadhub.dispatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Jackson trees in and out of connectors: converts the plain values of mapped properties and enriched-lead maps
 * (String, Number, Boolean, Map, List, {@link java.time.Instant} and other value types as text, null) into a tree,
 * keeping null entries as JSON {@code null} whatever the application's {@code ObjectMapper} inclusion settings
 * are, so a documented payload key is always present ({@link #toNode}); reads answers that may not be JSON
 * ({@link #readOrNull}) and their text fields ({@link #text}). Stateless.
 */
public final class JsonTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /**
     * @param value a plain value
     * @return its JSON tree; maps keep their iteration order
     */
    public static JsonNode toNode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toNode(v)));
            return object;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(v -> array.add(toNode(v)));
            return array;
        }
        return NODES.textNode(value.toString());
    }

    /**
     * @param body   response text, or null
     * @param mapper JSON reader
     * @return the parsed JSON, or null when the body is empty or not JSON
     */
    public static JsonNode readOrNull(String body, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * @param json  a JSON object, or null
     * @param field field name
     * @return the field's text when it is a non-blank scalar, else null
     */
    public static String text(JsonNode json, String field) {
        JsonNode node = json == null ? null : json.get(field);
        return node != null && node.isValueNode() && !node.isNull() && !node.asText().isBlank() ? node.asText() : null;
    }
}
