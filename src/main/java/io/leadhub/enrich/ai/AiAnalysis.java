package io.leadhub.enrich.ai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of analysing one call with an {@link AiAnalyzer}. Immutable.
 *
 * <p>The constructor makes {@code reasons} an unmodifiable copy (null becomes an empty list) and throws
 * {@link NullPointerException} if an enum field or {@code analyzer} is null or {@code reasons} has a null element, and
 * {@link IllegalArgumentException} if {@code leadScore} is outside 0..100 or {@code analyzer} is blank.
 *
 * @param intent          what the caller wants
 * @param projectType     the project talked about
 * @param timeline        when the project should happen
 * @param budgetIndicator the caller's budget class
 * @param sentiment       the caller's tone
 * @param leadScore       how promising the lead is, 0 (worthless) to 100 (hot)
 * @param urgency         how soon to call back
 * @param analyzer        the name of the analyser that produced this result, e.g. {@code "rules"}
 * @param reasons         human-readable explanations of which rules fired, e.g.
 *                        {@code "project_type=kitchen: matched 'kitchen'"}; for people and logs, not a stable format
 * @param insights        what an LLM analysis adds (summary, topics, suggested action, token usage) or, when the
 *                        rules analyser stood in for the LLM, the fallback reason; null for a plain rules analysis
 */
public record AiAnalysis(
        Intent intent,
        ProjectType projectType,
        Timeline timeline,
        BudgetIndicator budgetIndicator,
        Sentiment sentiment,
        int leadScore,
        Urgency urgency,
        String analyzer,
        List<String> reasons,
        AiInsights insights) {

    /** Lowest possible {@link #leadScore()}. */
    public static final int MIN_SCORE = 0;

    /** Highest possible {@link #leadScore()}. */
    public static final int MAX_SCORE = 100;

    /**
     * Validates and creates an analysis.
     *
     * @param intent          what the caller wants
     * @param projectType     the project talked about
     * @param timeline        when the project should happen
     * @param budgetIndicator the caller's budget class
     * @param sentiment       the caller's tone
     * @param leadScore       0..100
     * @param urgency         how soon to call back
     * @param analyzer        the analyser name, not blank
     * @param reasons         explanations; copied, null becomes an empty list
     * @param insights        LLM insights or fallback details, or null
     * @throws NullPointerException     if an enum field or {@code analyzer} is null, or {@code reasons} has a null element
     * @throws IllegalArgumentException if {@code leadScore} is outside 0..100 or {@code analyzer} is blank
     */
    public AiAnalysis {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(projectType, "projectType");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(budgetIndicator, "budgetIndicator");
        Objects.requireNonNull(sentiment, "sentiment");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(analyzer, "analyzer");
        if (leadScore < MIN_SCORE || leadScore > MAX_SCORE) {
            throw new IllegalArgumentException("leadScore must be in 0..100, was " + leadScore);
        }
        if (analyzer.isBlank()) {
            throw new IllegalArgumentException("analyzer must not be blank");
        }
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /**
     * Creates an analysis without {@link #insights()} (what the rules analyser produces); same checks as the
     * canonical constructor.
     *
     * @param intent          what the caller wants
     * @param projectType     the project talked about
     * @param timeline        when the project should happen
     * @param budgetIndicator the caller's budget class
     * @param sentiment       the caller's tone
     * @param leadScore       0..100
     * @param urgency         how soon to call back
     * @param analyzer        the analyser name, not blank
     * @param reasons         explanations; copied, null becomes an empty list
     * @throws NullPointerException     if an enum field or {@code analyzer} is null, or {@code reasons} has a null element
     * @throws IllegalArgumentException if {@code leadScore} is outside 0..100 or {@code analyzer} is blank
     */
    public AiAnalysis(Intent intent, ProjectType projectType, Timeline timeline, BudgetIndicator budgetIndicator,
                      Sentiment sentiment, int leadScore, Urgency urgency, String analyzer, List<String> reasons) {
        this(intent, projectType, timeline, budgetIndicator, sentiment, leadScore, urgency, analyzer, reasons, null);
    }

    /**
     * This analysis with other insights.
     *
     * @param newInsights the insights, or null for none
     * @return a copy with {@link #insights()} replaced; never null
     */
    public AiAnalysis withInsights(AiInsights newInsights) {
        return new AiAnalysis(intent, projectType, timeline, budgetIndicator, sentiment, leadScore, urgency, analyzer,
                reasons, newInsights);
    }

    /**
     * The analysis as the flat map that CEL expressions and field mappings see.
     *
     * <p>Keys, in this order: {@code intent, project_type, timeline, budget_indicator, sentiment, lead_score, urgency,
     * analyzer}. Values are the enums' wire strings (e.g. {@code "1-3_months"}), {@code lead_score} is a {@link Long}
     * (CEL integers are 64-bit) and {@code analyzer} is the analyser name. {@link #reasons()} is not included.
     *
     * <p>When {@link #insights()} is present (an LLM was configured), these keys follow, each null when unknown:
     * {@code summary} (string), {@code key_topics}, {@code concerns}, {@code interests} (lists of strings),
     * {@code suggested_action} (string), {@code suggested_follow_up} (ISO-8601 date string {@code yyyy-MM-dd}),
     * {@code confidence} (Double 0..1), {@code fallback_reason} (why the rules analyser stood in for the LLM, e.g.
     * {@code "timeout"}), {@code prompt_tokens}, {@code completion_tokens} (Long) and {@code cost} (Double, in the
     * currency of the configured token prices). A plain rules analysis has only the first eight keys.
     *
     * @return an unmodifiable, insertion-ordered map; never null; null values only for unknown insight keys
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("intent", intent.wire());
        map.put("project_type", projectType.wire());
        map.put("timeline", timeline.wire());
        map.put("budget_indicator", budgetIndicator.wire());
        map.put("sentiment", sentiment.wire());
        map.put("lead_score", (long) leadScore);
        map.put("urgency", urgency.wire());
        map.put("analyzer", analyzer);
        if (insights != null) {
            insights.putInto(map);
        }
        return Collections.unmodifiableMap(map);
    }
}
