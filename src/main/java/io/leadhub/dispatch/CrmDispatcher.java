package io.leadhub.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.config.LeadHubProperties;
import io.leadhub.contact.ContactIndex;
import io.leadhub.enrich.LeadEnrichment;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.MappingContext;
import io.leadhub.mapping.MappingException;
import io.leadhub.ops.LeadHubMetrics;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of every {@code crm-dispatch-<tenant>-<destination>} route (made from the {@code crm-dispatch} route
 * template): {@link #read} → (idempotent consumer) → {@link #map} → {@link #deliver}.
 *
 * <p>{@link #deliver} runs once per attempt: the shared {@code hub-error-handling} route configuration redelivers
 * it on {@link TransientDeliveryException} with exponential backoff (at least the CRM's {@code Retry-After}, which
 * this step passes to Camel as the {@code CamelRedeliveryDelay} header, capped at
 * {@code leadhub.retry.max-delay-ms}), and sends {@link PermanentDeliveryException} to the dead letter channel at
 * once. Each attempt is written to the {@code deliveries} table.
 */
@Component("crmDispatcher")
public class CrmDispatcher {

    /** Exchange property: destination id, set by the route template. */
    public static final String DESTINATION = "leadhubDestination";
    /** Exchange property: the {@link EnrichedLead} being delivered. */
    public static final String LEAD = "leadhubLead";
    /** Exchange property: attempts made so far by the {@code deliver} step (1 = first attempt). */
    public static final String ATTEMPTS = "leadhubAttempts";
    /** Exchange property: the mapped CRM properties. */
    public static final String PROPERTIES = "leadhubProperties";

    private static final Logger LOG = LoggerFactory.getLogger(CrmDispatcher.class);

    private final ObjectMapper json;
    private final TenantRegistry tenants;
    private final ContactIndex contacts;
    private final DeliveryLog log;
    private final Map<String, CrmConnector> connectors;
    private final LeadHubProperties props;
    private final LeadHubMetrics metrics;
    private final DestinationCircuitBreakers breakers;

    /**
     * @param json       Jackson mapper
     * @param tenants    tenant files
     * @param contacts   contact index (known CRM ids)
     * @param log        deliveries table
     * @param connectors every {@link CrmConnector} bean, looked up by {@link CrmConnector#type()}
     * @param props      LeadHub settings (data dir, retry cap)
     * @param metrics    delivery counters and timer
     * @param breakers   per-destination circuit breakers
     */
    public CrmDispatcher(ObjectMapper json, TenantRegistry tenants, ContactIndex contacts, DeliveryLog log,
                         List<CrmConnector> connectors, LeadHubProperties props, LeadHubMetrics metrics,
                         DestinationCircuitBreakers breakers) {
        this.json = json;
        this.tenants = tenants;
        this.contacts = contacts;
        this.log = log;
        this.connectors = connectors.stream().collect(Collectors.toUnmodifiableMap(CrmConnector::type, Function.identity()));
        this.props = props;
        this.metrics = metrics;
        this.breakers = breakers;
    }

    /**
     * Step {@code read-lead}.
     *
     * @param exchange body = {@link EnrichedLead} JSON; properties {@code leadhubTenant} and {@value #DESTINATION}
     *                 set by the route; afterwards properties {@value #LEAD}, {@code leadhubEventId},
     *                 {@code leadhubIdempotencyKey} ({@code tenant|destination|eventId}) and {@code leadhubEventJson}
     * @throws JsonProcessingException when the record is not an EnrichedLead (dead-lettered)
     */
    public void read(Exchange exchange) throws JsonProcessingException {
        String body = exchange.getIn().getBody(String.class);
        exchange.setProperty(LeadEnrichment.EVENT_JSON, body);
        EnrichedLead lead = json.readValue(body, EnrichedLead.class);
        exchange.setProperty(LEAD, lead);
        exchange.setProperty(LeadEnrichment.EVENT_ID, lead.eventId());
        exchange.setProperty(LeadEnrichment.IDEMPOTENCY_KEY, lead.tenant() + "|"
                + exchange.getProperty(DESTINATION, String.class) + "|" + lead.eventId());
    }

    /**
     * Step {@code map}: evaluates the destination's mapping (CEL) over the lead.
     *
     * @param exchange properties {@value #LEAD}, tenant and destination; afterwards property {@value #PROPERTIES}
     * @throws PermanentDeliveryException when the tenant or destination no longer exists, or an expression fails
     */
    public void map(Exchange exchange) {
        EnrichedLead lead = exchange.getProperty(LEAD, EnrichedLead.class);
        DestinationConfig destination = destination(exchange);
        try {
            Map<String, Object> properties = destination.mapping().apply(new MappingContext(lead.lead(), lead.call(), lead.ai()));
            exchange.setProperty(PROPERTIES, properties);
        } catch (MappingException e) {
            throw new PermanentDeliveryException("mapping failed: " + e.getMessage(), 0, null, e);
        }
    }

    /**
     * Step {@code deliver}: one attempt to write the lead to the CRM.
     *
     * @param exchange properties {@value #LEAD}, {@value #PROPERTIES}, tenant and destination
     * @return what the CRM did
     * @throws TransientDeliveryException retryable failure (recorded as a failed attempt)
     * @throws PermanentDeliveryException permanent failure (recorded as a failed attempt)
     * @throws InterruptedException       when the route stops while the destination's circuit is open
     */
    @SuppressWarnings("unchecked")
    public DeliveryResult deliver(Exchange exchange) throws InterruptedException {
        EnrichedLead lead = exchange.getProperty(LEAD, EnrichedLead.class);
        DestinationConfig destination = destination(exchange);
        Map<String, Object> properties = exchange.getProperty(PROPERTIES, Map.class);
        CrmConnector connector = connectors.get(destination.type());
        if (connector == null) {
            throw new PermanentDeliveryException("no connector for destination type '" + destination.type() + "'", 0, null, null);
        }
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS, attempt);
        String known = contacts.knownRecordId(lead.tenant(), destination.id(),
                destination.duplicateDetection().matchFields(), lead.phone(), lead.email()).orElse(null);
        Path dryRunDir = props.dataDir().resolve("dry-run").resolve(lead.tenant()).resolve(destination.id());
        CircuitBreaker breaker = breakers.forDestination(lead.tenant(), destination.id());
        breakers.awaitPermission(breaker);
        long start = System.nanoTime();
        try {
            DeliveryResult result = connector.deliver(new DeliveryRequest(lead.tenant(), destination, lead.eventId(),
                    properties, lead.phone(), lead.email(), known, dryRunDir, lead));
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            String outcome = result.outcome().name().toLowerCase();
            long took = millis(start);
            log.record(lead.tenant(), destination.id(), lead.eventId(), lead.contactId(), attempt, outcome,
                    null, result.crmRecordId(), null, took);
            metrics.delivery(lead.tenant(), destination.id(), outcome, attempt, Duration.ofMillis(took));
            contacts.rememberRecordId(lead.contactId(), destination.id(), result.crmRecordId());
            LOG.info("Delivered event {} to {}/{}: {} record {} (attempt {})", lead.eventId(), lead.tenant(),
                    destination.id(), result.outcome().name().toLowerCase(), result.crmRecordId(), attempt);
            return result;
        } catch (DeliveryException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            long took = millis(start);
            log.record(lead.tenant(), destination.id(), lead.eventId(), lead.contactId(), attempt, "failed",
                    e.httpStatus() == 0 ? null : e.httpStatus(), null, e.getMessage(), took);
            metrics.delivery(lead.tenant(), destination.id(), "failed", attempt, Duration.ofMillis(took));
            if (e instanceof TransientDeliveryException t && t.retryAfter().isPresent()) {
                long wait = Math.min(t.retryAfter().map(Duration::toMillis).get(), props.retry().maxDelayMs());
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait);
            } else {
                exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
            }
            throw e;
        }
    }

    private DestinationConfig destination(Exchange exchange) {
        String tenantId = exchange.getProperty(LeadEnrichment.TENANT, String.class);
        String destinationId = exchange.getProperty(DESTINATION, String.class);
        TenantConfig tenant = tenants.find(tenantId).orElseThrow(() -> new PermanentDeliveryException(
                "tenant '" + tenantId + "' is no longer configured", 0, null, null));
        return tenant.destination(destinationId).orElseThrow(() -> new PermanentDeliveryException(
                "destination '" + destinationId + "' of tenant '" + tenantId + "' is no longer configured", 0, null, null));
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
