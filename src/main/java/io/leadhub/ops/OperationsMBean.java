package io.leadhub.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.deadletter.DeadLetterService;
import io.leadhub.tenant.TenantRegistry;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The admin API's operations as a JMX MBean, {@code io.leadhub:type=Operations,name=leadhub}, so operators can
 * work from Hawtio (JMX tab) or any JMX console. Results are JSON strings; blank string arguments mean "no
 * filter". No operation returns a secret.
 */
@Component("operationsMBean")
@ManagedResource(objectName = "io.leadhub:type=Operations,name=leadhub",
        description = "LeadHub operations: dead letters, tenants")
public class OperationsMBean {

    private final DeadLetterService deadLetters;
    private final TenantRegistry tenants;
    private final TenantStatus tenantStatus;
    private final ObjectMapper json;

    /**
     * @param deadLetters  dead letter operations
     * @param tenants      tenant files
     * @param tenantStatus tenant status
     * @param json         Jackson mapper
     */
    public OperationsMBean(DeadLetterService deadLetters, TenantRegistry tenants, TenantStatus tenantStatus,
                           ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.tenants = tenants;
        this.tenantStatus = tenantStatus;
        this.json = json;
    }

    /**
     * @param tenant      tenant id or blank
     * @param destination destination id or blank
     * @param status      open, replayed, discarded or blank
     * @return the newest 100 matching dead letters as JSON
     * @throws JsonProcessingException never in practice
     */
    @ManagedOperation(description = "List the newest 100 dead letters matching tenant/destination/status (blank = any)")
    @ManagedOperationParameter(name = "tenant", description = "tenant id or blank")
    @ManagedOperationParameter(name = "destination", description = "destination id or blank")
    @ManagedOperationParameter(name = "status", description = "open, replayed, discarded or blank")
    public String listDeadLetters(String tenant, String destination, String status) throws JsonProcessingException {
        return json.writeValueAsString(deadLetters.list(new DeadLetterService.Filter(blank(tenant), blank(destination),
                blank(status), null, null, null), 0, 100));
    }

    /**
     * @param id dead letter id
     * @return true when replayed
     */
    @ManagedOperation(description = "Replay one open dead letter through the normal path")
    @ManagedOperationParameter(name = "id", description = "dead letter id")
    public boolean replayDeadLetter(long id) {
        return deadLetters.replay(id);
    }

    /**
     * @param tenant      tenant id or blank
     * @param destination destination id or blank
     * @return how many were replayed
     */
    @ManagedOperation(description = "Replay every open dead letter of a tenant/destination (blank = any)")
    @ManagedOperationParameter(name = "tenant", description = "tenant id or blank")
    @ManagedOperationParameter(name = "destination", description = "destination id or blank")
    public int replayDeadLetters(String tenant, String destination) {
        return deadLetters.replayMatching(new DeadLetterService.Filter(blank(tenant), blank(destination), "open",
                null, null, null));
    }

    /**
     * @param id     dead letter id
     * @param reason why it is discarded
     * @return true when discarded
     */
    @ManagedOperation(description = "Discard one open dead letter, with a reason")
    @ManagedOperationParameter(name = "id", description = "dead letter id")
    @ManagedOperationParameter(name = "reason", description = "why it is discarded")
    public boolean discardDeadLetter(long id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        return deadLetters.discard(id, reason);
    }

    /**
     * @return every tenant's status as JSON
     * @throws JsonProcessingException never in practice
     */
    @ManagedOperation(description = "Status of every tenant file: last load, error, routes, lag")
    public String tenantStatus() throws JsonProcessingException {
        return json.writeValueAsString(tenantStatus.all());
    }

    /**
     * @return every tenant's status after re-reading the tenant files, as JSON
     * @throws JsonProcessingException never in practice
     */
    @ManagedOperation(description = "Re-read the tenant files now")
    public String reloadTenants() throws JsonProcessingException {
        tenants.reload();
        return tenantStatus();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
