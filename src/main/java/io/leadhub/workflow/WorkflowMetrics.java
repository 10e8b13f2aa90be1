package io.leadhub.workflow;

import io.leadhub.mapping.WorkflowTrigger;
import io.leadhub.tenant.TenantRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Metrics of the workflow-trigger actions (Micrometer; Prometheus names in brackets):
 * <ul>
 *   <li>{@code leadhub.workflow.actions} [{@code leadhub_workflow_actions_total}] {tenant, action, status}: actions
 *       finished, by status {@code done}, {@code failed}, {@code skipped}, {@code deferred}, or {@code retry} (a
 *       transient failure: the lead is redelivered); registered at zero for every action of every tenant's
 *       triggers, so {@code increase()} alerts see a series before the first event;</li>
 *   <li>{@code leadhub.workflow.deferred} [{@code leadhub_workflow_deferred}]: actions waiting in
 *       {@code workflow_actions} with status {@code deferred} (SMS held by quiet hours), read at each scrape.</li>
 * </ul>
 * Label values are tenant ids and action names from tenant files, so cardinality is bounded.
 */
@Component("workflowMetrics")
public class WorkflowMetrics {

    /** Statuses counted by {@code leadhub.workflow.actions}. */
    static final List<String> STATUSES = List.of(WorkflowActionLog.DONE, WorkflowActionLog.FAILED,
            WorkflowActionLog.SKIPPED, WorkflowActionLog.DEFERRED, "retry");

    private final MeterRegistry registry;

    /**
     * @param registry Micrometer registry
     * @param tenants  tenant files (the zero series follow reloads)
     * @param jdbc     the hub database (deferred backlog gauge)
     */
    public WorkflowMetrics(MeterRegistry registry, TenantRegistry tenants, JdbcTemplate jdbc) {
        this.registry = registry;
        Gauge.builder("leadhub.workflow.deferred", jdbc, j -> count(j))
                .description("Workflow actions deferred (SMS held by quiet hours)").register(registry);
        Runnable init = () -> tenants.tenants().forEach(t -> t.workflowTriggers().stream()
                .map(WorkflowTrigger::actions).flatMap(List::stream).distinct()
                .forEach(action -> STATUSES.forEach(status -> counter(t.tenant(), action, status))));
        init.run();
        tenants.addListener(change -> init.run());
    }

    /**
     * Counts one finished (or retried) action.
     *
     * @param tenant tenant id
     * @param action action name, e.g. {@code send_sms}
     * @param status a {@link WorkflowActionLog} status or {@code retry}
     */
    public void record(String tenant, String action, String status) {
        counter(tenant, action, status).increment();
    }

    private Counter counter(String tenant, String action, String status) {
        return Counter.builder("leadhub.workflow.actions").description("Workflow trigger actions by status")
                .tag("tenant", tenant).tag("action", action).tag("status", status).register(registry);
    }

    private static double count(JdbcTemplate jdbc) {
        try {
            Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM workflow_actions WHERE status = ?", Integer.class,
                    WorkflowActionLog.DEFERRED);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
