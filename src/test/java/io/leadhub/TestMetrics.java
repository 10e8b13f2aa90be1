package io.leadhub;

import static org.mockito.Mockito.mock;

import io.leadhub.ops.LeadHubMetrics;
import io.leadhub.tenant.TenantRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Metrics for unit tests: a real {@link LeadHubMetrics} over an in-memory registry and no known tenants. */
public final class TestMetrics {

    private TestMetrics() {
    }

    /** @return metrics that record into a throw-away registry */
    public static LeadHubMetrics create() {
        return new LeadHubMetrics(new SimpleMeterRegistry(), mock(TenantRegistry.class));
    }
}
