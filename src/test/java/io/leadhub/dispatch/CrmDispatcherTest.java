package io.leadhub.dispatch;

import io.leadhub.TestMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.leadhub.TestDatabase;
import io.leadhub.TestSettings;
import io.leadhub.contact.ContactIndex;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.enrich.LeadEnrichment;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.MappingException;
import io.leadhub.tenant.TenantFileLoader;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrmDispatcherTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
    private static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";
    private static final String PHONE = "+14045558514";
    private static final String EMAIL = "jane.doe@example.com";
    private static final long MAX_DELAY_MS = 2000;

    private static final String TENANT_FILE = """
            tenant: acme
            destinations:
              - id: hubspot-main
                type: hubspot
                dry_run: true
                duplicate_detection: { match_fields: [email, phone] }
                field_mappings:
                  firstname: lead.first_name
                  phone: lead.phone
                custom_properties:
                  - { name: ai_lead_score, value: ai.lead_score, type: number }
              - id: hubspot-strict
                type: hubspot
                dry_run: true
                custom_properties:
                  - { name: age, value: lead.first_name, type: number }
            """;

    @TempDir
    Path mappings;
    @TempDir
    Path dataDir;

    private final TestDatabase db = TestDatabase.create();
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final ContactIndex contacts = new ContactIndex(db.jdbc(), Optional.empty());
    private final DeliveryLog log = new DeliveryLog(db.jdbc(), Optional.empty());
    private final FakeConnector hubspot = new FakeConnector("hubspot");

    private TenantRegistry tenants;
    private CrmDispatcher dispatcher;
    private String contactId;

    /** A connector that records its requests and answers with a programmable result or exception. */
    static final class FakeConnector implements CrmConnector {
        private final String type;
        final List<DeliveryRequest> requests = new ArrayList<>();
        Function<DeliveryRequest, DeliveryResult> answer = r -> new DeliveryResult(Outcome.CREATED, "501");

        FakeConnector(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public DeliveryResult deliver(DeliveryRequest request) {
            requests.add(request);
            return answer.apply(request);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(mappings.resolve("acme.yaml"), TENANT_FILE);
        tenants = new TenantRegistry(mappings, new TenantFileLoader(name -> null, "US", Clock.systemUTC(), null));
        assertThat(tenants.errors()).isEmpty();
        dispatcher = dispatcher(List.of(hubspot));
        contactId = contacts.upsert("acme", PHONE, EMAIL, "Jane", "Doe").contactId();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private CrmDispatcher dispatcher(List<CrmConnector> connectors) {
        return new CrmDispatcher(json, tenants, contacts, log, connectors, TestSettings.with(Map.of(
                "leadhub.data-dir", dataDir.toString(),
                "leadhub.retry.max-delay-ms", String.valueOf(MAX_DELAY_MS))), TestMetrics.create(),
                new DestinationCircuitBreakers(50, 10, 30000, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    private EnrichedLead lead() {
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("phone", PHONE);
        person.put("email", EMAIL);
        person.put("first_name", "Jane");
        person.put("last_name", "Doe");
        person.put("contact_id", contactId);
        return new EnrichedLead(EVENT_ID, "acme", "callrail", "post_call", "CAL123", NOW, NOW, person,
                Map.of("duration_seconds", 42L), Map.of("lead_score", 87L), List.of());
    }

    private Exchange exchange(String destination) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(LeadEnrichment.TENANT, "acme");
        exchange.setProperty(CrmDispatcher.DESTINATION, destination);
        exchange.setProperty(CrmDispatcher.LEAD, lead());
        exchange.setProperty(CrmDispatcher.PROPERTIES, Map.of("firstname", "Jane"));
        return exchange;
    }

    private List<Map<String, Object>> deliveries() {
        return db.jdbc().queryForList("SELECT * FROM deliveries ORDER BY id");
    }

    private <T extends Throwable> T thrown(Class<T> type, org.assertj.core.api.ThrowableAssert.ThrowingCallable step) {
        T e = catchThrowableOfType(type, step);
        assertThat(e).as("expected %s", type.getSimpleName()).isNotNull();
        return e;
    }

    // read

    @Test
    void readParsesTheEnrichedLeadAndSetsTheIdempotencyKey() throws Exception {
        String body = json.writeValueAsString(lead());
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(LeadEnrichment.TENANT, "acme");
        exchange.setProperty(CrmDispatcher.DESTINATION, "hubspot-main");
        exchange.getIn().setBody(body);

        dispatcher.read(exchange);

        assertThat(exchange.getProperty(CrmDispatcher.LEAD)).isInstanceOf(EnrichedLead.class);
        assertThat(json.writeValueAsString(exchange.getProperty(CrmDispatcher.LEAD))).isEqualTo(body);
        assertThat(exchange.getProperty(LeadEnrichment.EVENT_ID)).isEqualTo(EVENT_ID);
        assertThat(exchange.getProperty(LeadEnrichment.IDEMPOTENCY_KEY)).isEqualTo("acme|hubspot-main|" + EVENT_ID);
        assertThat(exchange.getProperty(LeadEnrichment.EVENT_JSON)).isEqualTo(body);
    }

    // map

    @Test
    void mapEvaluatesTheDestinationMappingOverTheLead() throws Exception {
        Exchange exchange = exchange("hubspot-main");

        dispatcher.map(exchange);

        assertThat(exchange.getProperty(CrmDispatcher.PROPERTIES, Map.class))
                .containsExactly(Map.entry("firstname", "Jane"), Map.entry("phone", PHONE), Map.entry("ai_lead_score", 87L));
    }

    @Test
    void aMappingErrorIsPermanentAndNamesTheExpression() throws Exception {
        PermanentDeliveryException e = thrown(PermanentDeliveryException.class,
                () -> dispatcher.map(exchange("hubspot-strict")));

        assertThat(e.getMessage())
                .isEqualTo("mapping failed: destinations[1].custom_properties[0].value: string value is not a number");
        assertThat(e.httpStatus()).isZero();
        assertThat(e.responseBody()).isNull();
        assertThat(e.getCause()).isInstanceOf(MappingException.class);
    }

    // deliver: success

    @Test
    void deliverHandsTheConnectorTheMappedLead() throws Exception {
        dispatcher.deliver(exchange("hubspot-main"));

        assertThat(hubspot.requests).singleElement().satisfies(request -> {
            assertThat(request.tenant()).isEqualTo("acme");
            assertThat(request.destination()).isSameAs(tenants.find("acme").orElseThrow().destination("hubspot-main").orElseThrow());
            assertThat(request.eventId()).isEqualTo(EVENT_ID);
            assertThat(request.properties()).isEqualTo(Map.of("firstname", "Jane"));
            assertThat(request.phone()).isEqualTo(PHONE);
            assertThat(request.email()).isEqualTo(EMAIL);
            assertThat(request.knownRecordId()).isNull();
            assertThat(request.dryRunDir()).isEqualTo(dataDir.resolve("dry-run").resolve("acme").resolve("hubspot-main"));
        });
    }

    @Test
    void deliverRecordsTheAttemptAndReturnsTheResult() throws Exception {
        Exchange exchange = exchange("hubspot-main");

        DeliveryResult result = dispatcher.deliver(exchange);

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "501"));
        assertThat(exchange.getProperty(CrmDispatcher.ATTEMPTS)).isEqualTo(1);
        assertThat(deliveries()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("TENANT", "acme").containsEntry("DESTINATION_ID", "hubspot-main")
                .containsEntry("EVENT_ID", EVENT_ID).containsEntry("ATTEMPT", 1).containsEntry("OUTCOME", "created")
                .containsEntry("HTTP_STATUS", null).containsEntry("CRM_RECORD_ID", "501").containsEntry("ERROR", null));
    }

    @Test
    void deliverStoresTheCrmIdSoTheNextDeliveryKnowsTheRecord() throws Exception {
        dispatcher.deliver(exchange("hubspot-main"));
        hubspot.answer = r -> new DeliveryResult(Outcome.UPDATED, r.knownRecordId());

        dispatcher.deliver(exchange("hubspot-main"));

        assertThat(contacts.knownRecordId("acme", "hubspot-main", List.of("phone"), PHONE, null)).contains("501");
        assertThat(hubspot.requests).extracting(DeliveryRequest::knownRecordId).containsExactly(null, "501");
        assertThat(deliveries()).extracting(r -> r.get("OUTCOME")).containsExactly("created", "updated");
    }

    @Test
    void theKnownRecordIdFollowsTheDestinationsMatchFieldOrder() throws Exception {
        String byPhone = contacts.upsert("acme", "+14045550000", null, null, null).contactId();
        contacts.rememberRecordId(byPhone, "hubspot-main", "by-phone");
        contacts.rememberRecordId(contactId, "hubspot-main", "by-email");
        Exchange exchange = exchange("hubspot-main");
        EnrichedLead lead = lead();
        lead.lead().put("phone", "+14045550000");
        exchange.setProperty(CrmDispatcher.LEAD, lead);

        dispatcher.deliver(exchange);

        // hubspot-main matches on [email, phone]
        assertThat(hubspot.requests.get(0).knownRecordId()).isEqualTo("by-email");
    }

    @Test
    void aDryRunWithoutRecordIdRemembersNothing() throws Exception {
        hubspot.answer = r -> new DeliveryResult(Outcome.DRY_RUN, null);

        dispatcher.deliver(exchange("hubspot-main"));

        assertThat(deliveries()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("OUTCOME", "dry_run").containsEntry("CRM_RECORD_ID", null));
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM contact_crm_ids", Integer.class)).isZero();
    }

    @Test
    void theAttemptNumberFollowsCamelsRedeliveryCounter() throws Exception {
        Exchange exchange = exchange("hubspot-main");
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 2);

        dispatcher.deliver(exchange);

        assertThat(exchange.getProperty(CrmDispatcher.ATTEMPTS)).isEqualTo(3);
        assertThat(deliveries()).singleElement().satisfies(row -> assertThat(row).containsEntry("ATTEMPT", 3));
    }

    // deliver: failures

    @Test
    void aPermanentFailureIsRecordedAndRethrown() throws Exception {
        PermanentDeliveryException failure = new PermanentDeliveryException("HubSpot answered 400 VALIDATION_ERROR", 400,
                "{\"category\":\"VALIDATION_ERROR\"}", null);
        hubspot.answer = r -> {
            throw failure;
        };
        Exchange exchange = exchange("hubspot-main");
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, 5000L);

        PermanentDeliveryException e = thrown(PermanentDeliveryException.class, () -> dispatcher.deliver(exchange));

        assertThat(e).isSameAs(failure);
        assertThat(deliveries()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("ATTEMPT", 1).containsEntry("OUTCOME", "failed").containsEntry("HTTP_STATUS", 400)
                .containsEntry("CRM_RECORD_ID", null).containsEntry("ERROR", "HubSpot answered 400 VALIDATION_ERROR"));
        assertThat(exchange.getIn().getHeaders()).doesNotContainKey(Exchange.REDELIVERY_DELAY);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM contact_crm_ids", Integer.class)).isZero();
    }

    @Test
    void aTransientFailureSetsTheRedeliveryDelayToTheCrmsRetryAfter() throws Exception {
        hubspot.answer = r -> {
            throw new TransientDeliveryException("HubSpot answered 429", 429, "{}", Duration.ofMillis(1500), null);
        };
        Exchange exchange = exchange("hubspot-main");
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1);

        thrown(TransientDeliveryException.class, () -> dispatcher.deliver(exchange));

        assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(1500L);
        assertThat(deliveries()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("ATTEMPT", 2).containsEntry("OUTCOME", "failed").containsEntry("HTTP_STATUS", 429));
    }

    @Test
    void aRetryAfterLongerThanTheMaximumDelayIsCapped() throws Exception {
        hubspot.answer = r -> {
            throw new TransientDeliveryException("HubSpot answered 429", 429, "{}", Duration.ofMinutes(10), null);
        };
        Exchange exchange = exchange("hubspot-main");

        thrown(TransientDeliveryException.class, () -> dispatcher.deliver(exchange));

        assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(MAX_DELAY_MS);
    }

    @Test
    void aTransientFailureWithoutRetryAfterLeavesTheBackoffToCamel() throws Exception {
        hubspot.answer = r -> {
            throw new TransientDeliveryException("connection refused", 0, null, null, new java.net.ConnectException());
        };
        Exchange exchange = exchange("hubspot-main");
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, 1500L); // left by an earlier 429

        thrown(TransientDeliveryException.class, () -> dispatcher.deliver(exchange));

        assertThat(exchange.getIn().getHeaders()).doesNotContainKey(Exchange.REDELIVERY_DELAY);
        assertThat(deliveries()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("OUTCOME", "failed").containsEntry("HTTP_STATUS", null)
                .containsEntry("ERROR", "connection refused"));
    }

    @Test
    void aDestinationTypeWithoutConnectorIsPermanent() throws Exception {
        CrmDispatcher withoutHubSpot = dispatcher(List.of(new FakeConnector("perfex")));

        PermanentDeliveryException e = thrown(PermanentDeliveryException.class,
                () -> withoutHubSpot.deliver(exchange("hubspot-main")));

        assertThat(e.getMessage()).isEqualTo("no connector for destination type 'hubspot'");
        assertThat(deliveries()).isEmpty();
    }

    @Test
    void aRemovedTenantIsPermanent() throws IOException {
        Files.delete(mappings.resolve("acme.yaml"));
        tenants.reload();

        PermanentDeliveryException onMap = thrown(PermanentDeliveryException.class,
                () -> dispatcher.map(exchange("hubspot-main")));
        PermanentDeliveryException onDeliver = thrown(PermanentDeliveryException.class,
                () -> dispatcher.deliver(exchange("hubspot-main")));

        assertThat(onMap.getMessage()).isEqualTo("tenant 'acme' is no longer configured");
        assertThat(onDeliver.getMessage()).isEqualTo("tenant 'acme' is no longer configured");
        assertThat(hubspot.requests).isEmpty();
    }

    @Test
    void aRemovedDestinationIsPermanent() throws IOException {
        Files.writeString(mappings.resolve("acme.yaml"), TENANT_FILE.substring(0, TENANT_FILE.indexOf("  - id: hubspot-strict")));
        tenants.reload();
        assertThat(tenants.errors()).isEmpty();

        PermanentDeliveryException onMap = thrown(PermanentDeliveryException.class,
                () -> dispatcher.map(exchange("hubspot-strict")));
        PermanentDeliveryException onDeliver = thrown(PermanentDeliveryException.class,
                () -> dispatcher.deliver(exchange("hubspot-strict")));

        assertThat(onMap.getMessage()).isEqualTo("destination 'hubspot-strict' of tenant 'acme' is no longer configured");
        assertThat(onDeliver.getMessage()).isEqualTo(onMap.getMessage());
        assertThat(hubspot.requests).isEmpty();
    }
}
