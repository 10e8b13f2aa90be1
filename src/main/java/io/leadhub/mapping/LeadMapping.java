package io.leadhub.mapping;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiled mapping of one destination: its {@code field_mappings}, {@code custom_properties},
 * {@code conditional} and {@code computed} sections. Immutable and thread-safe. Every CRM property name occurs
 * once across the four sections.
 */
public final class LeadMapping {

    private static final LeadMapping EMPTY = new LeadMapping(List.of(), ZoneOffset.UTC);

    private final List<Rule> rules;
    private final ZoneId timezone;
    private final Set<String> propertyNames;

    private LeadMapping(List<Rule> rules, ZoneId timezone) {
        this.rules = List.copyOf(rules);
        this.timezone = timezone;
        LinkedHashSet<String> names = new LinkedHashSet<>();
        rules.forEach(r -> names.add(r.property()));
        this.propertyNames = Collections.unmodifiableSet(names);
    }

    /** @return a mapping without properties ({@link #apply} returns an empty map) */
    public static LeadMapping empty() {
        return EMPTY;
    }

    /**
     * @param timezone the tenant's zone, used to convert instants of {@code date} custom properties to a date
     * @return a builder
     */
    public static Builder builder(ZoneId timezone) {
        return new Builder(timezone);
    }

    /**
     * Maps one lead to CRM properties.
     *
     * <p>Order of the result: {@code field_mappings}, {@code custom_properties}, {@code conditional},
     * {@code computed}, each in file order. Properties whose expression gives {@code null} are left out.
     * Values are plain Java ({@link CelValues#fromCel(Object)}); {@code custom_properties} are converted to their
     * type: {@code number} → Long or Double, {@code bool} → Boolean, {@code date} → {@code "YYYY-MM-DD"},
     * {@code datetime} → ISO-8601 UTC instant string, {@code string}/{@code enumeration} → String (lists joined
     * with {@code ;}). A {@code conditional} property takes the {@code then} of the first entry whose {@code if}
     * is true (a null condition counts as false), else its {@code default}.
     *
     * @param ctx the lead's {@code lead}, {@code call} and {@code ai} variables
     * @return a new mutable map of CRM property name to value, in the order above
     * @throws MappingException when an expression fails or a custom property cannot be converted to its type;
     *                          {@link MappingException#key()} names the expression, e.g.
     *                          {@code destinations[0].computed.estimated_value}
     */
    public Map<String, Object> apply(MappingContext ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (rules.isEmpty()) {
            return out;
        }
        CompiledExpression.Variables vars = CompiledExpression.Variables.of(ctx, "(context)");
        for (Rule rule : rules) {
            Object value = rule.evaluate(vars, timezone);
            if (value != null) {
                out.put(rule.property(), value);
            }
        }
        return out;
    }

    /** @return the CRM property names this mapping can produce, in {@link #apply} order (unmodifiable) */
    public Set<String> propertyNames() {
        return propertyNames;
    }

    /** @return the property names and the keys of their expressions, never values */
    @Override
    public String toString() {
        return "LeadMapping" + propertyNames;
    }

    /**
     * One {@code {if, then}} entry of a conditional property.
     *
     * @param condition the {@code if} expression (bool)
     * @param value     the {@code then} expression
     */
    public record Branch(CompiledExpression condition, CompiledExpression value) {
        public Branch {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(value, "value");
        }
    }

    private sealed interface Rule permits Simple, Custom, Conditional {
        String property();

        Object evaluate(CompiledExpression.Variables vars, ZoneId zone);
    }

    private record Simple(String property, CompiledExpression expression) implements Rule {
        @Override
        public Object evaluate(CompiledExpression.Variables vars, ZoneId zone) {
            return expression.evaluate(vars);
        }
    }

    private record Custom(String property, CompiledExpression expression, PropertyType type) implements Rule {
        @Override
        public Object evaluate(CompiledExpression.Variables vars, ZoneId zone) {
            return coerce(expression.key(), expression.evaluate(vars), type, zone);
        }
    }

    private record Conditional(String property, List<Branch> branches, CompiledExpression otherwise)
            implements Rule {
        @Override
        public Object evaluate(CompiledExpression.Variables vars, ZoneId zone) {
            for (Branch branch : branches) {
                if (branch.condition().test(vars)) {
                    return branch.value().evaluate(vars);
                }
            }
            return otherwise.evaluate(vars);
        }
    }

