package io.leadhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DestinationCircuitBreakersTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DestinationCircuitBreakers breakers = new DestinationCircuitBreakers(50, 4, 300, meters);

    private static TransientDeliveryException transientFailure() {
        return new TransientDeliveryException("HTTP 503", 503, null, null, null);
    }

    @Test
    void opensAfterTransientFailuresAndPausesUntilATrialAttemptIsAllowed() throws Exception {
        CircuitBreaker breaker = breakers.forDestination("acme", "hubspot-main");
        for (int i = 0; i < 4; i++) {
            breakers.awaitPermission(breaker);
            breaker.onError(1, TimeUnit.MILLISECONDS, transientFailure());
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquirePermission()).isFalse();

        breakers.awaitPermission(breaker); // returns once the open period is over (half-open trial)

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void permanentFailuresDoNotOpenTheCircuit() throws Exception {
        CircuitBreaker breaker = breakers.forDestination("acme", "strict-crm");
        for (int i = 0; i < 8; i++) {
            breakers.awaitPermission(breaker);
            breaker.onError(1, TimeUnit.MILLISECONDS, new PermanentDeliveryException("HTTP 400", 400, "{}", null));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void eachDestinationHasItsOwnBreakerAndStateGauge() {
        CircuitBreaker a = breakers.forDestination("acme", "a");
        CircuitBreaker b = breakers.forDestination("acme", "b");
        assertThat(a).isNotSameAs(b);
        assertThat(breakers.forDestination("acme", "a")).isSameAs(a);
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "acme/a").gauges()).isNotEmpty();
    }
}
