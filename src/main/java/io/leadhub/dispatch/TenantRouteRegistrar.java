package io.leadhub.dispatch;

import io.leadhub.kafka.TopicProvisioner;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.TenantChange;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps one {@code crm-dispatch-<tenant>-<destination>} route per enabled tenant destination, made from the
 * {@code crm-dispatch} route template ({@code routes/dispatch/crm-dispatch.camel.yaml}), each with its own Kafka
 * consumer group {@code leadhub-dispatch-<tenant>-<destination>} on {@code leads.enriched.<tenant>}.
 *
 * <p>Routes are added once Camel has started and whenever {@link TenantRegistry} reports a change: routes of new
 * destinations are added, routes of removed or disabled destinations are stopped and removed, by id. Mapping
 * changes need no new route: the dispatch steps read the current tenant configuration for every record.
 */
@Component("tenantRouteRegistrar")
public class TenantRouteRegistrar implements CamelContextConfiguration {

    /** Id of the route template. */
    public static final String TEMPLATE_ID = "crm-dispatch";
    private static final String ROUTE_PREFIX = "crm-dispatch-";
    private static final Logger LOG = LoggerFactory.getLogger(TenantRouteRegistrar.class);

    private final TenantRegistry tenants;
    private final TopicProvisioner topics;
    private final io.leadhub.tenant.TenantSecretResolver secrets;
    private volatile CamelContext camel;
    /** Dispatch route ids this registrar added, by tenant (a tenant id may prefix another's: acme / acme-west). */
    private final Map<String, Set<String>> routesByTenant = new HashMap<>();

    /**
     * @param tenants tenant files
     * @param topics  topic creation
     * @param secrets placeholder resolver, handed the Camel context for vault references
     */
    public TenantRouteRegistrar(TenantRegistry tenants, TopicProvisioner topics,
                                io.leadhub.tenant.TenantSecretResolver secrets) {
        this.tenants = tenants;
        this.topics = topics;
        this.secrets = secrets;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // routes are added once the template has been loaded, in afterApplicationStart
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        secrets.camelStarted(camelContext);
        if (!tenants.errors().isEmpty()) {
            tenants.reload(); // files with vault references load now that Camel's property functions are available
        }
        tenants.tenants().forEach(t -> sync(t.tenant()));
        tenants.addListener(this::onChange);
    }

    /**
     * @param tenant      tenant id
     * @param destination destination id
     * @return the dispatch route id, {@code crm-dispatch-<tenant>-<destination>}
     */
    public static String routeId(String tenant, String destination) {
        return ROUTE_PREFIX + tenant + "-" + destination;
    }

    private void onChange(TenantChange change) {
        if (camel == null) {
            return;
        }
        change.added().forEach(this::sync);
        change.changed().forEach(this::sync);
        change.removed().forEach(this::sync);
    }

    /**
     * Makes the tenant's dispatch routes match its current configuration (none when the tenant is gone).
     *
     * @param tenantId tenant id
     */
    public synchronized void sync(String tenantId) {
        TenantConfig tenant = tenants.find(tenantId).orElse(null);
        Set<String> wanted = tenant == null ? Set.of() : tenant.destinations().stream()
                .filter(DestinationConfig::enabled)
                .map(d -> routeId(tenantId, d.id()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> present = existingRoutes(tenantId);
        for (String routeId : present) {
            if (!wanted.contains(routeId)) {
                remove(tenantId, routeId);
            }
        }
        if (tenant == null) {
            return;
        }
        String topic = topics.enrichedTopic(tenantId);
        if (!wanted.isEmpty()) {
            topics.ensure(List.of(topic));
        }
        for (DestinationConfig d : tenant.destinations()) {
            String routeId = routeId(tenantId, d.id());
            if (d.enabled() && !present.contains(routeId)) {
                if (camel.getRoute(routeId) != null) {
                    // TenantRegistry rejects a tenant file whose dispatch ids collide with another tenant's ("acme" +
                    // "west-x" vs "acme-west" + "x"); this stays as a safety net:
                    // adding would silently replace the other tenant's route
                    String owner = routesByTenant.entrySet().stream().filter(e -> e.getValue().contains(routeId))
                            .map(Map.Entry::getKey).findFirst().orElse("?");
                    LOG.error("Destination '{}' of tenant '{}' gets no dispatch route: route id {} is already used by "
                            + "tenant '{}'; rename one of the two destinations", d.id(), tenantId, routeId, owner);
                    continue;
                }
                TemplatedRouteBuilder.builder(camel, TEMPLATE_ID)
                        .routeId(routeId)
                        .prefixId(tenantId + "-" + d.id() + "-")
                        .parameter("tenant", tenantId)
                        .parameter("destination", d.id())
                        .parameter("destinationType", d.type())
                        .parameter("topic", topic)
                        .parameter("groupId", "leadhub-dispatch-" + tenantId + "-" + d.id())
                        .add();
                routesByTenant.computeIfAbsent(tenantId, k -> new TreeSet<>()).add(routeId);
                LOG.info("Added route {} ({} destination, consumer group leadhub-dispatch-{}-{})",
                        routeId, d.type(), tenantId, d.id());
            }
        }
    }

    private Set<String> existingRoutes(String tenantId) {
        Set<String> ids = routesByTenant.getOrDefault(tenantId, Set.of());
        return ids.stream().filter(id -> camel.getRoute(id) != null).collect(Collectors.toCollection(TreeSet::new));
    }

    private void remove(String tenantId, String routeId) {
        try {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
            routesByTenant.getOrDefault(tenantId, new TreeSet<>()).remove(routeId);
            LOG.info("Removed route {}", routeId);
        } catch (Exception e) {
            throw new IllegalStateException("could not remove route " + routeId + ": " + e.getMessage(), e);
        }
    }
}
