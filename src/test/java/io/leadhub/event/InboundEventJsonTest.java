package io.leadhub.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundEventJsonTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void recordOnlyRoundTrips() throws Exception {
        InboundEvent event = new InboundEvent("e1", "acme", "elevenlabs", "call_initiation_failure", "x", Instant.EPOCH,
                "acme|x", Map.of(), Map.of("outcome", "busy"), "{}", true);
        InboundEvent back = json.readValue(json.writeValueAsString(event), InboundEvent.class);
        assertThat(back).isEqualTo(event);
        assertThat(back.recordOnly()).isTrue();
    }

    @Test
    void eventsJournaledBeforeRecordOnlyExistedAreDelivered() throws Exception {
        String old = """
                {"eventId":"e1","tenant":"acme","source":"callrail","eventType":"post_call","providerEventId":"p",
                 "receivedAt":"2026-11-20T20:00:00Z","partitionKey":"acme|+1","lead":{},"call":{},"rawBody":"{}"}""";
        InboundEvent event = json.readValue(old, InboundEvent.class);
        assertThat(event.recordOnly()).isFalse();
        assertThat(event.providerEventId()).isEqualTo("p");
    }

    @Test
    void theShortConstructorMakesADeliveredEvent() {
        assertThat(new InboundEvent("e", "t", "s", "k", "p", Instant.EPOCH, "t|p", Map.of(), Map.of(), "{}").recordOnly())
                .isFalse();
    }

    @Test
    void nullValuesOfTheMapsSurviveTheJournalWithTheHubsNonNullMapper() throws Exception {
        // application.yaml: spring.jackson.default-property-inclusion=non_null (value and content)
        ObjectMapper hub = new ObjectMapper().registerModule(new JavaTimeModule())
                .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
        java.util.Map<String, Object> call = new java.util.HashMap<>();
        call.put("summary", null);
        java.util.Map<String, Object> lead = new java.util.HashMap<>();
        lead.put("email", null);
        InboundEvent event = new InboundEvent("e1", "acme", "perfex", "lead.created", "p", Instant.EPOCH, "acme|p",
                lead, call, "{}");
        InboundEvent back = hub.readValue(hub.writeValueAsString(event), InboundEvent.class);
        assertThat(back.call()).containsEntry("summary", null);
        assertThat(back.lead()).containsEntry("email", null);

        EnrichedLead enriched = new EnrichedLead("e1", "acme", "perfex", "lead.created", "p", Instant.EPOCH,
                Instant.EPOCH, lead, call, java.util.Collections.singletonMap("lead_score", null), java.util.List.of());
        EnrichedLead backEnriched = hub.readValue(hub.writeValueAsString(enriched), EnrichedLead.class);
        assertThat(backEnriched.call()).containsEntry("summary", null);
        assertThat(backEnriched.lead()).containsEntry("email", null);
        assertThat(backEnriched.ai()).containsEntry("lead_score", null);
    }
}
