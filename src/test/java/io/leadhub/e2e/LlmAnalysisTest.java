package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadhub.support.Masking;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Call analysis by a tenant's own LLM, end to end: tenant {@code llmco} (it-mappings/llmco.yaml) switches the LLM on
 * in its {@code ai.llm} block while the global {@code leadhub.ai.llm.enabled} stays false, and points it at the
 * chat-completions stub {@code /llmco/v1/chat/completions} on REST_STUB. A signed CallRail call is analysed by the
 * stub (phone masked in the prompt) and delivered to a webhook subscriber with the LLM's fields; when the stub
 * answers 500 or too late, the lead is still delivered, analysed by the rules, with the fallback reason.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmAnalysisTest extends HubIntegrationTest {

    private static final String LLM = "/llmco/v1/chat/completions";
    private static final String SUBSCRIBER = "/llmco/subscriber";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param phone  caller number (E.164), also spoken in the transcript
     * @param marker a unique word in the transcript that tells this test's LLM request apart
     * @return a post-call webhook body whose transcript names the phone and the marker
     */
    private static String body(String phone, String marker) throws Exception {
        ObjectNode call = (ObjectNode) JSON.readTree(postCallBody(phone));
        call.put("transcription", "Agent: Peachtree Kitchen and Bath, this is Dana. Caller: Hi, this is Maria, please"
                + " call me back at " + phone + ", reference " + marker + ". We want to redo the kitchen with quartz"
                + " countertops, budget around $60,000, ideally next month.");
        return JSON.writeValueAsString(call);
    }

    private static ResponseDefinitionBuilder completion(Map<String, Object> answer) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-e2e").put("object", "chat.completion").put("created", 1772445600L)
                .put("model", "gpt-e2e");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop").putNull("logprobs");
        choice.putObject("message").put("role", "assistant").put("content", JSON.writeValueAsString(answer))
                .putNull("refusal");
        root.putObject("usage").put("prompt_tokens", 900).put("completion_tokens", 120).put("total_tokens", 1020);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(JSON.writeValueAsString(root));
    }

    private static Map<String, Object> answer() {
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("intent", "quote_request");
        answer.put("project_type", "kitchen");
        answer.put("timeline", "1-3_months");
        answer.put("budget_indicator", "high");
        answer.put("sentiment", "positive");
        answer.put("lead_score", 42);
        answer.put("urgency", "medium");
        answer.put("summary", "Maria wants her kitchen redone with quartz countertops next month.");
        answer.put("key_topics", List.of("kitchen remodel", "quartz countertops"));
        answer.put("concerns", List.of("budget"));
        answer.put("interests", List.of("quartz countertops"));
        answer.put("suggested_action", "Book a site visit this week");
        answer.put("suggested_follow_up", "2026-03-05");
        answer.put("confidence", 0.8);
        return answer;
    }

    /** Sends the call, waits for its delivery and returns the webhook payload the subscriber received. */
    private JsonNode deliver(String phone, String body) throws Exception {
        REST_STUB.stubFor(post(urlEqualTo(SUBSCRIBER)).withRequestBody(containing(phone))
                .willReturn(aResponse().withStatus(204)));
        HttpResponse<String> response = postCallRail("llmco", body);
        assertThat(response.statusCode()).isEqualTo(202);
        String eventId = eventId(response);
        awaitDelivery(eventId, "delivered");
        List<LoggedRequest> sent = REST_STUB.findAll(postRequestedFor(urlEqualTo(SUBSCRIBER))
                .withRequestBody(containing(phone)));
        assertThat(sent).hasSize(1);
        JsonNode payload = JSON.readTree(sent.get(0).getBodyAsString());
        assertThat(payload.at("/data/event_id").asText()).isEqualTo(eventId);
        return payload;
    }

    /** @return the analysis stored with the contact's call history (table contact_calls) */
    private JsonNode storedAnalysis(String eventId) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM contact_calls WHERE event_id = ?", Integer.class, eventId) == 1);
        return JSON.readTree(jdbc.queryForObject("SELECT ai_json FROM contact_calls WHERE event_id = ?",
                String.class, eventId));
    }

    @Test
    void tenantLlmAnalysesTheCallWithTheMaskedTranscriptAndItsFieldsAreDelivered(CapturedOutput output)
            throws Exception {
        String phone = uniquePhone();
        String marker = "ref-" + UUID.randomUUID();
        REST_STUB.stubFor(post(urlEqualTo(LLM)).withRequestBody(containing(marker)).willReturn(completion(answer())));

        JsonNode payload = deliver(phone, body(phone, marker));

        JsonNode ai = payload.at("/data/ai");
        assertThat(ai.path("analyzer").asText()).isEqualTo("llm");
        assertThat(ai.path("lead_score").asInt()).isEqualTo(42);
        assertThat(ai.path("urgency").asText()).isEqualTo("medium");
        assertThat(ai.path("summary").asText()).isEqualTo("Maria wants her kitchen redone with quartz countertops"
                + " next month.");
        assertThat(ai.path("key_topics")).extracting(JsonNode::asText)
                .containsExactly("kitchen remodel", "quartz countertops");
        assertThat(ai.path("suggested_follow_up").asText()).isEqualTo("2026-03-05");
        assertThat(ai.path("prompt_tokens").asLong()).isEqualTo(900L);
        assertThat(ai.path("fallback_reason").isNull()).isTrue();
        assertThat(payload.at("/data/properties/score").asInt()).isEqualTo(42);
        assertThat(payload.at("/data/properties/summary").asText()).startsWith("Maria wants her kitchen");
        assertThat(payload.at("/data/analysis_reasons/0").asText()).isEqualTo("llm: gpt-e2e");
        JsonNode stored = storedAnalysis(payload.at("/data/event_id").asText());
        assertThat(stored.path("analyzer").asText()).isEqualTo("llm");
        assertThat(stored.path("lead_score").asInt()).isEqualTo(42);

        List<LoggedRequest> prompts = REST_STUB.findAll(postRequestedFor(urlEqualTo(LLM))
                .withRequestBody(containing(marker)));
        assertThat(prompts).hasSize(1);
        LoggedRequest prompt = prompts.get(0);
        assertThat(prompt.getHeader("Authorization")).isEqualTo("Bearer " + E2E_LLM_API_KEY);
        String user = JSON.readTree(prompt.getBodyAsString()).at("/messages/1/content").asText();
        assertThat(user).contains(marker, "kitchen", Masking.phone(phone)).doesNotContain(phone);
        REST_STUB.verify(postRequestedFor(urlEqualTo(LLM)).withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-e2e")))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema"))));
        assertThat(output.getAll()).doesNotContain(E2E_LLM_API_KEY);
    }

    @Test
    void llmServerErrorStillDeliversTheLeadAnalysedByTheRules() throws Exception {
        String phone = uniquePhone();
        String marker = "ref-" + UUID.randomUUID();
        REST_STUB.stubFor(post(urlEqualTo(LLM)).withRequestBody(containing(marker)).willReturn(aResponse()
                .withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"model overloaded\"}}")));

        JsonNode payload = deliver(phone, body(phone, marker));

        assertFallback(payload, "http_500");
        REST_STUB.verify(1, postRequestedFor(urlEqualTo(LLM)).withRequestBody(containing(marker)));
    }

    @Test
    void llmTimeoutFromTheTenantFileStillDeliversTheLeadAnalysedByTheRules() throws Exception {
        String phone = uniquePhone();
        String marker = "ref-" + UUID.randomUUID();
        // llmco's ai.llm.timeout_ms is 3000; the global default (8000) would wait for this answer
        REST_STUB.stubFor(post(urlEqualTo(LLM)).withRequestBody(containing(marker))
                .willReturn(completion(answer()).withFixedDelay(6000)));

        JsonNode payload = deliver(phone, body(phone, marker));

        assertFallback(payload, "timeout");
        assertThat(payload.at("/data/analysis_reasons/0").asText()).contains("no answer within 3000 ms");
    }

    private void assertFallback(JsonNode payload, String reason) throws Exception {
        JsonNode ai = payload.at("/data/ai");
        assertThat(ai.path("analyzer").asText()).isEqualTo("rules");
        assertThat(ai.path("fallback_reason").asText()).isEqualTo(reason);
        assertThat(ai.path("project_type").asText()).isEqualTo("kitchen");
        assertThat(ai.path("lead_score").asInt()).isBetween(0, 100);
        assertThat(ai.path("summary").isNull()).isTrue();
        assertThat(payload.at("/data/analysis_reasons/0").asText()).startsWith("fallback to rules: " + reason);
        JsonNode stored = storedAnalysis(payload.at("/data/event_id").asText());
        assertThat(stored.path("analyzer").asText()).isEqualTo("rules");
        assertThat(stored.path("fallback_reason").asText()).isEqualTo(reason);
    }
}
