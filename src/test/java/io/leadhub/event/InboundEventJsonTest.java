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
}
