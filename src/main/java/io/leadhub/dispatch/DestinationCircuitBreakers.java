package io.leadhub.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One Resilience4j circuit breaker per tenant destination ({@code <tenant>/<destination>}). Transient failures
 * (5xx, 408, 429, I/O) count against it; permanent ones (4xx) do not, since the CRM answered. When a destination's
 * failure rate reaches {@code leadhub.circuit-breaker.failure-rate-percent} over the last
 * {@code window-size} attempts, the breaker opens: its dispatch route's consumer waits in {@link #awaitPermission}
 * (the records stay in Kafka, other destinations are unaffected) until, after {@code open-ms}, one trial attempt is
 * let through (half-open). The state is exported as {@code resilience4j_circuitbreaker_state{name, state}}.
 */
@Component("destinationCircuitBreakers")
public class DestinationCircuitBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationCircuitBreakers.class);

    private final CircuitBreakerRegistry registry;

    /**
     * @param failureRatePercent failure rate (0-100) that opens a breaker
     * @param windowSize         attempts in the sliding window (also the minimum before it can open)
     * @param openMs             how long a breaker stays open before a trial attempt, in ms
     * @param meters             Micrometer registry for the state gauges
     */
    public DestinationCircuitBreakers(@Value("${leadhub.circuit-breaker.failure-rate-percent:50}") float failureRatePercent,
                                      @Value("${leadhub.circuit-breaker.window-size:10}") int windowSize,
                                      @Value("${leadhub.circuit-breaker.open-ms:30000}") long openMs,
                                      MeterRegistry meters) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRatePercent)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(windowSize)
                .minimumNumberOfCalls(windowSize)
                .waitDurationInOpenState(Duration.ofMillis(openMs))
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordExceptions(TransientDeliveryException.class)
                .ignoreExceptions(PermanentDeliveryException.class)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /**
     * @param tenant      tenant id
     * @param destination destination id
     * @return the destination's breaker (created closed on first use)
     */
    public CircuitBreaker forDestination(String tenant, String destination) {
        return registry.circuitBreaker(tenant + "/" + destination);
    }

    /**
     * Blocks the calling dispatch consumer while the breaker is open, then takes a permission for one attempt; the
     * caller must report the attempt with {@code onSuccess}/{@code onError}.
     *
     * @param breaker the destination's breaker
     * @throws InterruptedException when the route is stopped while waiting (the record is not committed)
     */
    public void awaitPermission(CircuitBreaker breaker) throws InterruptedException {
        boolean logged = false;
        while (!breaker.tryAcquirePermission()) {
            if (!logged) {
                LOG.warn("Circuit of destination {} is {}: dispatch pauses, records wait in Kafka",
                        breaker.getName(), breaker.getState());
                logged = true;
            }
            Thread.sleep(200);
        }
    }
}
