package io.leadhub.mapping;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * One compiled tenant-file expression, bound to its tenant's environment (lookups, time zone, clock).
 * Immutable and thread-safe; create through {@link ExpressionEnvironment#compile}.
 */
public final class CompiledExpression {

    private final String key;
    private final String source;
    private final CelRuntime.Program program;
    private final Map<String, Object> lookups;

    CompiledExpression(String key, String source, CelRuntime.Program program, Map<String, Object> lookups) {
        this.key = key;
        this.source = source;
        this.program = program;
        this.lookups = lookups;
    }

    /** @return dotted tenant-file path of the expression, e.g. {@code destinations[0].computed.x} */
    public String key() {
        return key;
    }

    /** @return the expression text */
    public String source() {
        return source;
    }

    /**
     * Evaluates the expression.
     *
     * @param ctx the lead's variables
     * @return the result as plain Java (see {@link CelValues#fromCel(Object)}); null for a CEL {@code null}
     * @throws MappingException when evaluation fails (message: key and CEL error)
     */
    public Object evaluate(MappingContext ctx) {
        return evaluate(Variables.of(ctx, key));
    }

    /**
     * Evaluates a condition.
     *
     * @param ctx the lead's variables
     * @return the boolean result; a {@code null} result counts as false
     * @throws MappingException when evaluation fails or the result is neither bool nor null
     */
    public boolean test(MappingContext ctx) {
        return test(Variables.of(ctx, key));
    }

    Object evaluate(Variables vars) {
        Object raw = evaluateRaw(vars);
        try {
            return CelValues.fromCel(raw);
        } catch (IllegalArgumentException e) {
            throw new MappingException(key, e.getMessage(), e);
        }
    }

    boolean test(Variables vars) {
        Object result = evaluateRaw(vars);
        if (result instanceof Boolean b) {
            return b;
        }
        if (result instanceof dev.cel.common.values.NullValue) {
            return false;
        }
        throw new MappingException(key, "condition must evaluate to a bool, got " + typeName(result));
    }

    private Object evaluateRaw(Variables vars) {
        CelVariableResolver resolver = name -> {
            Object value = vars.get(name);
            if (value == null) {
                value = lookups.get(name);
            }
            return Optional.ofNullable(value);
        };
        Object result;
        try {
            result = program.eval(resolver);
        } catch (CelEvaluationException e) {
            throw new MappingException(key, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MappingException(key, "evaluation failed: " + e.getClass().getSimpleName(), e);
        }
        if (result == null || result.getClass().getName().startsWith("dev.cel.runtime.")) {
            // e.g. an unknown set: a variable was not provided
            throw new MappingException(key, "expression result is unknown (a variable was not provided)");
        }
        return result;
    }

    static String typeName(Object celValue) {
        if (celValue instanceof Boolean) {
            return "bool";
        }
        if (celValue instanceof Long) {
            return "int";
        }
        if (celValue instanceof Double) {
            return "double";
        }
        if (celValue instanceof String) {
            return "string";
        }
        if (celValue instanceof Map<?, ?>) {
            return "map";
        }
        if (celValue instanceof Collection<?>) {
            return "list";
        }
        return celValue == null ? "null" : celValue.getClass().getSimpleName();
    }

    /** @return {@code key: source} (expressions never contain secrets) */
    @Override
    public String toString() {
        return key + ": " + source;
    }

    /** The context variables converted to CEL values once, shared by all expressions of one evaluation. */
    static final class Variables {
        private final Object lead;
        private final Object call;
        private final Object ai;

        private Variables(Object lead, Object call, Object ai) {
            this.lead = lead;
            this.call = call;
            this.ai = ai;
        }

        /**
         * @param ctx the lead's variables (null maps count as empty)
         * @param key key reported when a value cannot be converted
         * @return the converted variables
         * @throws MappingException when a context value has an unsupported type
         */
        static Variables of(MappingContext ctx, String key) {
            try {
                return new Variables(convert(ctx == null ? null : ctx.lead()), convert(ctx == null ? null : ctx.call()),
                        convert(ctx == null ? null : ctx.ai()));
            } catch (IllegalArgumentException e) {
                throw new MappingException(key, e.getMessage(), e);
            }
        }

        private static Object convert(Map<String, Object> map) {
            return map == null ? Map.of() : CelValues.toCel(map);
        }

        Object get(String name) {
            return switch (name) {
                case "lead" -> lead;
                case "call" -> call;
                case "ai" -> ai;
                default -> null;
            };
        }
    }
}
