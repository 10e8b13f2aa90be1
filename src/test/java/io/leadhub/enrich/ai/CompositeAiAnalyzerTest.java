package io.leadhub.enrich.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantFileLoader;
import io.leadhub.tenant.TenantLlmSettings;
import io.leadhub.tenant.TenantRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CompositeAiAnalyzer}'s choice per tenant: global settings, a tenant's own LLM, or the rules. */
class CompositeAiAnalyzerTest {

    private static final String TRANSCRIPT = "Hi, this is Jane, call me back at 555-201-3344. We want a quote for a"
            + " kitchen remodel next month, budget around $60,000.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LlmProperties.CircuitBreaker BREAKER = new LlmProperties.CircuitBreaker(50, 2, 2, 600000);

    private static WireMockServer llm;
    private SimpleMeterRegistry meters;
    private final Map<String, TenantLlmSettings> tenants = new HashMap<>();
    private CompositeAiAnalyzer composite;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        llm = new WireMockServer(options().dynamicPort());
        llm.start();
    }

    @AfterAll
    static void stop() {
        llm.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        llm.resetAll();
        meters = new SimpleMeterRegistry();
        for (String path : List.of("/v1", "/acme/v1", "/globex/v1")) {
            llm.stubFor(post(urlEqualTo(path + "/chat/completions")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(completion())));
        }
    }

    @AfterEach
    void close() {
        if (composite != null) {
            composite.destroy();
        }
    }

    private LlmProperties global(boolean enabled) {
        return new LlmProperties(enabled, llm.baseUrl() + "/v1", "gpt-global", "sk-global", 2000, "json_schema", 0.5,
                1.5, 20000, BREAKER);
    }

    private CompositeAiAnalyzer composite(boolean globalEnabled) {
        composite = new CompositeAiAnalyzer(global(globalEnabled), new RulesAiAnalyzer(), JSON, meters, tenants::get,
                Clock.systemUTC());
        return composite;
    }

    private TenantLlmSettings own(String tenant, Boolean enabled, String model, String key) {
        return new TenantLlmSettings(enabled, llm.baseUrl() + "/" + tenant + "/v1", model,
                key == null ? null : Secret.of(key), null, null, null, null);
    }

    private static AnalysisInput call(String tenant) {
        return AnalysisInput.ofTranscript(TRANSCRIPT).forTenant(tenant);
    }

    private static String completion() throws Exception {
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("intent", "quote_request");
        answer.put("project_type", "kitchen");
        answer.put("timeline", "1-3_months");
        answer.put("budget_indicator", "high");
        answer.put("sentiment", "positive");
        answer.put("lead_score", 91);
        answer.put("urgency", "high");
        answer.put("summary", "Jane wants a kitchen quote.");
        answer.put("key_topics", List.of("kitchen remodel"));
        answer.put("concerns", List.of());
        answer.put("interests", List.of());
        answer.put("suggested_action", "Call back today");
        answer.put("suggested_follow_up", null);
        answer.put("confidence", 0.9);
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1772445600L)
                .put("model", "m");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop").putNull("logprobs");
        choice.putObject("message").put("role", "assistant").put("content", JSON.writeValueAsString(answer))
                .putNull("refusal");
        root.putObject("usage").put("prompt_tokens", 1000).put("completion_tokens", 100).put("total_tokens", 1100);
        return JSON.writeValueAsString(root);
    }

    @Test
    void tenantWithoutAiLlmFollowsTheGlobalSwitch() {
        CompositeAiAnalyzer off = composite(false);

        assertThat(off.analyzerFor("acme")).isSameAs(off.delegate()).isInstanceOf(RulesAiAnalyzer.class);
        assertThat(off.analyze(call("acme")).analyzer()).isEqualTo("rules");
        llm.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        off.destroy();

        CompositeAiAnalyzer on = composite(true);
        assertThat(on.analyze(call("acme")).analyzer()).isEqualTo("llm");
        assertThat(on.analyzerFor("acme")).isSameAs(on.delegate());
        assertThat(on.tenantsWithOwnAnalyzer()).isEmpty();
        llm.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-global")));
    }

    @Test
    void tenantEnablesItsOwnLlmWhileTheGlobalOneIsOff() {
        tenants.put("acme", own("acme", true, "gpt-acme", "sk-acme"));
        CompositeAiAnalyzer analyzer = composite(false);

        AiAnalysis analysis = analyzer.analyze(call("acme"));

        assertThat(analysis.analyzer()).isEqualTo("llm");
        assertThat(analysis.insights().summary()).isEqualTo("Jane wants a kitchen quote.");
        assertThat(analysis.insights().cost()).isEqualTo(0.5 + 0.15); // the global prices
        llm.verify(1, postRequestedFor(urlEqualTo("/acme/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-acme"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-acme"))));
        llm.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        LlmAiAnalyzer own = (LlmAiAnalyzer) analyzer.analyzerFor("acme");
        assertThat(own.circuitBreaker().getName()).isEqualTo("leadhub-ai-llm-acme");
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "leadhub-ai-llm-acme").gauges())
                .isNotEmpty();
        assertThat(meters.get("leadhub.ai.tokens").tag("kind", "prompt").tag("tenant", "acme").counter().count())
                .isEqualTo(1000.0);
        // other tenants keep the global choice
        assertThat(analyzer.analyze(call("globex")).analyzer()).isEqualTo("rules");
        assertThat(analyzer.analyze(AnalysisInput.ofTranscript(TRANSCRIPT)).analyzer()).isEqualTo("rules");
    }

    @Test
    void tenantOptsOutWhileTheGlobalLlmIsOn() {
        tenants.put("acme", new TenantLlmSettings(false, null, null, null, null, null, null, null));
        CompositeAiAnalyzer analyzer = composite(true);

        AiAnalysis analysis = analyzer.analyze(call("acme"));

        assertThat(analysis).isEqualTo(new RulesAiAnalyzer().analyze(call("acme")));
        assertThat(analysis.insights()).isNull();
        llm.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(analyzer.analyze(call("globex")).analyzer()).isEqualTo("llm");
    }

    @Test
    void unsetKeysFallBackToTheGlobalSettings() {
        tenants.put("acme", new TenantLlmSettings(null, null, "gpt-big", null, 1500L, null, null, null));
        CompositeAiAnalyzer analyzer = composite(true);

        assertThat(analyzer.analyze(call("acme")).analyzer()).isEqualTo("llm");

        llm.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-global"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-big"))));
        LlmProperties used = ((LlmAiAnalyzer) analyzer.analyzerFor("acme")).properties();
        assertThat(used.timeoutMs()).isEqualTo(1500L);
        assertThat(used.baseUrl()).isEqualTo(llm.baseUrl() + "/v1");
        assertThat(used.promptPricePer1k()).isEqualTo(0.5);
        assertThat(used.circuitBreaker()).isEqualTo(BREAKER);
    }

    @Test
    void theGlobalKeyIsNotSentToAnotherBaseUrl() {
        tenants.put("acme", own("acme", null, null, null));
        CompositeAiAnalyzer analyzer = composite(true);

        assertThat(analyzer.analyze(call("acme")).analyzer()).isEqualTo("llm");

        llm.verify(1, postRequestedFor(urlEqualTo("/acme/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer none"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-global"))));
    }

    @Test
    void settingsEqualToTheGlobalOnesShareTheGlobalAnalyzer() {
        tenants.put("acme", new TenantLlmSettings(true, null, "gpt-global", null, null, null, null, null));
        CompositeAiAnalyzer analyzer = composite(true);

        assertThat(analyzer.analyzerFor("acme")).isSameAs(analyzer.delegate());
        assertThat(analyzer.tenantsWithOwnAnalyzer()).isEmpty();
    }

    @Test
    void eachTenantHasItsOwnCircuitBreaker() {
        llm.stubFor(post(urlEqualTo("/acme/v1/chat/completions")).willReturn(aResponse().withStatus(500)));
        tenants.put("acme", own("acme", true, "m", "sk-acme"));
        tenants.put("globex", own("globex", true, "m", "sk-globex"));
        CompositeAiAnalyzer analyzer = composite(false);

        analyzer.analyze(call("acme"));
        analyzer.analyze(call("acme"));
        AiAnalysis third = analyzer.analyze(call("acme"));
        AiAnalysis globex = analyzer.analyze(call("globex"));

        assertThat(third.insights().fallbackReason()).isEqualTo("circuit_open");
        assertThat(globex.analyzer()).isEqualTo("llm");
        llm.verify(2, postRequestedFor(urlEqualTo("/acme/v1/chat/completions")));
        assertThat(meters.get("leadhub.ai.fallbacks").tag("tenant", "acme").tag("reason", "circuit_open").counter()
                .count()).isEqualTo(1.0);
        assertThat(analyzer.tenantsWithOwnAnalyzer()).containsExactlyInAnyOrder("acme", "globex");
    }

    @Test
    void sameSettingsReuseTheAnalyzerAndChangedSettingsReplaceIt() {
        tenants.put("acme", own("acme", true, "m1", "sk-acme"));
        CompositeAiAnalyzer analyzer = composite(false);
        AiAnalyzer first = analyzer.analyzerFor("acme");

        assertThat(analyzer.analyzerFor("acme")).isSameAs(first);
        tenants.put("acme", own("acme", true, "m2", "sk-acme"));
        AiAnalyzer second = analyzer.analyzerFor("acme");

        assertThat(second).isNotSameAs(first);
        assertThat(((LlmAiAnalyzer) second).properties().model()).isEqualTo("m2");
        assertThat(((LlmAiAnalyzer) second).circuitBreaker().getName()).isEqualTo("leadhub-ai-llm-acme");
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "leadhub-ai-llm-acme")
                .tag("state", "closed").gauges()).hasSize(1);
        analyzer.analyze(call("acme"));
        llm.verify(1, postRequestedFor(urlEqualTo("/acme/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("m2"))));
    }

    @Test
    void hotReloadDropsTheAnalysersOfChangedAndRemovedTenants() throws IOException {
        Map<String, String> env = Map.of("ACME_LLM_KEY", "sk-acme");
        Path acme = dir.resolve("acme.yaml");
        Files.writeString(acme, tenantFile("m1"));
        Files.writeString(dir.resolve("globex.yaml"), "tenant: globex\ndestinations: []\n");
        LlmProperties global = global(false);
        TenantRegistry registry = new TenantRegistry(dir,
                new TenantFileLoader(env::get, "US", Clock.systemUTC(), null, global));
        composite = new CompositeAiAnalyzer(global, new RulesAiAnalyzer(), JSON, meters, registry);
        LlmAiAnalyzer first = (LlmAiAnalyzer) composite.analyzerFor("acme");
        assertThat(composite.analyzerFor("globex")).isInstanceOf(RulesAiAnalyzer.class);

        Files.writeString(dir.resolve("globex.yaml"), "tenant: globex\ndefault_region: CA\ndestinations: []\n");
        registry.reload();
        assertThat(composite.analyzerFor("acme")).as("unchanged ai.llm keeps its analyser").isSameAs(first);

        Files.writeString(acme, tenantFile("m2"));
        registry.reload();
        assertThat(composite.tenantsWithOwnAnalyzer()).isEmpty();
        LlmAiAnalyzer second = (LlmAiAnalyzer) composite.analyzerFor("acme");
        assertThat(second.properties().model()).isEqualTo("m2");

        Files.delete(acme);
        registry.reload();
        assertThat(composite.tenantsWithOwnAnalyzer()).isEmpty();
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "leadhub-ai-llm-acme").gauges())
                .isEmpty();
        assertThat(composite.analyzerFor("acme")).isInstanceOf(RulesAiAnalyzer.class);
    }

    private String tenantFile(String model) {
        return "tenant: acme\nai:\n  llm:\n    enabled: true\n    base_url: " + llm.baseUrl() + "/acme/v1\n"
                + "    model: " + model + "\n    api_key: ${ACME_LLM_KEY}\ndestinations: []\n";
    }

    @Test
    void forTenantOverridesOnlyTheKeysTheTenantSets() {
        LlmProperties global = global(true);

        assertThat(global.forTenant(null)).isSameAs(global);
        LlmProperties all = global.forTenant(new TenantLlmSettings(false, "https://other.example/v1", "m",
                Secret.of("sk-t"), 100L, "json_object", 1.0, 2.0));
        assertThat(all).isEqualTo(new LlmProperties(false, "https://other.example/v1", "m", "sk-t", 100,
                "json_object", 1.0, 2.0, 20000, BREAKER));
        assertThat(global.forTenant(new TenantLlmSettings(null, llm.baseUrl() + "/v1/", null, null, null, null,
                null, null)).apiKey()).as("same URL but a trailing slash: the global key").isEqualTo("sk-global");
        assertThat(global.forTenant(new TenantLlmSettings(null, "https://other.example/v1", null, null, null, null,
                null, null)).apiKey()).as("another URL: no key").isEmpty();
        assertThat(global.forTenant(new TenantLlmSettings(null, null, null, Secret.empty(), null, null, null, null))
                .apiKey()).as("an optional key that resolved empty: no key").isEmpty();
        assertThat(all.toString()).doesNotContain("sk-t");
    }
}
