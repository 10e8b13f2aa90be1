package io.leadhub.enrich.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.leadhub.support.Masking;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses calls with a large language model behind any OpenAI-compatible chat-completions API (OpenAI, Azure OpenAI,
 * Ollama, vLLM), following OpenAI's "Create chat completion" reference ({@code POST {base-url}/chat/completions}) and
 * its "Structured outputs" guide ({@code response_format} {@code json_schema}, strict). The analyser name is
 * {@value #ANALYZER_NAME}.
 *
 * <p>One call per analysis: a system message with the instructions and the JSON schema of the answer, a user message
 * with the call metadata and the transcript in which phone numbers and e-mail addresses are masked
 * ({@link Masking#text(String)}). The answer must be one JSON object with exactly the wire values of {@link Intent},
 * {@link ProjectType}, {@link Timeline}, {@link BudgetIndicator}, {@link Sentiment} and {@link Urgency}, an integer
 * {@code lead_score} 0..100 and the insight fields of {@link AiInsights}; anything else is an invalid answer.
 *
 * <p>Never fails: without a transcript, on timeout ({@code leadhub.ai.llm.timeout-ms}), HTTP error, invalid answer or
 * while the circuit breaker is open, the {@link RulesAiAnalyzer} answers and {@link AiInsights#fallbackReason()} says
 * why ({@code no_transcript, timeout, io_error, http_<status>, invalid_answer, circuit_open, error}). The client does
 * not retry (a retry would double the latency of enrichment).
 *
 * <p>Metrics (Micrometer), each tagged {@code tenant} with {@link AnalysisInput#tenant()} ({@value #NO_TENANT} when
 * unknown): {@code leadhub.ai.tokens{kind=prompt|completion}} (tokens from the answer's {@code usage}),
 * {@code leadhub.ai.cost} (from the configured prices per 1,000 tokens), {@code leadhub.ai.fallbacks{reason}}.
 * Thread-safe. {@link #close()} releases the HTTP client once the analyser is no longer used.
 */
public class LlmAiAnalyzer implements AiAnalyzer, AutoCloseable {

    /** The value of {@link AiAnalysis#analyzer()} when the LLM answered. */
    public static final String ANALYZER_NAME = "llm";

    /** Name of the circuit breaker of the global settings; a tenant's own one is {@code leadhub-ai-llm-<tenant>}. */
    public static final String CIRCUIT_BREAKER_NAME = "leadhub-ai-llm";

    /** Value of the metrics' {@code tenant} tag when the input names no tenant. */
    public static final String NO_TENANT = "unknown";

    private static final Logger LOG = LoggerFactory.getLogger(LlmAiAnalyzer.class);
    private static final int MAX_LIST_ITEMS = 20;
    private static final int MAX_TEXT_CHARS = 2000;
    private static final List<String> ANSWER_FIELDS = List.of("intent", "project_type", "timeline",
            "budget_indicator", "sentiment", "lead_score", "urgency", "summary", "key_topics", "concerns", "interests",
            "suggested_action", "suggested_follow_up", "confidence");

    private final LlmProperties properties;
    private final OpenAIClient client;
    private final RulesAiAnalyzer rules;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final CircuitBreaker circuitBreaker;
    private final Map<String, Object> schema;
    private final String systemPrompt;

    /**
     * Creates the analyser and its HTTP client (OkHttp, no retries, timeout from the properties).
     *
     * @param properties {@code leadhub.ai.llm.*}
     * @param rules      the fallback analyser
     * @param json       JSON mapper used to read the model's answer
     * @param meters     where token and cost counters are registered
     * @param clock      today's date for the prompt (follow-up dates are relative to it)
     */
    public LlmAiAnalyzer(LlmProperties properties, RulesAiAnalyzer rules, ObjectMapper json, MeterRegistry meters,
                         Clock clock) {
        this(properties, rules, json, meters, clock,
                CircuitBreaker.of(CIRCUIT_BREAKER_NAME, circuitBreakerConfig(Objects.requireNonNull(properties,
                        "properties"))));
    }

    /**
     * Creates the analyser around a given circuit breaker (e.g. one named after a tenant and registered for
     * metrics), and its HTTP client (OkHttp, no retries, timeout from the properties).
     *
     * @param properties     the effective settings (global, or merged with a tenant's {@code ai.llm})
     * @param rules          the fallback analyser
     * @param json           JSON mapper used to read the model's answer
     * @param meters         where token, cost and fallback counters are registered
     * @param clock          today's date for the prompt
     * @param circuitBreaker the breaker around the LLM calls, normally built from
     *                       {@link #circuitBreakerConfig(LlmProperties)}
     */
    LlmAiAnalyzer(LlmProperties properties, RulesAiAnalyzer rules, ObjectMapper json, MeterRegistry meters,
                  Clock clock, CircuitBreaker circuitBreaker) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.json = Objects.requireNonNull(json, "json");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .baseUrl(properties.baseUrl())
                .timeout(properties.timeout())
                .maxRetries(0);
        // the SDK requires a key; servers without authentication (Ollama, vLLM) ignore the bearer token
        builder.apiKey(properties.apiKey() == null || properties.apiKey().isBlank() ? "none" : properties.apiKey());
        this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        this.client = builder.build();
        this.schema = answerSchema();
        this.systemPrompt = systemPrompt(schema);
    }

    /**
     * The circuit breaker configuration of {@code leadhub.ai.llm.circuit-breaker.*} (count-based window).
     *
     * @param properties the settings
     * @return the Resilience4j configuration; never null
     */
    static CircuitBreakerConfig circuitBreakerConfig(LlmProperties properties) {
        LlmProperties.CircuitBreaker cb = properties.circuitBreaker();
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(Duration.ofMillis(cb.waitInOpenStateMs()))
                .build();
    }

    /**
     * The circuit breaker around the LLM calls, for monitoring.
     *
     * @return the Resilience4j circuit breaker, named {@value #CIRCUIT_BREAKER_NAME} for the global settings and
     *         {@code leadhub-ai-llm-<tenant>} for a tenant's own settings; never null
     */
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /**
     * The settings this analyser calls the LLM with.
     *
     * @return the effective settings; never null
     */
    public LlmProperties properties() {
        return properties;
    }

    /** Releases the HTTP client (connection pool, dispatcher threads); calls still running finish or fall back. */
    @Override
    public void close() {
        client.close();
    }

    /**
     * Analyses one call with the LLM, or with the rules analyser when the LLM cannot answer (see class comment).
     *
     * @param input the transcript and call metadata
     * @return an analysis with {@link AiAnalysis#analyzer()} {@code "llm"} and full {@link AiAnalysis#insights()}, or
     *         the rules analysis whose insights carry the fallback reason; never null
     * @throws NullPointerException if {@code input} is null
     */
    @Override
    public AiAnalysis analyze(AnalysisInput input) {
        Objects.requireNonNull(input, "input");
        String tenantTag = tenantTag(input);
        if (!input.hasTranscript()) {
            return fallback(input, "no_transcript", null, null);
        }
        Answer answer = null;
        try {
            Answer[] received = new Answer[1];
            try {
                return circuitBreaker.executeSupplier(() -> {
                    received[0] = call(input, tenantTag);
                    return parse(received[0]);
                });
            } finally {
                answer = received[0];
            }
        } catch (CallNotPermittedException e) {
            return fallback(input, "circuit_open", "the circuit breaker is open", null);
        } catch (InvalidAnswerException e) {
            return fallback(input, "invalid_answer", e.getMessage(), answer);
        } catch (OpenAIServiceException e) {
            return fallback(input, "http_" + e.statusCode(), "HTTP " + e.statusCode(), null);
        } catch (OpenAIIoException e) {
            boolean timeout = hasCause(e, InterruptedIOException.class);
            return fallback(input, timeout ? "timeout" : "io_error",
                    timeout ? "no answer within " + properties.timeoutMs() + " ms" : e.getClass().getSimpleName(), null);
        } catch (RuntimeException e) {
            return fallback(input, "error", e.getClass().getSimpleName(), answer);
        }
    }

    private Answer call(AnalysisInput input, String tenantTag) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(properties.model())
                .temperature(0.0)
                .addSystemMessage(systemPrompt)
                .addUserMessage(userMessage(input));
        if ("json_schema".equals(properties.responseFormat())) {
            ResponseFormatJsonSchema.JsonSchema.Schema.Builder s = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
            schema.forEach((k, v) -> s.putAdditionalProperty(k, JsonValue.from(v)));
            params.responseFormat(ResponseFormatJsonSchema.builder()
                    .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                            .name("call_analysis").strict(true).schema(s.build()).build())
                    .build());
        } else {
            params.responseFormat(ResponseFormatJsonObject.builder().build());
        }
        ChatCompletion completion = client.chat().completions().create(params.build());
        Long prompt = null;
        Long completionCount = null;
        Double price = null;
        if (completion.usage().isPresent()) {
            prompt = completion.usage().get().promptTokens();
            completionCount = completion.usage().get().completionTokens();
            price = properties.cost(prompt, completionCount);
            tokens("prompt", tenantTag).increment(prompt);
            tokens("completion", tenantTag).increment(completionCount);
            Counter.builder("leadhub.ai.cost").tag("tenant", tenantTag)
                    .description("Price of LLM call analysis from the configured prices per 1,000 tokens")
                    .register(meters).increment(price);
        }
        String content = completion.choices().isEmpty() ? null
                : completion.choices().get(0).message().content().orElse(null);
        return new Answer(content, prompt, completionCount, price);
    }

    private static String tenantTag(AnalysisInput input) {
        return input.tenant() == null || input.tenant().isBlank() ? NO_TENANT : input.tenant();
    }

    private Counter tokens(String kind, String tenantTag) {
        return Counter.builder("leadhub.ai.tokens").tag("kind", kind).tag("tenant", tenantTag)
                .description("LLM tokens used by call analysis").register(meters);
    }

    private String userMessage(AnalysisInput input) {
        String transcript = Masking.text(input.transcript());
        if (transcript.length() > properties.maxTranscriptChars()) {
            transcript = transcript.substring(0, properties.maxTranscriptChars());
        }
        return "Today: " + LocalDate.now(clock)
                + "\nCall duration (seconds): " + (input.durationSeconds() == null ? "unknown" : input.durationSeconds())
                + "\nAnswered by a person: " + (input.answered() == null ? "unknown" : input.answered())
                + "\nFirst call from this number: " + (input.firstCall() == null ? "unknown" : input.firstCall())
                + "\nTranscript:\n" + transcript;
    }

    private AiAnalysis parse(Answer answer) {
        if (answer.content() == null || answer.content().isBlank()) {
            throw new InvalidAnswerException("empty answer");
        }
        String content = answer.content().strip();
        if (content.startsWith("```")) {
            content = content.replaceFirst("^```(?:json)?\\s*", "").replaceFirst("\\s*```$", "");
        }
        JsonNode node;
        try {
            node = json.readTree(content);
        } catch (java.io.IOException e) {
            throw new InvalidAnswerException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidAnswerException("not a JSON object");
        }
        Intent intent = wire(node, "intent", Intent::fromWire);
        ProjectType projectType = wire(node, "project_type", ProjectType::fromWire);
        Timeline timeline = wire(node, "timeline", Timeline::fromWire);
        BudgetIndicator budget = wire(node, "budget_indicator", BudgetIndicator::fromWire);
        Sentiment sentiment = wire(node, "sentiment", Sentiment::fromWire);
        Urgency urgency = wire(node, "urgency", Urgency::fromWire);
        JsonNode score = node.get("lead_score");
        if (score == null || !score.isIntegralNumber() || score.asLong() < 0 || score.asLong() > 100) {
            throw new InvalidAnswerException("lead_score must be an integer 0..100");
        }
        JsonNode confidenceNode = node.get("confidence");
        Double confidence = null;
        if (confidenceNode != null && !confidenceNode.isNull()) {
            if (!confidenceNode.isNumber() || confidenceNode.asDouble() < 0 || confidenceNode.asDouble() > 1) {
                throw new InvalidAnswerException("confidence must be a number 0..1");
            }
            confidence = confidenceNode.asDouble();
        }
        LocalDate followUp = null;
        String followUpText = text(node, "suggested_follow_up");
        if (followUpText != null) {
            try {
                followUp = LocalDate.parse(followUpText);
            } catch (DateTimeParseException e) {
                throw new InvalidAnswerException("suggested_follow_up must be an ISO date yyyy-MM-dd");
            }
        }
        AiInsights insights = new AiInsights(text(node, "summary"), list(node, "key_topics"), list(node, "concerns"),
                list(node, "interests"), text(node, "suggested_action"), followUp, confidence, null,
                answer.promptTokens(), answer.completionTokens(), answer.cost());
        return new AiAnalysis(intent, projectType, timeline, budget, sentiment, (int) score.asLong(), urgency,
                ANALYZER_NAME, List.of("llm: " + properties.model()), insights);
    }

    private static <E> E wire(JsonNode node, String field, Function<String, E> fromWire) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidAnswerException(field + " is missing or not a string");
        }
        try {
            return fromWire.apply(value.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidAnswerException(field + " is not an allowed value");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidAnswerException(field + " must be a string");
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            return null;
        }
        return text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text;
    }

    private static List<String> list(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidAnswerException(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidAnswerException(field + " must be an array of strings");
            }
            String text = item.asText().strip();
            if (!text.isEmpty() && out.size() < MAX_LIST_ITEMS) {
                out.add(text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text);
            }
        }
        return out;
    }

    private AiAnalysis fallback(AnalysisInput input, String reason, String detail, Answer answer) {
        String tenantTag = tenantTag(input);
        if (!"no_transcript".equals(reason)) {
            LOG.warn("LLM call analysis of tenant {} failed ({}{}; circuit breaker {}); the rules analyser answers",
                    tenantTag, reason, detail == null ? "" : ": " + Masking.text(detail), circuitBreaker.getName());
        }
        meters.counter("leadhub.ai.fallbacks", "reason", reason, "tenant", tenantTag).increment();
        AiAnalysis analysis = rules.analyze(input);
        List<String> reasons = new ArrayList<>(analysis.reasons());
        reasons.add(0, "fallback to rules: " + reason + (detail == null ? "" : " (" + detail + ")"));
        AiInsights insights = answer == null ? AiInsights.fallback(reason)
                : new AiInsights(null, null, null, null, null, null, null, reason, answer.promptTokens(),
                        answer.completionTokens(), answer.cost());
        return new AiAnalysis(analysis.intent(), analysis.projectType(), analysis.timeline(),
                analysis.budgetIndicator(), analysis.sentiment(), analysis.leadScore(), analysis.urgency(),
                analysis.analyzer(), reasons, insights);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The JSON schema of the answer (strict structured-outputs subset: all fields required, no extra keys). */
    static Map<String, Object> answerSchema() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("intent", enumOf(Arrays.stream(Intent.values()).map(Intent::wire).toList()));
        props.put("project_type", enumOf(Arrays.stream(ProjectType.values()).map(ProjectType::wire).toList()));
        props.put("timeline", enumOf(Arrays.stream(Timeline.values()).map(Timeline::wire).toList()));
        props.put("budget_indicator",
                enumOf(Arrays.stream(BudgetIndicator.values()).map(BudgetIndicator::wire).toList()));
        props.put("sentiment", enumOf(Arrays.stream(Sentiment.values()).map(Sentiment::wire).toList()));
        props.put("lead_score", Map.of("type", "integer", "description", "0 (worthless) to 100 (hot lead)"));
        props.put("urgency", enumOf(Arrays.stream(Urgency.values()).map(Urgency::wire).toList()));
        props.put("summary", Map.of("type", "string", "description", "one or two sentences about the call"));
        props.put("key_topics", Map.of("type", "array", "items", Map.of("type", "string")));
        props.put("concerns", Map.of("type", "array", "items", Map.of("type", "string")));
        props.put("interests", Map.of("type", "array", "items", Map.of("type", "string")));
        props.put("suggested_action", Map.of("type", "string", "description", "next step for the sales team"));
        props.put("suggested_follow_up", Map.of("type", List.of("string", "null"),
                "description", "ISO date yyyy-MM-dd to follow up on, or null"));
        props.put("confidence", Map.of("type", "number", "description", "0 (guess) to 1 (certain)"));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        schema.put("required", ANSWER_FIELDS);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> enumOf(List<String> values) {
        return Map.of("type", "string", "enum", values);
    }

    private String systemPrompt(Map<String, Object> answerSchema) {
        String schemaText;
        try {
            schemaText = json.writeValueAsString(answerSchema);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the answer schema", e);
        }
        return "You analyse phone calls received by a home-improvement or remodeling business (remodelers, interior"
                + " designers). Classify what the caller wants, the project, its timeline and budget, the caller's"
                + " tone, how promising the lead is (lead_score 0-100) and how soon to call back. Use 'unknown',"
                + " 'other' or 'neutral' when the transcript does not say. Phone numbers and e-mail addresses are"
                + " masked. Answer with one JSON object only, no prose, matching this JSON schema exactly:\n"
                + schemaText;
    }

    private record Answer(String content, Long promptTokens, Long completionTokens, Double cost) {
    }

    /** The model answered, but not with a valid analysis; the message names the field, never the content. */
    static final class InvalidAnswerException extends RuntimeException {
        InvalidAnswerException(String message) {
            super(message);
        }
    }
}
