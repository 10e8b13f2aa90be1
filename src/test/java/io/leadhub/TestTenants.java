package io.leadhub;

import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Builds small tenant configurations for unit tests, without a tenant file. */
public final class TestTenants {

    private TestTenants() {
    }

    /**
     * @param tenant          tenant id
     * @param callRailKey     CallRail signing key
     * @return a tenant with a CallRail source and one dry-run HubSpot destination
     */
    public static TenantConfig withCallRail(String tenant, String callRailKey) {
        DestinationConfig hubspot = new DestinationConfig("hubspot-main", "hubspot", true,
                URI.create("https://api.hubapi.com"), Secret.empty(), DryRun.ON, DuplicateDetection.DEFAULT,
                LeadMapping.empty(), Map.of());
        return new TenantConfig(tenant, Path.of(tenant + ".yaml"), "US", ZoneId.of("UTC"),
                Map.of("callrail", Map.of("signing_key", Secret.of(callRailKey))), Map.of(), List.of(hubspot),
                List.of(), Instant.EPOCH);
    }
}
