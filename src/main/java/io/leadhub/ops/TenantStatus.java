package io.leadhub.ops;

import io.leadhub.dispatch.TenantRouteRegistrar;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantConfigException;
import io.leadhub.tenant.TenantRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.stereotype.Component;

/**
 * Per-tenant status for operators (admin API and JMX): the tenant file, when it was last loaded, its current load
 * error (a tenant can be served with its previous configuration while its new file is rejected), and per
 * destination the dispatch route's id and status and the consumer group's lag.
 */
@Component("tenantStatus")
public class TenantStatus {

    private final TenantRegistry tenants;
    private final CamelContext camel;
    private final ConsumerLagMonitor lag;

    /**
     * @param tenants tenant files
     * @param camel   the Camel context (route status)
     * @param lag     consumer lag figures
     */
    public TenantStatus(TenantRegistry tenants, CamelContext camel, ConsumerLagMonitor lag) {
        this.tenants = tenants;
        this.camel = camel;
        this.lag = lag;
    }

    /** @return one entry per served tenant, then one per rejected file of a tenant that is not served */
    public List<Map<String, Object>> all() {
        List<Map<String, Object>> out = new ArrayList<>();
        tenants.tenants().forEach(t -> out.add(status(t)));
        tenants.errors().forEach((file, error) -> {
            String stem = stem(file);
            if (tenants.find(stem).isEmpty()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("tenant", stem);
                entry.put("file", file.toString());
                entry.put("served", false);
                entry.put("error", error.getMessage());
                out.add(entry);
            }
        });
        return out;
    }

    /**
     * @param tenant tenant id
     * @return its status, if the tenant is served or its file is rejected
     */
    public Optional<Map<String, Object>> one(String tenant) {
        return all().stream().filter(m -> tenant.equals(m.get("tenant"))).findFirst();
    }

    private Map<String, Object> status(TenantConfig t) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tenant", t.tenant());
        entry.put("file", t.file().toString());
        entry.put("served", true);
        entry.put("loadedAt", t.loadedAt().toString());
        TenantConfigException error = tenants.errors().get(t.file());
        entry.put("error", error == null ? null : error.getMessage());
        entry.put("sources", t.sources().keySet().stream().sorted().toList());
        List<Map<String, Object>> destinations = new ArrayList<>();
        for (DestinationConfig d : t.destinations()) {
            Map<String, Object> dest = new LinkedHashMap<>();
            String routeId = TenantRouteRegistrar.routeId(t.tenant(), d.id());
            ServiceStatus routeStatus = camel.getRouteController().getRouteStatus(routeId);
            dest.put("id", d.id());
            dest.put("type", d.type());
            dest.put("enabled", d.enabled());
            dest.put("dryRun", d.isDryRun());
            dest.put("route", routeId);
            dest.put("routeStatus", routeStatus == null ? "absent" : routeStatus.name());
            dest.put("lag", lag.lag().getOrDefault("leadhub-dispatch-" + t.tenant() + "-" + d.id(), Map.of())
                    .values().stream().mapToLong(Long::longValue).sum());
            destinations.add(dest);
        }
        entry.put("destinations", destinations);
        entry.put("workflowTriggers", t.workflowTriggers().stream().map(trigger -> Map.of("name", trigger.name(),
                "actions", trigger.actions())).toList());
        entry.put("llm", llm(t.llm()));
        return entry;
    }

    /** The tenant's own {@code ai.llm} block as configured (null = the global settings); the key is never shown. */
    private static Map<String, Object> llm(io.leadhub.tenant.TenantLlmSettings llm) {
        if (llm == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", llm.enabled());
        out.put("baseUrl", llm.baseUrl());
        out.put("model", llm.model());
        out.put("apiKey", llm.apiKey() == null ? null : llm.apiKey().isEmpty() ? "" : "****");
        out.put("timeoutMs", llm.timeoutMs());
        return out;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : name;
    }
}
