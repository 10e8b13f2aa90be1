package io.leadhub.enrich.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The call analyser the pipeline uses (bean {@code aiAnalyzer}, the only {@link Primary} {@link AiAnalyzer}): the
 * {@link LlmAiAnalyzer} when {@code leadhub.ai.llm.enabled} is true (it falls back to the rules by itself), otherwise
 * the {@link RulesAiAnalyzer} (bean {@code rulesAiAnalyzer}) unchanged. Thread-safe.
 */
@Primary
@Component("aiAnalyzer")
public class CompositeAiAnalyzer implements AiAnalyzer {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeAiAnalyzer.class);

    private final AiAnalyzer delegate;

    /**
     * Chooses the analyser from the settings.
     *
     * @param properties {@code leadhub.ai.llm.*}
     * @param rules      the rules analyser
     * @param json       JSON mapper for the LLM's answers
     * @param meters     metrics registry for token and cost counters
     */
    public CompositeAiAnalyzer(LlmProperties properties, RulesAiAnalyzer rules, ObjectMapper json,
                               MeterRegistry meters) {
        Objects.requireNonNull(properties, "properties");
        if (properties.enabled()) {
            this.delegate = new LlmAiAnalyzer(properties, rules, json, meters, Clock.systemDefaultZone());
            LOG.info("Call analysis: LLM {} at {} (fallback: rules)", properties.model(), properties.baseUrl());
        } else {
            this.delegate = Objects.requireNonNull(rules, "rules");
            LOG.info("Call analysis: rules (leadhub.ai.llm.enabled is false)");
        }
    }

    /**
     * The analyser in use.
     *
     * @return the {@link LlmAiAnalyzer} or the {@link RulesAiAnalyzer}; never null
     */
    public AiAnalyzer delegate() {
        return delegate;
    }

    /**
     * Analyses one call with the analyser in use.
     *
     * @param input the transcript and call metadata
     * @return the analysis; never null
     * @throws NullPointerException if {@code input} is null
     */
    @Override
    public AiAnalysis analyze(AnalysisInput input) {
        return delegate.analyze(Objects.requireNonNull(input, "input"));
    }
}
