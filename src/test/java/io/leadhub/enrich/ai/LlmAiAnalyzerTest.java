package io.leadhub.enrich.ai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LlmAiAnalyzerTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String TRANSCRIPT = "Hi, this is Jane, call me back at 555-201-3344 or jane.doe@example.com."
            + " We want a quote for a kitchen remodel next month, budget around $60,000.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WireMockServer llm;
    private SimpleMeterRegistry meters;

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
    void reset() {
        llm.resetAll();
        meters = new SimpleMeterRegistry();
    }

    private LlmAiAnalyzer analyzer(long timeoutMs, LlmProperties.CircuitBreaker cb) {
        LlmProperties props = new LlmProperties(true, llm.baseUrl() + "/v1", "gpt-test", "sk-test", timeoutMs,
                "json_schema", 0.5, 1.5, 20000, cb);
        return new LlmAiAnalyzer(props, new RulesAiAnalyzer(), JSON, meters,
                Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));
    }

    private LlmAiAnalyzer analyzer() {
        return analyzer(2000, new LlmProperties.CircuitBreaker(50, 10, 5, 60000));
    }

    private static Map<String, Object> goodAnswer() {
        return new java.util.LinkedHashMap<>(Map.ofEntries(
                Map.entry("intent", "quote_request"), Map.entry("project_type", "kitchen"),
                Map.entry("timeline", "1-3_months"), Map.entry("budget_indicator", "high"),
                Map.entry("sentiment", "positive"), Map.entry("lead_score", 91), Map.entry("urgency", "high"),
                Map.entry("summary", "Jane wants a quote for a kitchen remodel next month."),
                Map.entry("key_topics", List.of("kitchen remodel", "quote")),
                Map.entry("concerns", List.of("budget")), Map.entry("interests", List.of("quartz countertops")),
                Map.entry("suggested_action", "Call back today to book a site visit"),
                Map.entry("suggested_follow_up", "2026-03-03"), Map.entry("confidence", 0.85)));
    }

    private static String completion(String content) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1772445600L)
                .put("model", "gpt-test");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop").putNull("logprobs");
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant").put("content", content).putNull("refusal");
        root.putObject("usage").put("prompt_tokens", 1200).put("completion_tokens", 200).put("total_tokens", 1400);
        return JSON.writeValueAsString(root);
    }

    private static void answer(String content) throws Exception {
        llm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion(content))));
    }

    @Test
    void goodJsonBecomesAnLlmAnalysisWithInsightsUsageAndCost() throws Exception {
        answer(JSON.writeValueAsString(goodAnswer()));

        AiAnalysis analysis = analyzer().analyze(new AnalysisInput(TRANSCRIPT, 95, true, true));

        assertThat(analysis.analyzer()).isEqualTo("llm");
        assertThat(analysis.intent()).isEqualTo(Intent.QUOTE_REQUEST);
        assertThat(analysis.leadScore()).isEqualTo(91);
        AiInsights insights = analysis.insights();
        assertThat(insights.fallbackReason()).isNull();
        assertThat(insights.summary()).startsWith("Jane wants");
        assertThat(insights.keyTopics()).containsExactly("kitchen remodel", "quote");
        assertThat(insights.suggestedFollowUp()).isEqualTo(LocalDate.of(2026, 3, 3));
        assertThat(insights.confidence()).isEqualTo(0.85);
        assertThat(insights.promptTokens()).isEqualTo(1200L);
        assertThat(insights.completionTokens()).isEqualTo(200L);
        assertThat(insights.cost()).isCloseTo(1.2 * 0.5 + 0.2 * 1.5, org.assertj.core.data.Offset.offset(1e-9));
        Map<String, Object> map = analysis.toMap();
        assertThat(map).containsEntry("analyzer", "llm").containsEntry("suggested_follow_up", "2026-03-03")
                .containsEntry("fallback_reason", null).containsEntry("prompt_tokens", 1200L);
        assertThat(meters.get("leadhub.ai.tokens").tag("kind", "prompt").counter().count()).isEqualTo(1200.0);
        assertThat(meters.get("leadhub.ai.tokens").tag("kind", "completion").counter().count()).isEqualTo(200.0);
        assertThat(meters.get("leadhub.ai.cost").counter().count()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        // masked transcript, schema-constrained answer, bearer key
        llm.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer sk-test"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-test")))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true")))
                .withRequestBody(containing("Today: 2026-03-02"))
                .withRequestBody(notContaining("555-201-3344"))
                .withRequestBody(notContaining("jane.doe@example.com")));
    }

    @Test
    void schemaViolatingJsonFallsBackToRules() throws Exception {
        Map<String, Object> bad = goodAnswer();
        bad.put("intent", "buy_a_boat");
        answer(JSON.writeValueAsString(bad));

        AiAnalysis analysis = analyzer().analyze(AnalysisInput.ofTranscript(TRANSCRIPT));

        assertFallback(analysis, "invalid_answer");
        assertThat(analysis.reasons().get(0)).contains("intent");
        // the tokens were spent anyway
        assertThat(analysis.insights().promptTokens()).isEqualTo(1200L);
    }

    @Test
    void scoreOutOfRangeAndNonJsonAreInvalidAnswers() throws Exception {
        Map<String, Object> bad = goodAnswer();
        bad.put("lead_score", 140);
        answer(JSON.writeValueAsString(bad));
        assertFallback(analyzer().analyze(AnalysisInput.ofTranscript(TRANSCRIPT)), "invalid_answer");

        answer("Sure! The caller wants a kitchen.");
        assertFallback(analyzer().analyze(AnalysisInput.ofTranscript(TRANSCRIPT)), "invalid_answer");
    }

    @Test
    void slowAnswerTimesOutAndFallsBackToRules() throws Exception {
        llm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)
                .withHeader("Content-Type", "application/json")
                .withBody(completion(JSON.writeValueAsString(goodAnswer())))));

        AiAnalysis analysis = analyzer(300, new LlmProperties.CircuitBreaker(50, 10, 5, 60000))
                .analyze(AnalysisInput.ofTranscript(TRANSCRIPT));

        assertFallback(analysis, "timeout");
    }

    @Test
    void rateLimitedFallsBackToRules() {
        llm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}")));

        assertFallback(analyzer().analyze(AnalysisInput.ofTranscript(TRANSCRIPT)), "http_429");
        assertThat(meters.get("leadhub.ai.fallbacks").tag("reason", "http_429").counter().count()).isEqualTo(1.0);
    }

    @Test
    void serverErrorFallsBackToRules() {
        llm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"boom\"}}")));

        assertFallback(analyzer().analyze(AnalysisInput.ofTranscript(TRANSCRIPT)), "http_500");
        llm.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void openCircuitStopsCallingTheLlm() {
        llm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
        LlmAiAnalyzer analyzer = analyzer(2000, new LlmProperties.CircuitBreaker(50, 2, 2, 600000));

        assertFallback(analyzer.analyze(AnalysisInput.ofTranscript(TRANSCRIPT)), "http_500");
        assertFallback(analyzer.analyze(AnalysisInput.ofTranscript(TRANSCRIPT)), "http_500");
        AiAnalysis third = analyzer.analyze(AnalysisInput.ofTranscript(TRANSCRIPT));

        assertFallback(third, "circuit_open");
        llm.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void noTranscriptUsesRulesWithoutCallingTheLlm() {
        AiAnalysis analysis = analyzer().analyze(AnalysisInput.ofTranscript("  "));

        assertFallback(analysis, "no_transcript");
        llm.verify(0, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void jsonObjectModeSendsJsonObjectResponseFormat() throws Exception {
        answer("```json\n" + JSON.writeValueAsString(goodAnswer()) + "\n```");
        LlmProperties props = new LlmProperties(true, llm.baseUrl() + "/v1", "llama3", "", 2000, "json_object", 0, 0,
                20000, null);
        AiAnalysis analysis = new LlmAiAnalyzer(props, new RulesAiAnalyzer(), JSON, meters, Clock.systemUTC())
                .analyze(AnalysisInput.ofTranscript(TRANSCRIPT));

        assertThat(analysis.analyzer()).isEqualTo("llm");
        assertThat(analysis.insights().cost()).isEqualTo(0.0);
        llm.verify(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_object"))));
    }

    @Test
    void compositeUsesRulesWhenDisabled() {
        LlmProperties props = new LlmProperties(false, "http://unused.invalid/v1", "m", "", 8000, "json_schema", 0, 0,
                20000, null);
        RulesAiAnalyzer rules = new RulesAiAnalyzer();
        CompositeAiAnalyzer composite = new CompositeAiAnalyzer(props, rules, JSON, meters);

        assertThat(composite.delegate()).isSameAs(rules);
        AiAnalysis analysis = composite.analyze(AnalysisInput.ofTranscript(TRANSCRIPT));
        assertThat(analysis).isEqualTo(rules.analyze(AnalysisInput.ofTranscript(TRANSCRIPT)));
        assertThat(analysis.insights()).isNull();
        assertThat(analysis.toMap()).hasSize(8);
    }

    private static void assertFallback(AiAnalysis analysis, String reason) {
        AiAnalysis rules = new RulesAiAnalyzer().analyze(AnalysisInput.ofTranscript(TRANSCRIPT));
        assertThat(analysis.analyzer()).isEqualTo("rules");
        assertThat(analysis.insights().fallbackReason()).isEqualTo(reason);
        assertThat(analysis.toMap()).containsEntry("fallback_reason", reason).containsKey("summary");
        assertThat(analysis.reasons().get(0)).startsWith("fallback to rules: " + reason);
        if (!"no_transcript".equals(reason)) {
            assertThat(analysis.intent()).isEqualTo(rules.intent());
            assertThat(analysis.leadScore()).isEqualTo(rules.leadScore());
        }
    }
}
