package io.leadhub.tenant;

/**
 * A tenant's own settings of the LLM call analyser: the {@code ai.llm} block of its tenant file. Every field is
 * optional; null means "not set in the file", and the analyser then uses the global {@code leadhub.ai.llm.*} value
 * (see {@code io.leadhub.enrich.ai.LlmProperties#forTenant}). Immutable; {@link #toString()} hides the API key.
 *
 * @param enabled              {@code enabled}: true = this tenant's calls are analysed by the LLM, false = by the
 *                             rules analyser even when the global LLM is on; null = as {@code leadhub.ai.llm.enabled}
 * @param baseUrl              {@code base_url}: base URL of an OpenAI-compatible API up to and including the version
 *                             segment, e.g. {@code https://api.openai.com/v1} (absolute http(s) URL with a host)
 * @param model                {@code model}: model (or Azure deployment) name, e.g. {@code gpt-4o-mini}
 * @param apiKey               {@code api_key}: the bearer token, resolved from a {@code ${ENV_VAR}} placeholder (an
 *                             optional placeholder that resolves empty means "no key"); null = not set
 * @param timeoutMs            {@code timeout_ms}: the longest an LLM call may take, milliseconds, {@code >= 1}
 * @param responseFormat       {@code response_format}: {@code json_schema} or {@code json_object}
 * @param promptPricePer1k     {@code prompt_price_per_1k}: price of 1,000 prompt tokens, {@code >= 0}
 * @param completionPricePer1k {@code completion_price_per_1k}: price of 1,000 completion tokens, {@code >= 0}
 */
public record TenantLlmSettings(
        Boolean enabled,
        String baseUrl,
        String model,
        Secret apiKey,
        Long timeoutMs,
        String responseFormat,
        Double promptPricePer1k,
        Double completionPricePer1k) {

    /**
     * The global values a tenant's {@code ai.llm} block falls back to, as far as loading a tenant file needs them
     * (implemented by {@code io.leadhub.enrich.ai.LlmProperties}, {@code leadhub.ai.llm.*}).
     */
    public interface GlobalDefaults {

        /** @return {@code leadhub.ai.llm.base-url}; may be null or blank */
        String baseUrl();

        /** @return {@code leadhub.ai.llm.model}; may be null or blank */
        String model();
    }

    @Override
    public String toString() {
        return "TenantLlmSettings[enabled=" + enabled + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + apiKey + ", timeoutMs=" + timeoutMs + ", responseFormat=" + responseFormat + "]";
    }
}
