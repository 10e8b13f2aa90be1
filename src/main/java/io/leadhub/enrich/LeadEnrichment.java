package io.leadhub.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.config.LeadHubProperties;
import io.leadhub.contact.ContactIndex;
import io.leadhub.enrich.ai.AiAnalysis;
import io.leadhub.enrich.ai.AiAnalyzer;
import io.leadhub.enrich.ai.AnalysisInput;
import io.leadhub.event.EnrichedLead;
import io.leadhub.event.InboundEvent;
import io.leadhub.kafka.TopicProvisioner;
import io.leadhub.ops.LeadHubMetrics;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code lead-enrich} route, one public method per step id: {@link #read} →
 * (idempotent consumer) → {@link #normalise} → {@link #analyse} → {@link #dedupe} → {@link #publish}.
 * Stateless; each method takes the previous step's body and returns the next.
 */
@Component("leadEnrichment")
public class LeadEnrichment {

    /** Exchange property: tenant id of the event being processed. */
    public static final String TENANT = "leadhubTenant";
    /** Exchange property: idempotency key {@code tenant|source|provider event id}. */
    public static final String IDEMPOTENCY_KEY = "leadhubIdempotencyKey";
    /** Exchange property: LeadHub event id. */
    public static final String EVENT_ID = "leadhubEventId";
    /** Exchange property: the tenant's enriched-lead topic, target of the {@code to-kafka-enriched} step. */
    public static final String ENRICHED_TOPIC = "leadhubEnrichedTopic";
    /** Exchange property: the event as consumed (JSON), kept for the dead letter channel. */
    public static final String EVENT_JSON = "leadhubEventJson";
    /** Exchange property: true for a record-only event ({@link InboundEvent#recordOnly()}), which is not delivered. */
    public static final String RECORD_ONLY = "leadhubRecordOnly";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeadEnrichment.class);

    private final ObjectMapper json;
    private final TenantRegistry tenants;
    private final LeadNormalizer normalizer;
    private final AiAnalyzer analyzer;
    private final ContactIndex contacts;
    private final TopicProvisioner topics;
    private final LeadHubProperties props;
    private final LeadHubMetrics metrics;
    private final Clock clock;

    /**
     * @param json       Jackson mapper
     * @param tenants    tenant files (default region per tenant)
     * @param normalizer person field normaliser
     * @param analyzer   call analyser
     * @param contacts   contact index
     * @param topics     topic names and creation
     * @param props      LeadHub settings (default region)
     * @param metrics    enriched-event counter
     * @param clock      optional clock
     */
    public LeadEnrichment(ObjectMapper json, TenantRegistry tenants, LeadNormalizer normalizer, AiAnalyzer analyzer,
                          ContactIndex contacts, TopicProvisioner topics, LeadHubProperties props,
                          LeadHubMetrics metrics, Optional<Clock> clock) {
        this.json = json;
        this.tenants = tenants;
        this.normalizer = normalizer;
        this.analyzer = analyzer;
        this.contacts = contacts;
        this.topics = topics;
        this.props = props;
        this.metrics = metrics;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Step {@code read-event}.
     *
     * @param exchange body = {@link InboundEvent} JSON from {@code leads.inbound}; afterwards body = the event and
     *                 properties {@value #TENANT}, {@value #EVENT_ID}, {@value #IDEMPOTENCY_KEY}, {@value #EVENT_JSON},
     *                 {@value #RECORD_ONLY}
     * @throws JsonProcessingException when the record is not an InboundEvent (dead-lettered, not retried)
     */
    public void read(Exchange exchange) throws JsonProcessingException {
        String body = exchange.getIn().getBody(String.class);
        exchange.setProperty(EVENT_JSON, body);
        InboundEvent event = json.readValue(body, InboundEvent.class);
        exchange.setProperty(TENANT, event.tenant());
        exchange.setProperty(EVENT_ID, event.eventId());
        exchange.setProperty(IDEMPOTENCY_KEY, event.idempotencyKey());
        exchange.setProperty(RECORD_ONLY, event.recordOnly());
        exchange.getMessage().setBody(event);
    }

    /**
     * Step {@code record-event}: a record-only event (e.g. an ElevenLabs {@code call_initiation_failure}) is
     * journaled and marked processed, but neither enriched nor delivered; this logs that it was recorded.
     *
     * @param event the record-only event
     */
    public void recorded(InboundEvent event) {
        Object outcome = event.call() == null ? null : event.call().get("outcome");
        LOG.info("Recorded {} {} event {} for tenant {} (provider event {}{}); record-only, not delivered to CRMs",
                event.source(), event.eventType(), event.eventId(), event.tenant(), event.providerEventId(),
                outcome == null ? "" : ", outcome " + outcome);
    }

    /**
     * Step {@code normalise}: E.164 phone, split name, lower-case e-mail.
     *
     * @param event the inbound event
     * @return the same event with a normalised {@code lead} map
     */
    public InboundEvent normalise(InboundEvent event) {
        String region = tenants.find(event.tenant()).map(TenantConfig::defaultRegion)
                .orElse(props.phone().defaultRegion());
        Map<String, Object> lead = normalizer.normalise(event.lead(), region);
        return new InboundEvent(event.eventId(), event.tenant(), event.source(), event.eventType(),
                event.providerEventId(), event.receivedAt(), event.partitionKey(), lead, event.call(), event.rawBody(),
                event.recordOnly());
    }

    /**
     * Step {@code analyse}: runs the call analyser on the transcription, with the event's tenant (which selects the
     * tenant's {@code ai.llm} settings).
     *
     * <p>Call fields the analyser cannot use are passed as unknown (null) rather than failing the lead: a
     * {@code transcription} that is not a string, a {@code duration_seconds} that is not a number of seconds in
     * {@code 0..Integer.MAX_VALUE} (a provider may send {@code "-1"}), {@code answered}/{@code first_call} that
     * are not booleans.
     *
     * @param event normalised event
     * @return the enriched lead with its {@code ai} map
     */
    public EnrichedLead analyse(InboundEvent event) {
        Map<String, Object> call = event.call();
        AiAnalysis analysis = analyzer.analyze(new AnalysisInput(
                call.get("transcription") instanceof String s ? s : null,
                durationSeconds(call.get("duration_seconds")),
                call.get("answered") instanceof Boolean b ? b : null,
                call.get("first_call") instanceof Boolean b ? b : null,
                event.tenant()));
        return new EnrichedLead(event.eventId(), event.tenant(), event.source(), event.eventType(),
                event.providerEventId(), event.receivedAt(), null, event.lead(), call, analysis.toMap(),
                analysis.reasons());
    }

    private static Integer durationSeconds(Object value) {
        if (value instanceof Number n) {
            long seconds = n.longValue();
            if (seconds >= 0 && seconds <= Integer.MAX_VALUE) {
                return (int) seconds;
            }
        }
        return null;
    }

    /**
     * Step {@code dedupe}: matches the lead against the contact index (phone, then e-mail) and records it.
     *
     * @param lead enriched lead
     * @return the lead with {@code contact_id}, {@code returning} and {@code source} set and {@code enrichedAt} stamped
     */
    public EnrichedLead dedupe(EnrichedLead lead) {
        Map<String, Object> person = new LinkedHashMap<>(lead.lead());
        ContactIndex.Match match = contacts.upsert(lead.tenant(), (String) person.get("phone"),
                (String) person.get("email"), (String) person.get("first_name"), (String) person.get("last_name"));
        person.put("contact_id", match.contactId());
        person.put("returning", match.returning());
        person.put("interactions", (long) match.interactions());
        person.put("source", lead.source());
        return new EnrichedLead(lead.eventId(), lead.tenant(), lead.source(), lead.eventType(),
                lead.providerEventId(), lead.receivedAt(), clock.instant(), person, lead.call(), lead.ai(),
                lead.analysisReasons() == null ? List.of() : lead.analysisReasons());
    }

    /**
     * The enrichment of {@link #normalise}, {@link #analyse} and {@link #dedupe} without writing anything: the
     * contact index is only read. Used by the mapping preview.
     *
     * @param event a parsed inbound event
     * @return the lead as dispatch would see it ({@code returning} true when the contact is already known)
     */
    public EnrichedLead preview(InboundEvent event) {
        EnrichedLead lead = analyse(normalise(event));
        Map<String, Object> person = new LinkedHashMap<>(lead.lead());
        String contactId = contacts.match(lead.tenant(), (String) person.get("phone"), (String) person.get("email")).orElse(null);
        person.put("contact_id", contactId);
        person.put("returning", contactId != null);
        person.put("interactions", null);
        person.put("source", lead.source());
        return new EnrichedLead(lead.eventId(), lead.tenant(), lead.source(), lead.eventType(), lead.providerEventId(),
                lead.receivedAt(), clock.instant(), person, lead.call(), lead.ai(), lead.analysisReasons());
    }

    /**
     * Step {@code prepare-publish}: serialises the lead for {@code leads.enriched.<tenant>}.
     *
     * @param exchange body = {@link EnrichedLead}; afterwards body = JSON, header {@code kafka.KEY} =
     *                 {@code tenant|phone} (else e-mail, else event id), property {@value #ENRICHED_TOPIC} = the
     *                 tenant's topic (created if missing)
     * @throws JsonProcessingException never in practice
     */
    public void publish(Exchange exchange) throws JsonProcessingException {
        EnrichedLead lead = exchange.getIn().getBody(EnrichedLead.class);
        String topic = topics.enrichedTopic(lead.tenant());
        topics.ensure(List.of(topic));
        String who = lead.phone() != null ? lead.phone() : lead.email() != null ? lead.email() : lead.eventId();
        exchange.getMessage().setHeader(KafkaConstants.KEY, lead.tenant() + "|" + who);
        exchange.setProperty(ENRICHED_TOPIC, topic);
        exchange.getMessage().setBody(json.writeValueAsString(lead));
        metrics.eventEnriched(lead.tenant(), lead.source());
    }
}
