package io.leadhub.enrich;

import io.leadhub.TestMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.leadhub.TestDatabase;
import io.leadhub.TestSettings;
import io.leadhub.contact.ContactIndex;
import io.leadhub.enrich.ai.AiAnalysis;
import io.leadhub.enrich.ai.AiAnalyzer;
import io.leadhub.enrich.ai.AnalysisInput;
import io.leadhub.enrich.ai.BudgetIndicator;
import io.leadhub.enrich.ai.Intent;
import io.leadhub.enrich.ai.ProjectType;
import io.leadhub.enrich.ai.Sentiment;
import io.leadhub.enrich.ai.Timeline;
import io.leadhub.enrich.ai.Urgency;
import io.leadhub.event.EnrichedLead;
import io.leadhub.event.InboundEvent;
import io.leadhub.kafka.TopicProvisioner;
import io.leadhub.tenant.TenantFileLoader;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeadEnrichmentTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final Instant RECEIVED = Instant.parse("2026-03-02T15:04:05Z");
    private static final Instant NOW = Instant.parse("2026-03-02T15:04:07Z");
    private static final String EVENT_ID = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";
    private static final AiAnalysis ANALYSIS = new AiAnalysis(Intent.QUOTE_REQUEST, ProjectType.KITCHEN,
            Timeline.ONE_TO_THREE_MONTHS, BudgetIndicator.HIGH, Sentiment.POSITIVE, 87, Urgency.HIGH, "fake",
            List.of("project_type=kitchen: matched 'kitchen'"));

    @TempDir
    Path mappings;

    private final TestDatabase db = TestDatabase.create();
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final ContactIndex contacts = new ContactIndex(db.jdbc(), Optional.empty());
    private final TopicProvisioner topics = mock(TopicProvisioner.class);
    /** What the fake analyser was asked. */
    private final List<AnalysisInput> analysed = new ArrayList<>();
    private final AiAnalyzer analyzer = input -> {
        analysed.add(input);
        return ANALYSIS;
    };

    private LeadEnrichment enrichment;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(mappings.resolve("acme.yaml"), """
                tenant: acme
                destinations:
                  - id: hubspot-main
                    type: hubspot
                    dry_run: true
                """);
        Files.writeString(mappings.resolve("britco.yaml"), """
                tenant: britco
                default_region: GB
                destinations:
                  - id: hubspot-main
                    type: hubspot
                    dry_run: true
                """);
        // tenants without default_region get the loader's default, as leadhub.phone.default-region does in the app
        TenantRegistry tenants = new TenantRegistry(mappings,
                new TenantFileLoader(name -> null, "US", Clock.systemUTC(), null));
        assertThat(tenants.errors()).isEmpty();
        enrichment = new LeadEnrichment(json, tenants, new LeadNormalizer(new PhoneNormalizer()), analyzer, contacts,
                topics, TestSettings.with(Map.of("leadhub.phone.default-region", "DE")), TestMetrics.create(),
                Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private static InboundEvent event(String tenant, Map<String, Object> lead, Map<String, Object> call) {
        return new InboundEvent(EVENT_ID, tenant, "callrail", "post_call", "CAL123", RECEIVED,
                tenant + "|14045558514", lead, call, "{\"id\":\"CAL123\"}");
    }

    private static InboundEvent event(String tenant, String phoneRaw) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("phone_raw", phoneRaw);
        lead.put("full_name", "JANE DOE");
        lead.put("email", " Jane.Doe@Example.com ");
        return event(tenant, lead, Map.of());
    }

    private static Map<String, Object> call(Object transcription, Object duration, Object answered, Object firstCall) {
        Map<String, Object> call = new HashMap<>();
        call.put("transcription", transcription);
        call.put("duration_seconds", duration);
        call.put("answered", answered);
        call.put("first_call", firstCall);
        call.put("source_name", "Google Ads");
        return call;
    }

    private static EnrichedLead enriched(String tenant, String phone, String email) {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("phone", phone);
        lead.put("email", email);
        lead.put("first_name", "Jane");
        lead.put("last_name", "Doe");
        return new EnrichedLead(EVENT_ID, tenant, "callrail", "post_call", "CAL123", RECEIVED, null, lead,
                Map.of("answered", true), ANALYSIS.toMap(), ANALYSIS.reasons());
    }

    // read

    @Test
    void readParsesTheEventAndSetsTheRouteProperties() throws Exception {
        InboundEvent event = event("acme", "(404) 555-8514");
        String body = json.writeValueAsString(event);
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody(body);

        enrichment.read(exchange);

        assertThat(exchange.getMessage().getBody()).isEqualTo(event);
        assertThat(exchange.getProperty(LeadEnrichment.TENANT)).isEqualTo("acme");
        assertThat(exchange.getProperty(LeadEnrichment.EVENT_ID)).isEqualTo(EVENT_ID);
        assertThat(exchange.getProperty(LeadEnrichment.IDEMPOTENCY_KEY)).isEqualTo("acme|callrail|CAL123");
        assertThat(exchange.getProperty(LeadEnrichment.EVENT_JSON)).isEqualTo(body);
    }

    @Test
    void readRejectsARecordThatIsNotAnEventButKeepsItForTheDeadLetter() {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody("not json");

        assertThatThrownBy(() -> enrichment.read(exchange)).isInstanceOf(JsonProcessingException.class);
        assertThat(exchange.getProperty(LeadEnrichment.EVENT_JSON)).isEqualTo("not json");
    }

    // normalise

    @Test
    void normaliseUsesTheDefaultRegionOfTheLoaderForATenantWithoutOne() {
        InboundEvent normalised = enrichment.normalise(event("acme", "(404) 555-8514"));

        assertThat(normalised.lead()).containsEntry("phone", "+14045558514").containsEntry("phone_raw", "(404) 555-8514")
                .containsEntry("first_name", "Jane").containsEntry("last_name", "Doe")
                .containsEntry("email", "jane.doe@example.com");
    }

    @Test
    void normaliseUsesTheTenantsDefaultRegion() {
        InboundEvent normalised = enrichment.normalise(event("britco", "020 7946 0958"));

        assertThat(normalised.lead()).containsEntry("phone", "+442079460958");
    }

    @Test
    void normaliseFallsBackToTheHubsDefaultRegionForAnUnknownTenant() {
        InboundEvent normalised = enrichment.normalise(event("gone", "030 901820"));

        assertThat(normalised.lead()).containsEntry("phone", "+4930901820");
    }

    @Test
    void normaliseKeepsEverythingButTheLead() {
        InboundEvent event = event("acme", "(404) 555-8514");

        InboundEvent normalised = enrichment.normalise(event);

        assertThat(normalised).usingRecursiveComparison().ignoringFields("lead").isEqualTo(event);
    }

    // analyse

    @Test
    void analysePassesTheTranscriptCallMetadataAndTenantToTheAnalyzer() {
        InboundEvent event = event("acme", Map.of("phone", "+14045558514"),
                call("Caller: I want a new kitchen", 125L, true, false));

        EnrichedLead lead = enrichment.analyse(event);

        assertThat(analysed).containsExactly(new AnalysisInput("Caller: I want a new kitchen", 125, true, false, "acme"));
        assertThat(lead.ai()).isEqualTo(ANALYSIS.toMap());
        assertThat(lead.analysisReasons()).isEqualTo(ANALYSIS.reasons());
        assertThat(lead.lead()).isEqualTo(event.lead());
        assertThat(lead.call()).isEqualTo(event.call());
        assertThat(lead.eventId()).isEqualTo(EVENT_ID);
        assertThat(lead.receivedAt()).isEqualTo(RECEIVED);
        assertThat(lead.enrichedAt()).isNull();
    }

    @Test
    void analyseTakesAnIntegerDurationAsReadFromJson() {
        enrichment.analyse(event("acme", Map.of(), call(null, 42, null, null)));

        assertThat(analysed).containsExactly(new AnalysisInput(null, 42, null, null, "acme"));
    }

    @Test
    void analyseWithoutCallDetailsPassesUnknowns() {
        enrichment.analyse(event("acme", Map.of(), Map.of()));

        assertThat(analysed).containsExactly(new AnalysisInput(null, null, null, null, "acme"));
    }

    @Test
    void analyseTreatsANegativeOrHugeDurationAsUnknownInsteadOfFailingTheLead() {
        enrichment.analyse(event("acme", Map.of(), call("kitchen", -5L, true, true)));
        enrichment.analyse(event("acme", Map.of(), call("kitchen", 10_000_000_000L, true, true)));

        assertThat(analysed).containsExactly(new AnalysisInput("kitchen", null, true, true, "acme"),
                new AnalysisInput("kitchen", null, true, true, "acme"));
    }

    @Test
    void analyseTreatsCallFieldsOfTheWrongTypeAsUnknownInsteadOfFailingTheLead() {
        enrichment.analyse(event("acme", Map.of(), call(List.of("kitchen"), "125", "yes", 1)));

        assertThat(analysed).containsExactly(new AnalysisInput(null, null, null, null, "acme"));
    }

    // dedupe

    @Test
    void dedupeMarksAFirstTimeCaller() {
        EnrichedLead lead = enrichment.dedupe(enriched("acme", "+14045558514", "jane.doe@example.com"));

        assertThat(lead.lead()).containsEntry("returning", false).containsEntry("interactions", 1L)
                .containsEntry("source", "callrail").containsEntry("phone", "+14045558514");
        assertThat(lead.contactId()).isNotNull();
        assertThat(lead.enrichedAt()).isEqualTo(NOW);
        assertThat(lead.ai()).isEqualTo(ANALYSIS.toMap());
        assertThat(lead.analysisReasons()).isEqualTo(ANALYSIS.reasons());
        assertThat(db.jdbc().queryForMap("SELECT first_name, last_name FROM contacts WHERE id = ?", lead.contactId()))
                .containsEntry("FIRST_NAME", "Jane").containsEntry("LAST_NAME", "Doe");
    }

    @Test
    void dedupeRecognisesAReturningCallerByPhoneOrEmail() {
        String first = enrichment.dedupe(enriched("acme", "+14045558514", null)).contactId();

        EnrichedLead byPhone = enrichment.dedupe(enriched("acme", "+14045558514", "jane.doe@example.com"));
        EnrichedLead byEmail = enrichment.dedupe(enriched("acme", "+14045550000", "jane.doe@example.com"));

        assertThat(byPhone.contactId()).isEqualTo(first);
        assertThat(byPhone.lead()).containsEntry("returning", true).containsEntry("interactions", 2L);
        assertThat(byEmail.contactId()).isEqualTo(first);
        assertThat(byEmail.lead()).containsEntry("returning", true).containsEntry("interactions", 3L);
    }

    @Test
    void dedupeKeepsTenantsApart() {
        String acme = enrichment.dedupe(enriched("acme", "+14045558514", null)).contactId();

        EnrichedLead other = enrichment.dedupe(enriched("britco", "+14045558514", null));

        assertThat(other.contactId()).isNotEqualTo(acme);
        assertThat(other.lead()).containsEntry("returning", false);
    }

    @Test
    void dedupeCopesWithAnAnalysisWithoutReasons() {
        EnrichedLead lead = enriched("acme", "+14045558514", null);
        EnrichedLead withoutReasons = new EnrichedLead(lead.eventId(), lead.tenant(), lead.source(), lead.eventType(),
                lead.providerEventId(), lead.receivedAt(), null, lead.lead(), lead.call(), lead.ai(), null);

        assertThat(enrichment.dedupe(withoutReasons).analysisReasons()).isEmpty();
    }

    // publish

    @Test
    void publishSerialisesTheLeadForTheTenantsTopicKeyedByPhone() throws Exception {
        when(topics.enrichedTopic("acme")).thenReturn("leads.enriched.acme");
        EnrichedLead lead = enrichment.dedupe(enriched("acme", "+14045558514", "jane.doe@example.com"));
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setBody(lead);

        enrichment.publish(exchange);

        verify(topics).ensure(List.of("leads.enriched.acme"));
        assertThat(exchange.getProperty(LeadEnrichment.ENRICHED_TOPIC)).isEqualTo("leads.enriched.acme");
        assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("acme|+14045558514");
        String body = exchange.getMessage().getBody(String.class);
        assertThat(json.readTree(body)).isEqualTo(json.readTree(json.writeValueAsString(lead)));
        assertThat(json.readValue(body, EnrichedLead.class).contactId()).isEqualTo(lead.contactId());
    }

    @Test
    void publishKeysALeadWithoutPhoneByEmailElseByEventId() throws Exception {
        when(topics.enrichedTopic("acme")).thenReturn("leads.enriched.acme");
        Exchange byEmail = new DefaultExchange(CAMEL);
        byEmail.getIn().setBody(enriched("acme", null, "jane.doe@example.com"));
        Exchange byEvent = new DefaultExchange(CAMEL);
        byEvent.getIn().setBody(enriched("acme", null, null));

        enrichment.publish(byEmail);
        enrichment.publish(byEvent);

        assertThat(byEmail.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("acme|jane.doe@example.com");
        assertThat(byEvent.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("acme|" + EVENT_ID);
    }
}