    /**
     * Converts a custom property's value to its declared type.
     *
     * @param key   expression key for errors
     * @param value plain Java value, may be null
     * @param type  the declared type
     * @param zone  tenant zone for instant → date
     * @return the converted value, null for null
     * @throws MappingException when the value does not convert (the message names types, not the value)
     */
    static Object coerce(String key, Object value, PropertyType type, ZoneId zone) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case STRING, ENUMERATION -> toText(key, value, type);
            case NUMBER -> toNumber(key, value);
            case BOOL -> toBool(key, value);
            case DATE -> toDate(key, value, zone);
            case DATETIME -> toDateTime(key, value, zone);
        };
    }

    private static String toText(String key, Object value, PropertyType type) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString()
                    : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Collection<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object element : list) {
                if (element != null) {
                    parts.add(toText(key, element, type));
                }
            }
            return String.join(";", parts);
        }
        throw cannotConvert(key, value, type);
    }

    private static Object toNumber(String key, Object value) {
        if (value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            String t = s.trim();
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(t);
                    if (!Double.isNaN(d) && !Double.isInfinite(d) && !t.isEmpty()) {
                        return d;
                    }
                } catch (NumberFormatException ignored) {
                    // fall through
                }
            }
            throw new MappingException(key, "string value is not a number");
        }
        throw cannotConvert(key, value, PropertyType.NUMBER);
    }

    private static Boolean toBool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            if ("true".equalsIgnoreCase(s.trim())) {
                return true;
            }
            if ("false".equalsIgnoreCase(s.trim())) {
                return false;
            }
            throw new MappingException(key, "string value is not true or false");
        }
        throw cannotConvert(key, value, PropertyType.BOOL);
    }

    private static String toDate(String key, Object value, ZoneId zone) {
        if (!(value instanceof String s)) {
            throw cannotConvert(key, value, PropertyType.DATE);
        }
        String t = s.trim();
        try {
            return LocalDate.parse(t).toString();
        } catch (DateTimeException ignored) {
            // try an instant
        }
        try {
            return LocalDate.ofInstant(parseInstant(t, zone), zone).toString();
        } catch (DateTimeException e) {
            throw new MappingException(key, "string value is not a date YYYY-MM-DD or an ISO-8601 date-time");
        }
    }

    private static String toDateTime(String key, Object value, ZoneId zone) {
        if (!(value instanceof String s)) {
            throw cannotConvert(key, value, PropertyType.DATETIME);
        }
        String t = s.trim();
        try {
            return parseInstant(t, zone).toString();
        } catch (DateTimeException e) {
            try {
                return LocalDate.parse(t).atStartOfDay(zone).toInstant().toString();
            } catch (DateTimeException e2) {
                throw new MappingException(key, "string value is not an ISO-8601 date-time");
            }
        }
    }

    private static Instant parseInstant(String text, ZoneId zone) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e2) {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            }
        }
    }

    private static MappingException cannotConvert(String key, Object value, PropertyType type) {
        return new MappingException(key, "cannot convert a value of type " + CompiledExpression.typeName(value)
                + " to " + type.configName());
    }

    /**
     * Collects the compiled sections of one destination. Sections may be added in any order; {@link #build()}
     * orders them field_mappings, custom_properties, conditional, computed.
     */
    public static final class Builder {
        private final ZoneId timezone;
        private final List<Rule> fields = new ArrayList<>();
        private final List<Rule> customs = new ArrayList<>();
        private final List<Rule> conditionals = new ArrayList<>();
        private final List<Rule> computed = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        private Builder(ZoneId timezone) {
            this.timezone = Objects.requireNonNull(timezone, "timezone");
        }

        /**
         * @param property   CRM property name
         * @param expression its value
         * @return this
         * @throws IllegalArgumentException when the property is already defined
         */
        public Builder fieldMapping(String property, CompiledExpression expression) {
            fields.add(new Simple(claim(property), Objects.requireNonNull(expression)));
            return this;
        }

        /**
         * @param property   CRM property name
         * @param expression its value
         * @param type       the type the value is converted to
         * @return this
         * @throws IllegalArgumentException when the property is already defined
         */
        public Builder customProperty(String property, CompiledExpression expression, PropertyType type) {
            customs.add(new Custom(claim(property), Objects.requireNonNull(expression), Objects.requireNonNull(type)));
            return this;
        }

        /**
         * @param property  CRM property name
         * @param branches  the {@code {if, then}} entries in order
         * @param otherwise the {@code default}
         * @return this
         * @throws IllegalArgumentException when the property is already defined
         */
        public Builder conditional(String property, List<Branch> branches, CompiledExpression otherwise) {
            conditionals.add(new Conditional(claim(property), List.copyOf(branches),
                    Objects.requireNonNull(otherwise)));
            return this;
        }

        /**
         * @param property   CRM property name
         * @param expression its formula
         * @return this
         * @throws IllegalArgumentException when the property is already defined
         */
        public Builder computed(String property, CompiledExpression expression) {
            computed.add(new Simple(claim(property), Objects.requireNonNull(expression)));
            return this;
        }

        /**
         * @param property CRM property name
         * @return true when the property is already defined in this builder
         */
        public boolean defines(String property) {
            return names.contains(property);
        }

        private String claim(String property) {
            Objects.requireNonNull(property, "property");
            if (!names.add(property)) {
                throw new IllegalArgumentException("CRM property '" + property + "' is defined twice");
            }
            return property;
        }

        /** @return the mapping */
        public LeadMapping build() {
            List<Rule> all = new ArrayList<>(fields);
            all.addAll(customs);
            all.addAll(conditionals);
            all.addAll(computed);
            return all.isEmpty() ? new LeadMapping(List.of(), timezone) : new LeadMapping(all, timezone);
        }
    }
}
