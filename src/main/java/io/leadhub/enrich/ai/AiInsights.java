package io.leadhub.enrich.ai;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What an LLM analysis adds to the classification of {@link AiAnalysis}, plus how the result came about. Immutable;
 * every field may be null (unknown, or not produced because the rules analyser stood in for the LLM).
 *
 * <p>The constructor copies the lists (null stays null) and throws {@link IllegalArgumentException} if
 * {@code confidence} is outside 0..1 or a token count or the cost is negative.
 *
 * @param summary           one or two sentences about the call, in English
 * @param keyTopics         the main topics talked about, e.g. {@code ["kitchen remodel", "permits"]}
 * @param concerns          what worries the caller, e.g. {@code ["budget overrun"]}
 * @param interests         what the caller is interested in, e.g. {@code ["quartz countertops"]}
 * @param suggestedAction   the next step for the sales team, e.g. {@code "Call back today to book a site visit"}
 * @param suggestedFollowUp the date to follow up on
 * @param confidence        the model's confidence in its classification, 0 (guess) to 1 (certain)
 * @param fallbackReason    why the rules analyser produced the classification instead of the LLM, e.g.
 *                          {@code "timeout"}, {@code "http_429"}, {@code "circuit_open"}, {@code "invalid_answer"};
 *                          null when the LLM answered
 * @param promptTokens      tokens the LLM counted for the request ({@code usage.prompt_tokens}), or null
 * @param completionTokens  tokens the LLM counted for its answer ({@code usage.completion_tokens}), or null
 * @param cost              the price of the call from the configured prices per 1,000 tokens, or null
 */
public record AiInsights(
        String summary,
        List<String> keyTopics,
        List<String> concerns,
        List<String> interests,
        String suggestedAction,
        LocalDate suggestedFollowUp,
        Double confidence,
        String fallbackReason,
        Long promptTokens,
        Long completionTokens,
        Double cost) {

    /**
     * Validates and creates insights.
     *
     * @param summary           call summary or null
     * @param keyTopics         topics or null; copied
     * @param concerns          concerns or null; copied
     * @param interests         interests or null; copied
     * @param suggestedAction   next step or null
     * @param suggestedFollowUp follow-up date or null
     * @param confidence        0..1 or null
     * @param fallbackReason    fallback reason or null
     * @param promptTokens      {@code >= 0} or null
     * @param completionTokens  {@code >= 0} or null
     * @param cost              {@code >= 0} or null
     * @throws IllegalArgumentException if a number is out of range
     * @throws NullPointerException     if a list has a null element
     */
    public AiInsights {
        if (confidence != null && !(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be in 0..1, was " + confidence);
        }
        if ((promptTokens != null && promptTokens < 0) || (completionTokens != null && completionTokens < 0)
                || (cost != null && !(cost >= 0.0))) {
            throw new IllegalArgumentException("token counts and cost must be >= 0");
        }
        keyTopics = keyTopics == null ? null : List.copyOf(keyTopics);
        concerns = concerns == null ? null : List.copyOf(concerns);
        interests = interests == null ? null : List.copyOf(interests);
    }

    /**
     * Insights that only say why the rules analyser stood in for the LLM.
     *
     * @param reason the fallback reason, e.g. {@code "timeout"}
     * @return insights with only {@link #fallbackReason()} set; never null
     */
    public static AiInsights fallback(String reason) {
        return new AiInsights(null, null, null, null, null, null, null, reason, null, null, null);
    }

    /**
     * These insights with a fallback reason.
     *
     * @param reason the fallback reason
     * @return a copy with {@link #fallbackReason()} replaced; never null
     */
    public AiInsights withFallbackReason(String reason) {
        return new AiInsights(summary, keyTopics, concerns, interests, suggestedAction, suggestedFollowUp, confidence,
                reason, promptTokens, completionTokens, cost);
    }

    /** Adds the snake_case keys documented on {@link AiAnalysis#toMap()} to {@code map}, nulls included. */
    void putInto(Map<String, Object> map) {
        map.put("summary", summary);
        map.put("key_topics", keyTopics);
        map.put("concerns", concerns);
        map.put("interests", interests);
        map.put("suggested_action", suggestedAction);
        map.put("suggested_follow_up", suggestedFollowUp == null ? null : suggestedFollowUp.toString());
        map.put("confidence", confidence);
        map.put("fallback_reason", fallbackReason);
        map.put("prompt_tokens", promptTokens);
        map.put("completion_tokens", completionTokens);
        map.put("cost", cost);
    }
}
