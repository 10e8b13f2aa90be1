package io.leadhub.deadletter;

import io.leadhub.TestMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.TestDatabase;
import io.leadhub.dispatch.CrmDispatcher;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.enrich.LeadEnrichment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterRecorderTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
    private static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";
    private static final String EVENT_JSON = "{\"eventId\":\"" + EVENT_ID + "\",\"tenant\":\"acme\"}";
    private static final String ROUTE = "crm-dispatch-acme-hubspot-main";
    private static final String HUBSPOT_ERROR = """
            {"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR"}""";

    private final TestDatabase db = TestDatabase.create();
    private final ObjectMapper json = new ObjectMapper();
    private final DeadLetterRecorder recorder =
            new DeadLetterRecorder(db.jdbc(), json, TestMetrics.create(), Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    /** An exchange as the dead letter channel hands it over after a dispatch route gave up. */
    private static Exchange failedDelivery(Throwable error) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, error);
        exchange.setProperty(Exchange.FAILURE_ROUTE_ID, ROUTE);
        exchange.setProperty(LeadEnrichment.TENANT, "acme");
        exchange.setProperty(CrmDispatcher.DESTINATION, "hubspot-main");
        exchange.setProperty(LeadEnrichment.EVENT_ID, EVENT_ID);
        exchange.setProperty(LeadEnrichment.EVENT_JSON, EVENT_JSON);
        exchange.getIn().setBody("mapped properties, not the event");
        return exchange;
    }

    private Map<String, Object> row() {
        return db.jdbc().queryForMap("SELECT * FROM dead_letters");
    }

    private JsonNode dlq(Exchange exchange) throws Exception {
        return json.readTree(exchange.getMessage().getBody(String.class));
    }

    @Test
    void recordsAPermanentCrmFailureWithTheCrmBodyAndTheAttempts() throws Exception {
        Exchange exchange = failedDelivery(new PermanentDeliveryException("HubSpot answered 400", 400, HUBSPOT_ERROR, null));
        exchange.setProperty(CrmDispatcher.ATTEMPTS, 1);

        recorder.record(exchange);

        Map<String, Object> row = row();
        assertThat(row).containsEntry("TENANT", "acme").containsEntry("DESTINATION_ID", "hubspot-main")
                .containsEntry("ROUTE_ID", ROUTE).containsEntry("EVENT_ID", EVENT_ID).containsEntry("EVENT", EVENT_JSON)
                .containsEntry("ERROR_TYPE", PermanentDeliveryException.class.getName())
                .containsEntry("ERROR", "HubSpot answered 400").containsEntry("HTTP_STATUS", 400)
                .containsEntry("RESPONSE_BODY", HUBSPOT_ERROR).containsEntry("ATTEMPTS", 1)
                .containsEntry("STATUS", "open");
        assertThat(((OffsetDateTime) row.get("CREATED_AT")).toInstant()).isEqualTo(NOW);
    }

    @Test
    void takesTheAttemptsCountedByTheDeliverStep() throws Exception {
        Exchange exchange = failedDelivery(new TransientDeliveryException("HubSpot answered 503", 503, "busy", null, null));
        exchange.setProperty(CrmDispatcher.ATTEMPTS, 6);
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 2);

        recorder.record(exchange);

        assertThat(row()).containsEntry("ATTEMPTS", 6).containsEntry("HTTP_STATUS", 503).containsEntry("RESPONSE_BODY", "busy");
    }

    @Test
    void withoutCountedAttemptsUsesTheRedeliveryCounter() throws Exception {
        Exchange exchange = failedDelivery(new IllegalStateException("broken"));
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 3);

        recorder.record(exchange);

        assertThat(row()).containsEntry("ATTEMPTS", 4);
    }

    @Test
    void aFailureOutsideDeliveryCountsOneAttemptWithoutHttpDetails() throws Exception {
        Exchange exchange = failedDelivery(new com.fasterxml.jackson.core.JsonParseException(null, "not JSON"));

        recorder.record(exchange);

        assertThat(row()).containsEntry("ATTEMPTS", 1).containsEntry("HTTP_STATUS", null)
                .containsEntry("RESPONSE_BODY", null)
                .containsEntry("ERROR_TYPE", "com.fasterxml.jackson.core.JsonParseException");
    }

    @Test
    void aTransientFailureWithoutResponseHasNoHttpStatus() throws Exception {
        Exchange exchange = failedDelivery(new TransientDeliveryException("connection refused", 0, null,
                Duration.ofSeconds(1), new java.net.ConnectException("refused")));

        recorder.record(exchange);

        assertThat(row()).containsEntry("HTTP_STATUS", null).containsEntry("RESPONSE_BODY", null);
    }

    @Test
    void withoutTheEventPropertyStoresTheBody() throws Exception {
        Exchange exchange = failedDelivery(new IllegalStateException("broken"));
        exchange.removeProperty(LeadEnrichment.EVENT_JSON);
        exchange.getIn().setBody("{\"raw\":true}");

        recorder.record(exchange);

        assertThat(row()).containsEntry("EVENT", "{\"raw\":true}");
    }

    @Test
    void cutsALongErrorMessageTo4000Characters() throws Exception {
        Exchange exchange = failedDelivery(new IllegalStateException("m".repeat(5000)));

        recorder.record(exchange);

        assertThat((String) row().get("ERROR")).hasSize(4000);
        assertThat(dlq(exchange).get("error").asText()).hasSize(4000);
    }

    @Test
    void anExceptionWithoutMessageRecordsNoMessage() throws Exception {
        Exchange exchange = failedDelivery(new NullPointerException());

        recorder.record(exchange);

        assertThat(row()).containsEntry("ERROR", null).containsEntry("ERROR_TYPE", "java.lang.NullPointerException");
        assertThat(dlq(exchange).get("error").isNull()).isTrue();
    }

    @Test
    void theDlqRecordIsJsonKeyedByTenant() throws Exception {
        Exchange exchange = failedDelivery(new PermanentDeliveryException("HubSpot answered 400", 400, HUBSPOT_ERROR, null));
        exchange.setProperty(CrmDispatcher.ATTEMPTS, 2);
        exchange.getMessage().setHeader(KafkaConstants.OVERRIDE_TOPIC, "leads.enriched.acme");

        recorder.record(exchange);

        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("acme");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey(KafkaConstants.OVERRIDE_TOPIC);
        assertThat(json.writeValueAsString(dlq(exchange))).isEqualTo(json.writeValueAsString(json.readTree("""
                {"tenant":"acme","destination":"hubspot-main","routeId":"crm-dispatch-acme-hubspot-main",
                 "eventId":"5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c","attempts":2,
                 "errorType":"io.leadhub.dispatch.PermanentDeliveryException","error":"HubSpot answered 400",
                 "httpStatus":400,"responseBody":%s,"failedAt":"2026-03-02T15:04:05Z","event":%s}"""
                .formatted(json.writeValueAsString(HUBSPOT_ERROR), json.writeValueAsString(EVENT_JSON)))));
    }

    @Test
    void aFailureBeforeTheTenantIsKnownIsKeyedUnknown() throws Exception {
        Exchange exchange = failedDelivery(new IllegalStateException("unreadable record"));
        exchange.removeProperty(LeadEnrichment.TENANT);
        exchange.removeProperty(CrmDispatcher.DESTINATION);
        exchange.removeProperty(LeadEnrichment.EVENT_ID);
        exchange.setProperty(Exchange.FAILURE_ROUTE_ID, "lead-enrich");

        recorder.record(exchange);

        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("unknown");
        assertThat(row()).containsEntry("TENANT", null).containsEntry("DESTINATION_ID", null)
                .containsEntry("EVENT_ID", null).containsEntry("ROUTE_ID", "lead-enrich");
        assertThat(dlq(exchange).get("tenant").isNull()).isTrue();
    }
}
