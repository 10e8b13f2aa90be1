package io.leadhub.ops;

import io.leadhub.tenant.TenantRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * LeadHub's business metrics (Micrometer; Prometheus names in brackets), exported at {@code /actuator/prometheus}
 * next to Camel's per-route metrics ({@code camel_exchanges_*}) and the JVM's.
 *
 * <ul>
 *   <li>{@code leadhub.webhooks.received} [{@code leadhub_webhooks_received_total}] {source, tenant}: journaled webhooks</li>
 *   <li>{@code leadhub.webhooks.rejected} [{@code leadhub_webhooks_rejected_total}] {source, tenant, reason}: refused
 *       webhooks; reason {@code unknown_tenant}, {@code bad_signature}, {@code invalid_payload}, {@code too_large},
 *       {@code unsupported_media_type}, {@code not_journaled}; tenant is {@code unknown} unless it exists</li>
 *   <li>{@code leadhub.webhooks.spooled} {source}: webhooks journaled in the database spool because Kafka was down</li>
 *   <li>{@code leadhub.events.enriched} {tenant, source}: events published to the tenant's enriched topic</li>
 *   <li>{@code leadhub.deliveries} {tenant, destination, outcome}: delivery attempts by outcome (created, updated,
 *       skipped, dry_run, failed)</li>
 *   <li>{@code leadhub.delivery.duration} [{@code leadhub_delivery_duration_seconds}] {tenant, destination}: time of
 *       each attempt</li>
 *   <li>{@code leadhub.delivery.retries} {tenant, destination}: redelivery attempts (attempt 2 and later)</li>
 *   <li>{@code leadhub.dead.letters} {tenant, destination, route}: exchanges given up on</li>
 *   <li>{@code leadhub.tenants} and {@code leadhub.tenant.file.errors}: tenants served and tenant files rejected</li>
 *   <li>{@code leadhub.consumer.lag} {group, topic}: records not yet committed (see {@link ConsumerLagMonitor})</li>
 * </ul>
 * Label values are tenant and destination ids from tenant files, never request data, so cardinality is bounded.
 */
@Component("leadHubMetrics")
public class LeadHubMetrics {

    /** Source names used as label values; anything else is recorded as {@code other}. */
    private static final java.util.Set<String> SOURCES =
            java.util.Set.of("callrail", "twilio", "perfex", "leadpro", "elevenlabs", "form");

    private final MeterRegistry registry;
    private final TenantRegistry tenants;

    /**
     * @param registry Micrometer registry
     * @param tenants  tenant files (gauges, and the known-tenant check that bounds label cardinality)
     */
    public LeadHubMetrics(MeterRegistry registry, TenantRegistry tenants) {
        this.registry = registry;
        this.tenants = tenants;
        Gauge.builder("leadhub.tenants", tenants, t -> t.tenants().size())
                .description("Tenants served").register(registry);
        Gauge.builder("leadhub.tenant.file.errors", tenants, t -> t.errors().size())
                .description("Tenant files rejected at the last (re)load").register(registry);
        SOURCES.forEach(source -> Counter.builder("leadhub.webhooks.spooled")
                .description("Webhooks journaled in the database spool").tag("source", source).register(registry));
        initDestinations();
        tenants.addListener(change -> initDestinations());
    }

    /**
     * Registers every tenant destination's counters at zero, so dashboards and {@code increase()} alerts see a
     * series before the first delivery, retry or dead letter.
     */
    private void initDestinations() {
        tenants.tenants().forEach(t -> t.destinations().forEach(d -> {
            for (String outcome : new String[] {"created", "updated", "skipped", "dry_run", "failed"}) {
                Counter.builder("leadhub.deliveries").description("Delivery attempts by outcome")
                        .tag("tenant", t.tenant()).tag("destination", d.id()).tag("outcome", outcome).register(registry);
            }
            Counter.builder("leadhub.delivery.retries").description("Redelivery attempts")
                    .tag("tenant", t.tenant()).tag("destination", d.id()).register(registry);
            Counter.builder("leadhub.dead.letters").description("Exchanges sent to the dead letter channel")
                    .tag("tenant", t.tenant()).tag("destination", d.id())
                    .tag("route", "crm-dispatch-" + t.tenant() + "-" + d.id()).register(registry);
        }));
    }

    /**
     * @param source source name
     * @param tenant tenant id
     */
    public void webhookReceived(String source, String tenant) {
        Counter.builder("leadhub.webhooks.received").description("Webhooks journaled")
                .tag("source", source(source)).tag("tenant", knownTenant(tenant)).register(registry).increment();
    }

    /**
     * @param source source name, or null
     * @param tenant tenant id from the path (recorded only when the tenant exists), or null
     * @param reason short reason
     */
    public void webhookRejected(String source, String tenant, String reason) {
        Counter.builder("leadhub.webhooks.rejected").description("Webhooks refused")
                .tag("source", source(source)).tag("tenant", knownTenant(tenant)).tag("reason", reason)
                .register(registry).increment();
    }

    /** @param source source name */
    public void webhookSpooled(String source) {
        Counter.builder("leadhub.webhooks.spooled").description("Webhooks journaled in the database spool")
                .tag("source", source(source)).register(registry).increment();
    }

    /**
     * @param tenant tenant id
     * @param source source name
     */
    public void eventEnriched(String tenant, String source) {
        Counter.builder("leadhub.events.enriched").description("Events enriched and published")
                .tag("tenant", knownTenant(tenant)).tag("source", source(source)).register(registry).increment();
    }

    /**
     * @param tenant      tenant id
     * @param destination destination id
     * @param outcome     created, updated, skipped, dry_run or failed
     * @param attempt     1 for the first attempt
     * @param duration    time the attempt took
     */
    public void delivery(String tenant, String destination, String outcome, int attempt, Duration duration) {
        String t = knownTenant(tenant);
        Counter.builder("leadhub.deliveries").description("Delivery attempts by outcome")
                .tag("tenant", t).tag("destination", label(destination)).tag("outcome", outcome)
                .register(registry).increment();
        Timer.builder("leadhub.delivery.duration").description("Time of one delivery attempt")
                .tag("tenant", t).tag("destination", label(destination)).register(registry).record(duration);
        if (attempt > 1) {
            Counter.builder("leadhub.delivery.retries").description("Redelivery attempts")
                    .tag("tenant", t).tag("destination", label(destination)).register(registry).increment();
        }
    }

    /**
     * @param tenant      tenant id, or null
     * @param destination destination id, or null (enrichment failures)
     * @param routeId     the route that gave up
     */
    public void deadLetter(String tenant, String destination, String routeId) {
        Counter.builder("leadhub.dead.letters").description("Exchanges sent to the dead letter channel")
                .tag("tenant", knownTenant(tenant)).tag("destination", label(destination)).tag("route", label(routeId))
                .register(registry).increment();
    }

    private String knownTenant(String tenant) {
        return tenant != null && tenants.find(tenant).isPresent() ? tenant : "unknown";
    }

    private static String source(String source) {
        return source != null && SOURCES.contains(source) ? source : "other";
    }

    private static String label(String value) {
        return value == null || value.isBlank() ? "none" : value;
    }
}
