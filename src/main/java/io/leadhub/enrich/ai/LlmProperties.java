package io.leadhub.enrich.ai;

import io.leadhub.tenant.TenantLlmSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the LLM call analyser ({@link LlmAiAnalyzer}), keys {@code leadhub.ai.llm.*}. Every key can be set as an
 * environment variable ({@code leadhub.ai.llm.api-key} → {@code LEADHUB_AI_LLM_API_KEY}).
 *
 * @param enabled                 use the LLM ({@code true}) or only the rules analyser ({@code false}, the default)
 * @param baseUrl                 base URL of an OpenAI-compatible API up to and including the version segment, to which
 *                                {@code /chat/completions} is appended, e.g. {@code https://api.openai.com/v1},
 *                                {@code http://localhost:11434/v1} (Ollama) or {@code http://vllm:8000/v1}; for Azure
 *                                OpenAI {@code https://<resource>.openai.azure.com/openai/v1}
 * @param model                   model (or Azure deployment) name, e.g. {@code gpt-4o-mini}
 * @param apiKey                  the API key sent as bearer token; blank for servers without authentication (Ollama).
 *                                Never logged ({@link #toString()} hides it)
 * @param timeoutMs               the longest a call may take in milliseconds, including reading the answer; default 8000
 * @param responseFormat          {@code json_schema} (structured outputs, the default) or {@code json_object} (JSON mode,
 *                                for servers without structured outputs); the schema is always in the prompt as well
 * @param promptPricePer1k        price of 1,000 prompt tokens, in any currency (e.g. USD); default 0
 * @param completionPricePer1k    price of 1,000 completion tokens, same currency; default 0
 * @param maxTranscriptChars      transcripts are cut to this many characters before they are sent; default 20000
 * @param circuitBreaker          when to stop calling a failing LLM for a while
 */
@ConfigurationProperties(prefix = "leadhub.ai.llm")
public record LlmProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://api.openai.com/v1") String baseUrl,
        @DefaultValue("gpt-4o-mini") String model,
        @DefaultValue("") String apiKey,
        @DefaultValue("8000") long timeoutMs,
        @DefaultValue("json_schema") String responseFormat,
        @DefaultValue("0") double promptPricePer1k,
        @DefaultValue("0") double completionPricePer1k,
        @DefaultValue("20000") int maxTranscriptChars,
        @DefaultValue CircuitBreaker circuitBreaker) implements TenantLlmSettings.GlobalDefaults {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the {@code leadhub.ai.llm.*} key that is invalid
     */
    public LlmProperties {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("leadhub.ai.llm.timeout-ms must be > 0, was " + timeoutMs);
        }
        if (!"json_schema".equals(responseFormat) && !"json_object".equals(responseFormat)) {
            throw new IllegalArgumentException(
                    "leadhub.ai.llm.response-format must be json_schema or json_object, was " + responseFormat);
        }
        if (promptPricePer1k < 0 || completionPricePer1k < 0) {
            throw new IllegalArgumentException("leadhub.ai.llm.*-price-per-1k must be >= 0");
        }
        if (maxTranscriptChars < 100) {
            throw new IllegalArgumentException("leadhub.ai.llm.max-transcript-chars must be >= 100");
        }
        if (enabled && (baseUrl == null || baseUrl.isBlank() || model == null || model.isBlank())) {
            throw new IllegalArgumentException("leadhub.ai.llm.base-url and leadhub.ai.llm.model are required when"
                    + " leadhub.ai.llm.enabled is true");
        }
        if (circuitBreaker == null) {
            circuitBreaker = new CircuitBreaker(50, 10, 5, 30000);
        }
    }

    /**
     * The settings one tenant's calls are analysed with: every key the tenant's {@code ai.llm} block sets replaces the
     * global one, the others stay. One exception keeps the global key from leaking to another server: when the
     * tenant's effective {@code base_url} differs from the global one (ignoring a trailing {@code /}) and the tenant
     * sets no {@code api_key}, no key is used. The circuit breaker settings and {@code max-transcript-chars} are
     * always the global ones.
     *
     * @param tenant the tenant's {@code ai.llm} settings, or null for none
     * @return this instance when {@code tenant} is null, else the merged settings; never null
     * @throws IllegalArgumentException if the merged settings are invalid (the tenant file loader rejects such files
     *                                  first: {@code enabled: true} without a base URL or model anywhere)
     */
    public LlmProperties forTenant(TenantLlmSettings tenant) {
        if (tenant == null) {
            return this;
        }
        String url = tenant.baseUrl() != null ? tenant.baseUrl() : baseUrl;
        String key;
        if (tenant.apiKey() != null) {
            key = tenant.apiKey().reveal();
        } else {
            key = sameUrl(url, baseUrl) ? apiKey : "";
        }
        return new LlmProperties(
                tenant.enabled() != null ? tenant.enabled() : enabled,
                url,
                tenant.model() != null ? tenant.model() : model,
                key,
                tenant.timeoutMs() != null ? tenant.timeoutMs() : timeoutMs,
                tenant.responseFormat() != null ? tenant.responseFormat() : responseFormat,
                tenant.promptPricePer1k() != null ? tenant.promptPricePer1k() : promptPricePer1k,
                tenant.completionPricePer1k() != null ? tenant.completionPricePer1k() : completionPricePer1k,
                maxTranscriptChars,
                circuitBreaker);
    }

    private static boolean sameUrl(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.replaceAll("/+$", "").equals(b.replaceAll("/+$", ""));
    }

    /** @return the timeout as a duration */
    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    /**
     * The price of one call.
     *
     * @param promptTokens     prompt tokens, {@code >= 0}
     * @param completionTokens completion tokens, {@code >= 0}
     * @return {@code prompt/1000 * promptPricePer1k + completion/1000 * completionPricePer1k}
     */
    public double cost(long promptTokens, long completionTokens) {
        return promptTokens / 1000.0 * promptPricePer1k + completionTokens / 1000.0 * completionPricePer1k;
    }

    @Override
    public String toString() {
        return "LlmProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null || apiKey.isEmpty() ? "" : "***") + ", timeoutMs=" + timeoutMs + "]";
    }

    /**
     * Circuit breaker settings (Resilience4j, count-based sliding window): once at least
     * {@code minimumNumberOfCalls} of the last {@code slidingWindowSize} calls were made and
     * {@code failureRateThreshold} percent of them failed (error, timeout or invalid answer), the LLM is not called for
     * {@code waitInOpenStateMs} milliseconds and the rules analyser answers with fallback reason
     * {@code circuit_open}.
     *
     * @param failureRateThreshold percent of failed calls that opens the circuit, 1..100; default 50
     * @param slidingWindowSize    how many recent calls are looked at; default 10
     * @param minimumNumberOfCalls calls needed before the failure rate counts; default 5
     * @param waitInOpenStateMs    how long the circuit stays open in milliseconds; default 30000
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("10") int slidingWindowSize,
            @DefaultValue("5") int minimumNumberOfCalls,
            @DefaultValue("30000") long waitInOpenStateMs) {
    }
}
