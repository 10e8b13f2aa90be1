package io.leadhub.tenant;

import io.leadhub.mapping.LeadMapping;
import java.net.URI;
import java.util.Map;

/**
 * One CRM destination of a tenant (an entry of the tenant file's {@code destinations[]}). Each enabled
 * destination gets its own {@code crm-dispatch-<tenant>-<id>} route and Kafka consumer group.
 *
 * @param id                 destination id, {@code [a-z0-9][a-z0-9-]*}, unique within the tenant
 * @param type               connector type, e.g. {@code hubspot}
 * @param enabled            false = no dispatch route ({@code enabled}, default true)
 * @param baseUrl            the CRM API base URL ({@code base_url}; per-type default, e.g. https://api.hubapi.com)
 * @param token              API token ({@code token}), resolved from a placeholder; may be empty
 * @param dryRun             {@code dry_run}
 * @param duplicateDetection {@code duplicate_detection}
 * @param mapping            compiled {@code field_mappings}, {@code custom_properties}, {@code conditional}, {@code computed}
 * @param settings           every other key of the destination entry, placeholders resolved (connector-specific)
 */
public record DestinationConfig(
        String id,
        String type,
        boolean enabled,
        URI baseUrl,
        Secret token,
        DryRun dryRun,
        DuplicateDetection duplicateDetection,
        LeadMapping mapping,
        Map<String, Object> settings) {

    public DestinationConfig {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /**
     * @return true when requests must be written to files instead of sent: {@code dry_run: true}, or {@code auto}
     *         while the destination has no credential (its {@code token} and every secret setting, such as
     *         {@code api_token}, {@code client_secret} or {@code refresh_token}, resolved empty)
     */
    public boolean isDryRun() {
        return dryRun == DryRun.ON || (dryRun == DryRun.AUTO && !hasCredential());
    }

    private boolean hasCredential() {
        return (token != null && !token.isEmpty())
                || settings.values().stream().anyMatch(v -> v instanceof Secret s && !s.isEmpty());
    }
}
