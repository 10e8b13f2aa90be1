package io.leadhub.mapping;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values between plain Java and the representation the CEL (dev.cel 0.14) runtime expects.
 *
 * <p>CEL knows {@code int} (Java {@link Long}), {@code double} ({@link Double}), {@code string}, {@code bool},
 * {@code null} ({@link NullValue#NULL_VALUE}), lists, maps, timestamps ({@link Instant}) and durations
 * ({@link Duration}). A Java {@code null} handed to the runtime as a map value would be treated as an
 * <em>unknown</em>, not as CEL {@code null}, so every value passed to an expression must go through
 * {@link #toCel(Object)}.
 */
public final class CelValues {

    private CelValues() {
    }

    /**
     * Converts a Java value into a CEL runtime value.
     *
     * <ul>
     *   <li>{@code null} → {@link NullValue#NULL_VALUE}</li>
     *   <li>Long → Long; Integer, Short, Byte → Long; BigInteger → Long when it fits, else Double</li>
     *   <li>Double → Double; Float, BigDecimal and other Numbers → Double</li>
     *   <li>String, other CharSequence, Character → String; Boolean → Boolean; Enum → its name</li>
     *   <li>Instant, Duration → themselves (CEL timestamp, duration); LocalDate → {@code YYYY-MM-DD} string</li>
     *   <li>byte[] → CEL bytes</li>
     *   <li>Map → a new map with converted keys and values; List/Collection/array → a new list of converted
     *       elements</li>
     * </ul>
     *
     * @param value a Java value
     * @return the CEL value, never null
     * @throws IllegalArgumentException for an unsupported type (the message names the class, not the value)
     */
    public static Object toCel(Object value) {
        if (value == null || value instanceof NullValue) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (value instanceof UnsignedLong u) {
            return u.longValue() >= 0 ? (Object) u.longValue() : (Object) u.doubleValue();
        }
        if (value instanceof Float || value instanceof BigDecimal || value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Instant || value instanceof Duration || value instanceof CelByteString) {
            return value;
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof byte[] bytes) {
            return CelByteString.of(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            map.forEach((k, v) -> out.put(toCel(k), toCel(v)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            collection.forEach(v -> out.add(toCel(v)));
            return out;
        }
        if (value instanceof Object[] array) {
            List<Object> out = new ArrayList<>(array.length);
            for (Object v : array) {
                out.add(toCel(v));
            }
            return out;
        }
        throw new IllegalArgumentException("unsupported value type for CEL: " + value.getClass().getName());
    }

    /**
     * Converts a CEL result into plain, JSON-compatible Java.
     *
     * <ul>
     *   <li>{@link NullValue} → {@code null}</li>
     *   <li>Long, Double, String, Boolean → themselves; UnsignedLong → Long (Double above Long.MAX_VALUE)</li>
     *   <li>timestamp ({@link Instant}, protobuf Timestamp) → ISO-8601 instant string, e.g.
     *       {@code 2026-11-21T10:15:30Z}</li>
     *   <li>duration ({@link Duration}, protobuf Duration) → ISO-8601 duration string, e.g. {@code PT1H}</li>
     *   <li>bytes → Base64 string</li>
     *   <li>map → new {@link LinkedHashMap} (keys converted to String), list → new {@link ArrayList}, both
     *       converted deeply and mutable</li>
     * </ul>
     *
     * @param value a value returned by a CEL program
     * @return the Java value, may be null
     * @throws IllegalArgumentException for a CEL value that has no plain Java form (e.g. an unknown set or a
     *                                  protobuf message); the message names the class only
     */
    public static Object fromCel(Object value) {
        if (value == null || value instanceof NullValue) {
            return null;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof UnsignedLong u) {
            return u.longValue() >= 0 ? (Object) u.longValue() : (Object) u.doubleValue();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger || value instanceof BigDecimal) {
            return toCel(value);
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof com.google.protobuf.Timestamp ts) {
            return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString();
        }
        if (value instanceof Duration duration) {
            return duration.toString();
        }
        if (value instanceof com.google.protobuf.Duration d) {
            return Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString();
        }
        if (value instanceof CelByteString bytes) {
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        if (value instanceof com.google.protobuf.ByteString bytes) {
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            map.forEach((k, v) -> out.put(String.valueOf(fromCel(k)), fromCel(v)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            collection.forEach(v -> out.add(fromCel(v)));
            return out;
        }
        if (value instanceof CharSequence cs) {
            return cs.toString();
        }
        throw new IllegalArgumentException("CEL value of type " + value.getClass().getName()
                + " has no plain Java form");
    }
}
