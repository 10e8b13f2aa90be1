package io.leadhub.tenant;

import io.leadhub.mapping.WorkflowTrigger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant, as loaded and validated from {@code mappings/<tenant>.yaml}. Immutable: a reload builds a new
 * instance.
 *
 * @param tenant           tenant id ({@code tenant}), equal to the file name without {@code .yaml}
 * @param file             the file it was loaded from
 * @param defaultRegion    ISO 3166-1 alpha-2 region for parsing national phone numbers ({@code default_region})
 * @param timezone         zone of {@code today()} in expressions ({@code timezone}, default UTC)
 * @param sources          per source ({@code callrail}, ...), its settings with secrets as {@link Secret}
 *                         and other values as String/Number/Boolean/List/Map
 * @param lookups          the tenant's lookup maps ({@code lookups}), each a CEL variable of the same name
 * @param destinations     destinations in file order
 * @param workflowTriggers compiled {@code workflow_triggers}
 * @param loadedAt         when the file was loaded
 * @param apiKeys          the keys that authenticate the tenant's API calls ({@code api_keys}, header
 *                         {@code X-API-Key}); empty when the tenant has no API access
 * @param workflow         the {@code workflow} settings of the workflow-trigger actions ({@code notification},
 *                         {@code sms}) as plain Java maps; empty when absent
 * @param llm              the tenant's own LLM call-analysis settings ({@code ai.llm}); null when the file has no
 *                         {@code ai.llm} block (the global {@code leadhub.ai.llm.*} settings apply)
 */
public record TenantConfig(
        String tenant,
        Path file,
        String defaultRegion,
        ZoneId timezone,
        Map<String, Map<String, Object>> sources,
        Map<String, Map<String, Object>> lookups,
        List<DestinationConfig> destinations,
        List<WorkflowTrigger> workflowTriggers,
        Instant loadedAt,
        List<Secret> apiKeys,
        Map<String, Object> workflow,
        TenantLlmSettings llm) {

    public TenantConfig {
        sources = Map.copyOf(sources);
        lookups = Map.copyOf(lookups);
        destinations = List.copyOf(destinations);
        workflowTriggers = List.copyOf(workflowTriggers);
        apiKeys = apiKeys == null ? List.of() : apiKeys.stream().filter(k -> k != null && !k.isEmpty()).toList();
        workflow = workflow == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(workflow));
    }

    /**
     * A tenant without {@code ai.llm} settings.
     *
     * @param tenant           tenant id
     * @param file             source file
     * @param defaultRegion    phone region
     * @param timezone         expression time zone
     * @param sources          source settings
     * @param lookups          lookup maps
     * @param destinations     destinations
     * @param workflowTriggers workflow triggers
     * @param loadedAt         load time
     * @param apiKeys          API keys
     * @param workflow         workflow action settings
     */
    public TenantConfig(String tenant, Path file, String defaultRegion, ZoneId timezone,
                        Map<String, Map<String, Object>> sources, Map<String, Map<String, Object>> lookups,
                        List<DestinationConfig> destinations, List<WorkflowTrigger> workflowTriggers,
                        Instant loadedAt, List<Secret> apiKeys, Map<String, Object> workflow) {
        this(tenant, file, defaultRegion, timezone, sources, lookups, destinations, workflowTriggers, loadedAt,
                apiKeys, workflow, null);
    }

    /**
     * A tenant without {@code workflow} settings.
     *
     * @param tenant           tenant id
     * @param file             source file
     * @param defaultRegion    phone region
     * @param timezone         expression time zone
     * @param sources          source settings
     * @param lookups          lookup maps
     * @param destinations     destinations
     * @param workflowTriggers workflow triggers
     * @param loadedAt         load time
     * @param apiKeys          API keys
     */
    public TenantConfig(String tenant, Path file, String defaultRegion, ZoneId timezone,
                        Map<String, Map<String, Object>> sources, Map<String, Map<String, Object>> lookups,
                        List<DestinationConfig> destinations, List<WorkflowTrigger> workflowTriggers,
                        Instant loadedAt, List<Secret> apiKeys) {
        this(tenant, file, defaultRegion, timezone, sources, lookups, destinations, workflowTriggers, loadedAt,
                apiKeys, Map.of());
    }

    /**
     * A tenant without API keys (the canonical constructor with {@code apiKeys} empty).
     *
     * @param tenant           tenant id
     * @param file             source file
     * @param defaultRegion    phone region
     * @param timezone         expression time zone
     * @param sources          source settings
     * @param lookups          lookup maps
     * @param destinations     destinations
     * @param workflowTriggers workflow triggers
     * @param loadedAt         load time
     */
    public TenantConfig(String tenant, Path file, String defaultRegion, ZoneId timezone,
                        Map<String, Map<String, Object>> sources, Map<String, Map<String, Object>> lookups,
                        List<DestinationConfig> destinations, List<WorkflowTrigger> workflowTriggers,
                        Instant loadedAt) {
        this(tenant, file, defaultRegion, timezone, sources, lookups, destinations, workflowTriggers, loadedAt,
                List.of());
    }

    /**
     * Whether a presented API key is one of {@link #apiKeys()}, compared in constant time
     * ({@link java.security.MessageDigest#isEqual}) so the comparison time does not reveal how much of a key matched.
     *
     * @param presented the {@code X-API-Key} header value, or null
     * @return true if it equals one of the tenant's keys; false for null, blank or when the tenant has no keys
     */
    public boolean acceptsApiKey(String presented) {
        if (presented == null || presented.isBlank()) {
            return false;
        }
        byte[] given = presented.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        boolean match = false;
        for (Secret key : apiKeys) {
            match |= java.security.MessageDigest.isEqual(given,
                    key.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return match;
    }

    /**
     * @param id destination id
     * @return the destination with that id
     */
    public Optional<DestinationConfig> destination(String id) {
        return destinations.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /**
     * @param source source name, e.g. {@code callrail}
     * @return that source's settings, if the tenant configured the source
     */
    public Optional<Map<String, Object>> source(String source) {
        return Optional.ofNullable(sources.get(source));
    }

    /**
     * @param source source name, e.g. {@code callrail}
     * @param key    secret key, e.g. {@code signing_key}
     * @return the secret, or {@link Secret#empty()} when the source or key is not configured
     */
    public Secret sourceSecret(String source, String key) {
        Object value = source(source).map(s -> s.get(key)).orElse(null);
        return value instanceof Secret s ? s : Secret.empty();
    }
}
