package io.leadhub.mapping;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled {@code workflow_triggers} entry: follow-up actions to start for a lead matching a condition.
 * Immutable and thread-safe.
 */
public final class WorkflowTrigger {

    private final String name;
    private final CompiledExpression when;
    private final List<String> actions;
    private final Map<String, Object> params;
    private final List<OwnerRule> ownerRules;

    /**
     * One {@code params.rules} entry of {@code assign_owner}: the owner when the condition holds.
     *
     * @param when  compiled {@code if} (bool)
     * @param owner CRM owner id
     */
    public record OwnerRule(CompiledExpression when, String owner) {
    }

    /**
     * @param name    trigger name ({@code [a-z0-9_]+}, unique in the tenant file)
     * @param when    the compiled {@code when} condition (bool)
     * @param actions the actions in order: {@code create_task}, {@code assign_owner}, {@code send_sms},
     *                {@code send_notification}, {@code schedule_follow_up_call}
     */
    public WorkflowTrigger(String name, CompiledExpression when, List<String> actions) {
        this(name, when, actions, Map.of());
    }

    /**
     * @param name    trigger name
     * @param when    the compiled {@code when} condition (bool)
     * @param actions the actions in order
     * @param params  the trigger's {@code params} (plain Java values: String/Number/Boolean/List/Map; secrets as
     *                {@code io.leadhub.tenant.Secret}), e.g. {@code message}, {@code due_in_days}, {@code owners}
     */
    public WorkflowTrigger(String name, CompiledExpression when, List<String> actions, Map<String, Object> params) {
        this(name, when, actions, params, List.of());
    }

    /**
     * @param name       trigger name
     * @param when       the compiled {@code when} condition (bool)
     * @param actions    the actions in order
     * @param params     the trigger's {@code params}
     * @param ownerRules compiled {@code params.rules} of {@code assign_owner}, in file order
     */
    public WorkflowTrigger(String name, CompiledExpression when, List<String> actions, Map<String, Object> params,
                           List<OwnerRule> ownerRules) {
        this.ownerRules = List.copyOf(ownerRules);
        this.name = Objects.requireNonNull(name, "name");
        this.when = Objects.requireNonNull(when, "when");
        this.actions = List.copyOf(actions);
        this.params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /** @return the compiled {@code params.rules} of {@code assign_owner} (unmodifiable; empty when absent) */
    public List<OwnerRule> ownerRules() {
        return ownerRules;
    }

    /** @return the trigger's {@code params} (unmodifiable; empty when absent) */
    public Map<String, Object> params() {
        return params;
    }

    /** @return the trigger name */
    public String name() {
        return name;
    }

    /** @return the actions in file order (unmodifiable) */
    public List<String> actions() {
        return actions;
    }

    /** @return the {@code when} expression text */
    public String condition() {
        return when.source();
    }

    /**
     * @param ctx the lead's variables
     * @return true when {@code when} evaluates to true; a null result counts as false
     * @throws MappingException when the condition fails to evaluate or is not a bool; the key is e.g.
     *                          {@code workflow_triggers[0].when}
     */
    public boolean matches(MappingContext ctx) {
        return when.test(ctx);
    }

    @Override
    public String toString() {
        return "WorkflowTrigger[" + name + " when " + when.source() + " -> " + actions + "]";
    }
}
