package io.leadhub.enrich.ai;

/**
 * Analyses a phone call of a lead-driven business (home remodeler, interior designer) and classifies it: what the
 * caller wants, the project, its timeline and budget, the caller's tone, and how valuable and urgent the lead is.
 *
 * <p>Implementations: {@link RulesAiAnalyzer} (deterministic keyword rules, bean {@code rulesAiAnalyzer}),
 * {@link LlmAiAnalyzer} (an OpenAI-compatible LLM with fallback to the rules) and {@link CompositeAiAnalyzer} (bean
 * {@code aiAnalyzer}, the primary one the pipeline injects: per tenant, the LLM of the tenant file's {@code ai.llm}
 * settings merged with {@code leadhub.ai.llm.*} when enabled, else the rules). Every implementation must:
 * <ul>
 *   <li>return a complete {@link AiAnalysis} for any input, using the {@code unknown}/{@code other}/{@code neutral}
 *       values when something cannot be determined (a missing or blank transcript is not an error);</li>
 *   <li>set {@link AiAnalysis#analyzer()} to a short stable name identifying the implementation (e.g. {@code "rules"});</li>
 *   <li>be safe to call concurrently from several threads.</li>
 * </ul>
 */
public interface AiAnalyzer {

    /**
     * Analyses one call.
     *
     * @param input the transcript and call metadata; must not be null, its fields may be null
     * @return the analysis; never null, {@link AiAnalysis#leadScore()} in 0..100
     * @throws NullPointerException if {@code input} is null
     */
    AiAnalysis analyze(AnalysisInput input);
}
