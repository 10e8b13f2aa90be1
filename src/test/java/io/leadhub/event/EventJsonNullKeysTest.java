package io.leadhub.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * The events' maps keep null-valued keys through the hub's JSON (Kafka), although the application's mapper omits
 * nulls ({@code spring.jackson.default-property-inclusion: non_null}): a tenant expression reading
 * {@code call.recording_url} of a call without recording must see null, not a missing key (a CEL error).
 */
class EventJsonNullKeysTest {

    private final ObjectMapper json = Jackson2ObjectMapperBuilder.json()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    private static Map<String, Object> withNull(String key, String presentKey) {
        Map<String, Object> map = new HashMap<>();
        map.put(key, null);
        map.put(presentKey, "x");
        return map;
    }

    @Test
    void inboundEventKeepsNullLeadAndCallKeys() throws Exception {
        InboundEvent event = new InboundEvent("e1", "t", "twilio", "call_completed", "status:CA1:completed",
                Instant.parse("2026-11-20T15:00:00Z"), "t|+14045550100", withNull("city", "phone_raw"),
                withNull("recording_url", "id"), null);

        InboundEvent back = json.readValue(json.writeValueAsString(event), InboundEvent.class);

        assertThat(back.lead()).containsEntry("city", null).containsEntry("phone_raw", "x");
        assertThat(back.call()).containsEntry("recording_url", null);
        assertThat(json.writeValueAsString(event)).doesNotContain("\"rawBody\"");
    }

    @Test
    void enrichedLeadKeepsNullLeadCallAndAiKeys() throws Exception {
        EnrichedLead lead = new EnrichedLead("e1", "t", "twilio", "call_completed", "p", Instant.EPOCH, Instant.EPOCH,
                withNull("email", "phone"), withNull("transcription", "id"), withNull("budget_indicator", "intent"),
                List.of());

        EnrichedLead back = json.readValue(json.writeValueAsString(lead), EnrichedLead.class);

        assertThat(back.lead()).containsEntry("email", null);
        assertThat(back.call()).containsEntry("transcription", null);
        assertThat(back.ai()).containsEntry("budget_indicator", null);
    }
}
