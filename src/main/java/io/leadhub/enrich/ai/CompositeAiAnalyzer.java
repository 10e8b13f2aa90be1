package io.leadhub.enrich.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.leadhub.tenant.TenantChange;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantLlmSettings;
import io.leadhub.tenant.TenantRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The call analyser the pipeline uses (bean {@code aiAnalyzer}, the only {@link Primary} {@link AiAnalyzer}). It
 * chooses per call, from {@link AnalysisInput#tenant()}:
 * <ul>
 *   <li>a tenant without an {@code ai.llm} block in its tenant file (or no tenant): the global settings
 *       {@code leadhub.ai.llm.*}, i.e. the shared {@link LlmAiAnalyzer} when {@code leadhub.ai.llm.enabled} is true,
 *       else the {@link RulesAiAnalyzer} (bean {@code rulesAiAnalyzer}) unchanged;</li>
 *   <li>a tenant with an {@code ai.llm} block: the global settings overridden by the tenant's
 *       ({@link LlmProperties#forTenant}); when they say {@code enabled: false}, the rules analyser; when they equal
 *       the global settings, the shared analyser; otherwise the tenant's own {@link LlmAiAnalyzer}, with its own HTTP
 *       client and its own circuit breaker named {@code leadhub-ai-llm-<tenant>}, so one tenant's failing LLM or
 *       key does not open the circuit for the others.</li>
 * </ul>
 * A tenant's analyser is created on its first call and kept while its effective settings stay the same; when a
 * reload of the tenant files ({@link TenantRegistry#reload()}) changes or removes them, the old analyser is dropped
 * (its client closed, its breaker unregistered) and the next call creates a new one. Every LLM circuit breaker is
 * exported like the destinations' ones ({@code resilience4j_circuitbreaker_state{name="leadhub-ai-llm-acme"}}).
 * Thread-safe. The LLM analysers fall back to the rules by themselves (see {@link LlmAiAnalyzer}).
 */
@Primary
@Component("aiAnalyzer")
public class CompositeAiAnalyzer implements AiAnalyzer, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeAiAnalyzer.class);

    private final LlmProperties global;
    private final RulesAiAnalyzer rules;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Function<String, TenantLlmSettings> tenantSettings;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private final AiAnalyzer delegate;
    private final ConcurrentMap<String, LlmAiAnalyzer> perTenant = new ConcurrentHashMap<>();

    /**
     * An analyser that uses only the global settings (no per-tenant choice).
     *
     * @param properties {@code leadhub.ai.llm.*}
     * @param rules      the rules analyser
     * @param json       JSON mapper for the LLM's answers
     * @param meters     metrics registry for token, cost and fallback counters and the circuit breaker state
     */
    public CompositeAiAnalyzer(LlmProperties properties, RulesAiAnalyzer rules, ObjectMapper json,
                               MeterRegistry meters) {
        this(properties, rules, json, meters, tenant -> null, Clock.systemDefaultZone());
    }

    /**
     * Spring constructor: chooses per tenant from the tenant files, and drops a tenant's analyser when a reload
     * changes or removes its {@code ai.llm} settings.
     *
     * @param properties {@code leadhub.ai.llm.*}
     * @param rules      the rules analyser
     * @param json       JSON mapper for the LLM's answers
     * @param meters     metrics registry for token, cost and fallback counters and the circuit breaker state
     * @param tenants    the tenant files ({@link TenantConfig#llm()})
     */
    @Autowired
    public CompositeAiAnalyzer(LlmProperties properties, RulesAiAnalyzer rules, ObjectMapper json,
                               MeterRegistry meters, TenantRegistry tenants) {
        this(properties, rules, json, meters,
                tenant -> tenants.find(tenant).map(TenantConfig::llm).orElse(null), Clock.systemDefaultZone());
        tenants.addListener(this::tenantsChanged);
    }

    /**
     * @param properties     {@code leadhub.ai.llm.*}
     * @param rules          the rules analyser
     * @param json           JSON mapper for the LLM's answers
     * @param meters         metrics registry
     * @param tenantSettings tenant id → its {@code ai.llm} settings, null when it has none (or is unknown)
     * @param clock          today's date in the prompts
     */
    CompositeAiAnalyzer(LlmProperties properties, RulesAiAnalyzer rules, ObjectMapper json, MeterRegistry meters,
                        Function<String, TenantLlmSettings> tenantSettings, Clock clock) {
        this.global = Objects.requireNonNull(properties, "properties");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.json = Objects.requireNonNull(json, "json");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.tenantSettings = Objects.requireNonNull(tenantSettings, "tenantSettings");
        this.clock = Objects.requireNonNull(clock, "clock");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        if (properties.enabled()) {
            this.delegate = create(LlmAiAnalyzer.CIRCUIT_BREAKER_NAME, properties);
            LOG.info("Call analysis: LLM {} at {} (fallback: rules); tenants may override it in ai.llm",
                    properties.model(), properties.baseUrl());
        } else {
            this.delegate = rules;
            LOG.info("Call analysis: rules (leadhub.ai.llm.enabled is false); tenants may enable an LLM in ai.llm");
        }
    }

    /**
     * The analyser of calls without tenant-specific settings.
     *
     * @return the shared {@link LlmAiAnalyzer} when {@code leadhub.ai.llm.enabled}, else the {@link RulesAiAnalyzer};
     *         never null
     */
    public AiAnalyzer delegate() {
        return delegate;
    }

    /**
     * Analyses one call with the analyser of its tenant (see the class comment).
     *
     * @param input the transcript, call metadata and tenant
     * @return the analysis; never null
     * @throws NullPointerException if {@code input} is null
     */
    @Override
    public AiAnalysis analyze(AnalysisInput input) {
        return analyzerFor(Objects.requireNonNull(input, "input").tenant()).analyze(input);
    }

    /**
     * The analyser a tenant's calls go to, created on first use.
     *
     * @param tenant tenant id, or null
     * @return {@link #delegate()}, the rules analyser, or the tenant's own {@link LlmAiAnalyzer}; never null
     */
    AiAnalyzer analyzerFor(String tenant) {
        TenantLlmSettings own = tenant == null ? null : tenantSettings.apply(tenant);
        if (own == null) {
            return delegate;
        }
        LlmProperties effective = effective(tenant, own);
        if (effective == null || !effective.enabled()) {
            return rules;
        }
        if (effective.equals(global)) {
            return delegate;
        }
        LlmAiAnalyzer current = perTenant.get(tenant);
        if (current != null && current.properties().equals(effective)) {
            return current;
        }
        List<LlmAiAnalyzer> replaced = new ArrayList<>(1);
        LlmAiAnalyzer analyzer = perTenant.compute(tenant, (t, old) -> {
            if (old != null && old.properties().equals(effective)) {
                return old;
            }
            if (old != null) {
                replaced.add(old);
            }
            LlmAiAnalyzer created = create(breakerName(t), effective);
            LOG.info("Call analysis of tenant {}: LLM {} at {}, timeout {} ms (circuit breaker {}, fallback: rules)",
                    t, effective.model(), effective.baseUrl(), effective.timeoutMs(), breakerName(t));
            return created;
        });
        replaced.forEach(LlmAiAnalyzer::close);
        return analyzer;
    }

    /** @return the tenant's merged settings, or null (logged) when they are invalid */
    private LlmProperties effective(String tenant, TenantLlmSettings own) {
        try {
            return global.forTenant(own);
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid ai.llm settings of tenant {} ({}); its calls are analysed by the rules", tenant,
                    e.getMessage());
            return null;
        }
    }

    /** @return the settings of the tenant's own analyser, or null when it should have none */
    private LlmProperties ownAnalyzerSettings(String tenant) {
        TenantLlmSettings own = tenantSettings.apply(tenant);
        LlmProperties effective = own == null ? null : effective(tenant, own);
        return effective == null || !effective.enabled() || effective.equals(global) ? null : effective;
    }

    private static String breakerName(String tenant) {
        return LlmAiAnalyzer.CIRCUIT_BREAKER_NAME + "-" + tenant;
    }

    private LlmAiAnalyzer create(String breakerName, LlmProperties settings) {
        breakers.remove(breakerName); // the breaker of a replaced analyser, which keeps its own reference
        return new LlmAiAnalyzer(settings, rules, json, meters, clock,
                breakers.circuitBreaker(breakerName, LlmAiAnalyzer.circuitBreakerConfig(settings)));
    }

    /**
     * Drops the analysers of changed or removed tenants whose settings are no longer current.
     *
     * @param change what a tenant reload changed
     */
    void tenantsChanged(TenantChange change) {
        Set<String> touched = new HashSet<>(change.changed());
        touched.addAll(change.removed());
        List<LlmAiAnalyzer> dropped = new ArrayList<>();
        for (String tenant : touched) {
            perTenant.computeIfPresent(tenant, (t, old) -> {
                if (old.properties().equals(ownAnalyzerSettings(t))) {
                    return old;
                }
                breakers.remove(breakerName(t));
                dropped.add(old);
                LOG.info("Call analysis of tenant {}: ai.llm settings changed or tenant removed, analyser {} dropped",
                        t, breakerName(t));
                return null;
            });
        }
        dropped.forEach(LlmAiAnalyzer::close);
    }

    /**
     * The tenants that have their own LLM analyser now (for tests and monitoring).
     *
     * @return tenant ids; an unmodifiable snapshot
     */
    Set<String> tenantsWithOwnAnalyzer() {
        return Set.copyOf(perTenant.keySet());
    }

    /** Closes the HTTP clients of all LLM analysers (Spring calls it at shutdown). */
    @Override
    public void destroy() {
        perTenant.values().forEach(LlmAiAnalyzer::close);
        perTenant.clear();
        if (delegate instanceof LlmAiAnalyzer llm) {
            llm.close();
        }
    }
}
