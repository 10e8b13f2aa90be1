package io.leadhub.inbound;

import io.leadhub.TestMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.leadhub.TestDatabase;
import io.leadhub.event.InboundEvent;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InboundJournalTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
    private static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";

    private final TestDatabase db = TestDatabase.create();
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    private final InboundJournal journal =
            new InboundJournal(json, db.jdbc(), producer, TestMetrics.create(), Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));

    /** What the fake Kafka producer route acknowledged, in order: payload and key. */
    private final List<List<String>> sent = new ArrayList<>();
    /** Payloads the fake Kafka producer route refuses. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void fakeKafkaProducerRoute() {
        doAnswer(call -> {
            String payload = call.getArgument(1);
            if (refused.contains(payload)) {
                throw new CamelExecutionException("Kafka: Topic leads.inbound not present in metadata after 5000 ms",
                        null);
            }
            sent.add(List.of(payload, call.getArgument(3)));
            return null;
        }).when(producer).sendBodyAndHeader(eq(InboundJournal.KAFKA_PRODUCER), any(), eq(KafkaConstants.KEY), anyString());
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private static InboundEvent event() {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("phone_raw", "+14045558514");
        lead.put("full_name", "JANE DOE");
        return new InboundEvent(EVENT_ID, "acme", "callrail", "post_call", "CAL123", NOW, "acme|14045558514", lead,
                Map.of("duration_seconds", 42), "{\"id\":\"CAL123\"}");
    }

    private void spooled(String eventId, String key, String payload) {
        db.jdbc().update("INSERT INTO inbound_spool (event_id, kafka_key, payload, created_at) VALUES (?, ?, ?, ?)",
                eventId, key, payload, Timestamp.from(NOW));
    }

    private List<String> spoolPayloads() {
        return db.jdbc().queryForList("SELECT payload FROM inbound_spool ORDER BY id", String.class);
    }

    @Test
    void prepareTurnsTheEventIntoJsonKeyedByTenantAndPhone() throws Exception {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody(event());

        journal.prepare(exchange);

        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("acme|14045558514");
        assertThat(exchange.getProperty(InboundJournal.EVENT_ID)).isEqualTo(EVENT_ID);
        String body = exchange.getMessage().getBody(String.class);
        assertThat(json.readValue(body, InboundEvent.class)).isEqualTo(event());
        assertThat(json.readTree(body).get("receivedAt").asText()).isEqualTo("2026-03-02T15:04:05Z");
    }

    @Test
    void spoolWritesThePreparedEventToTheDatabase() throws Exception {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody(event());
        journal.prepare(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new org.apache.kafka.common.errors.TimeoutException("no broker"));

        journal.spool(exchange);

        Map<String, Object> row = db.jdbc().queryForMap("SELECT * FROM inbound_spool");
        assertThat(row).containsEntry("EVENT_ID", EVENT_ID).containsEntry("KAFKA_KEY", "acme|14045558514")
                .containsEntry("PAYLOAD", json.writeValueAsString(event()));
        assertThat(((OffsetDateTime) row.get("CREATED_AT")).toInstant()).isEqualTo(NOW);
        verifyNoInteractions(producer);
    }

    @Test
    void acceptedAnswers202WithTheEventIdOnly() {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(InboundJournal.EVENT_ID, EVENT_ID);
        exchange.getMessage().setHeader(KafkaConstants.KEY, "acme|14045558514");
        exchange.getMessage().setHeader("Signature", "c2ln");
        exchange.getMessage().setBody("{\"eventId\":\"x\",\"lead\":{\"phone_raw\":\"+14045558514\"}}");

        journal.accepted(exchange);

        assertThat(exchange.getMessage().getHeaders())
                .containsOnly(Map.entry(Exchange.HTTP_RESPONSE_CODE, 202), Map.entry(Exchange.CONTENT_TYPE, "application/json"));
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"eventId\":\"" + EVENT_ID + "\"}");
    }

    @Test
    void drainMovesSpooledEventsToKafkaOldestFirst() {
        spooled("e1", "acme|1", "{\"n\":1}");
        spooled("e2", "acme|2", "{\"n\":2}");
        spooled("e3", "globex|3", "{\"n\":3}");

        int moved = journal.drain();

        assertThat(moved).isEqualTo(3);
        assertThat(sent).containsExactly(List.of("{\"n\":1}", "acme|1"), List.of("{\"n\":2}", "acme|2"),
                List.of("{\"n\":3}", "globex|3"));
        assertThat(spoolPayloads()).isEmpty();
    }

    @Test
    void drainStopsAtTheFirstFailureAndLeavesTheRestForTheNextRun() {
        spooled("e1", "acme|1", "{\"n\":1}");
        spooled("e2", "acme|2", "{\"n\":2}");
        spooled("e3", "acme|3", "{\"n\":3}");
        refused.add("{\"n\":2}");

        int moved = journal.drain();

        assertThat(moved).isEqualTo(1);
        assertThat(sent).containsExactly(List.of("{\"n\":1}", "acme|1"));
        assertThat(spoolPayloads()).containsExactly("{\"n\":2}", "{\"n\":3}");

        refused.clear();
        assertThat(journal.drain()).isEqualTo(2);
        assertThat(sent).extracting(s -> s.get(0)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(spoolPayloads()).isEmpty();
    }

    @Test
    void drainOfAnEmptySpoolSendsNothing() {
        assertThat(journal.drain()).isZero();
        verifyNoInteractions(producer);
    }

    @Test
    void drainMovesAtMostOneHundredEventsPerRun() {
        for (int i = 1; i <= 101; i++) {
            spooled("e" + i, "acme|" + i, "{\"n\":" + i + "}");
        }

        assertThat(journal.drain()).isEqualTo(100);
        assertThat(spoolPayloads()).containsExactly("{\"n\":101}");
        assertThat(journal.drain()).isEqualTo(1);
    }
}
