package io.leadhub.dispatch.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.DeliverySteps;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.ExpressionEnvironment;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

/** Deal, call and note after the contact, and their idempotence on redelivery. */
class HubSpotEngagementsTest {

    private static final String TOKEN = "pat-na1-engagements-token";
    private static final String PHONE = "+14045558514";
    private static final String EVENT_ID = "11111111-2222-4333-8444-555555555555";
    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final String SEARCH = CONTACTS + "/search";
    private static final String DEALS = "/crm/v3/objects/deals";
    private static final String CALLS = "/crm/v3/objects/calls";
    private static final String NOTES = "/crm/v3/objects/notes";

    private static final String DEAL_BODY = """
            {"properties":{"dealname":"Maria Gonzalez - kitchen","amount":45000,"pipeline":"default",
             "dealstage":"appointmentscheduled"},
             "associations":[{"to":{"id":"151"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]}]}""";
    private static final String CALL_BODY = """
            {"properties":{"hs_timestamp":"2026-11-20T19:54:21Z","hs_call_direction":"INBOUND",
             "hs_call_duration":247000,"hs_call_recording_url":"https://app.callrail.com/calls/CAL1/recording",
             "hs_call_body":"Caller: we want a new kitchen.","hs_call_from_number":"+14045558514",
             "hs_call_to_number":"+14045550101","hs_call_status":"COMPLETED",
             "hs_call_title":"Inbound call (callrail, Google Ads)"},
             "associations":[{"to":{"id":"151"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":194}]}]}""";
    private static final String NOTE_HTML = "<p><strong>LeadHub call analysis</strong></p>"
            + "<p>Kitchen remodel, budget &quot;about $60k&quot;.</p>"
            + "<ul><li>Intent: new_project</li><li>Project type: kitchen</li><li>Lead score: 85</li>"
            + "<li>Urgency: high</li></ul><p>Why: budget mentioned; wants an estimate this week</p>"
            + "<p><em>Analyzer: rules</em></p>";

    private static WireMockServer hubspot;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final DeliverySteps steps = DeliverySteps.inMemory();
    private final HubSpotConnector connector = new HubSpotConnector(RestClient.builder(), mapper, steps);
    private final ExpressionEnvironment cel = ExpressionEnvironment.create(Map.of(), ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));

    @BeforeAll
    static void start() {
        hubspot = new WireMockServer(options().dynamicPort());
        hubspot.start();
    }

    @AfterAll
    static void stop() {
        hubspot.stop();
    }

    @BeforeEach
    void reset() {
        hubspot.resetAll();
        hubspot.stubFor(post(urlEqualTo(SEARCH)).willReturn(okJson("{\"total\":0,\"results\":[]}")));
        hubspot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(201, "{\"id\":\"151\"}")));
        hubspot.stubFor(patch(urlEqualTo(CONTACTS + "/151")).willReturn(okJson("{\"id\":\"151\"}")));
        hubspot.stubFor(post(urlEqualTo(DEALS)).willReturn(json(201, "{\"id\":\"9001\"}")));
        hubspot.stubFor(post(urlEqualTo(CALLS)).willReturn(json(201, "{\"id\":\"9002\"}")));
        hubspot.stubFor(post(urlEqualTo(NOTES)).willReturn(json(201, "{\"id\":\"9003\"}")));
    }

    @Test
    void qualifiedLeadGetsADealACallAndANoteEachAssociatedToTheContact() {
        DeliveryResult result = connector.deliver(request(destination(settings()), EVENT_ID, null));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH, "POST " + CONTACTS, "POST " + DEALS,
                "POST " + CALLS, "POST " + NOTES);
        hubspot.verify(1, postRequestedFor(urlEqualTo(DEALS)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json")).withRequestBody(equalToJson(DEAL_BODY)));
        hubspot.verify(1, postRequestedFor(urlEqualTo(CALLS)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson(CALL_BODY)));
        hubspot.verify(1, postRequestedFor(urlEqualTo(NOTES)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("""
                        {"properties":{"hs_timestamp":"2026-11-20T19:54:21Z","hs_note_body":"%s"},
                         "associations":[{"to":{"id":"151"},"types":[{"associationCategory":"HUBSPOT_DEFINED",
                         "associationTypeId":202}]}]}""".formatted(NOTE_HTML.replace("\"", "\\\"")))));
        assertThat(steps.find("acme", "hubspot-main", EVENT_ID, "contact")).hasValueSatisfying(s ->
                assertThat(s.crmRecordId()).isEqualTo("151"));
        assertThat(steps.find("acme", "hubspot-main", "contact:151", "deal")).hasValueSatisfying(s ->
                assertThat(s.crmRecordId()).isEqualTo("9001"));
    }

    @Test
    void leadThatDoesNotQualifyGetsNoDeal() {
        Map<String, Object> settings = settings();
        settings.put("deal_when", cel.compile("deal_when", "ai.lead_score != null && ai.lead_score >= 90",
                ExpressionEnvironment.Expect.BOOL));

        connector.deliver(request(destination(settings), EVENT_ID, null));

        assertThat(requestLog()).containsExactly("POST " + SEARCH, "POST " + CONTACTS, "POST " + CALLS,
                "POST " + NOTES);
    }

    @Test
    void redeliveryAfterAFailedCallCreatesOnlyWhatIsMissing() {
        hubspot.stubFor(post(urlEqualTo(CALLS)).willReturn(json(503, "{\"status\":\"error\",\"message\":\"busy\"}")));
        DestinationConfig destination = destination(settings());

        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination, EVENT_ID, null)));
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.getMessage()).contains("log call", CALLS);

        hubspot.stubFor(post(urlEqualTo(CALLS)).willReturn(json(201, "{\"id\":\"9002\"}")));
        DeliveryResult retry = connector.deliver(request(destination, EVENT_ID, null));

        assertThat(retry).isEqualTo(new DeliveryResult(Outcome.CREATED, "151"));
        assertThat(requestLog()).containsExactly("POST " + SEARCH, "POST " + CONTACTS, "POST " + DEALS,
                "POST " + CALLS, "POST " + CALLS, "POST " + NOTES);
    }

    @Test
    void aLaterEventOfTheSameContactLogsItsCallAndNoteButNoSecondDeal() {
        DestinationConfig destination = destination(settings());
        connector.deliver(request(destination, EVENT_ID, null));
        hubspot.resetRequests();

        DeliveryResult second = connector.deliver(request(destination, "second-event", "151"));

        assertThat(second).isEqualTo(new DeliveryResult(Outcome.UPDATED, "151"));
        assertThat(requestLog()).containsExactly("PATCH " + CONTACTS + "/151", "POST " + CALLS, "POST " + NOTES);
    }

    @Test
    void dealPerEventCreatesADealForEveryQualifyingEvent() {
        Map<String, Object> settings = settings();
        settings.put("deal_per", "event");
        settings.put("log_call", false);
        settings.put("log_note", false);
        DestinationConfig destination = destination(settings);

        connector.deliver(request(destination, EVENT_ID, null));
        connector.deliver(request(destination, "second-event", "151"));

        hubspot.verify(2, postRequestedFor(urlEqualTo(DEALS)));
    }

    @Test
    void dealNameExpressionPipelineStageAndAssociationIdsAreConfigurable() {
        Map<String, Object> settings = settings();
        settings.put("deal_name", cel.compile("deal_name", "'Remodel: ' + lead.full_name", ExpressionEnvironment.Expect.ANY));
        settings.put("deal_pipeline", "7654321");
        settings.put("deal_stage", "qualifiedtobuy");
        settings.put("association_type_ids", Map.of("deal_to_contact", 5L, "call_to_contact", 206L,
                "note_to_contact", 190L));

        connector.deliver(request(destination(settings), EVENT_ID, null));

        hubspot.verify(postRequestedFor(urlEqualTo(DEALS))
                .withRequestBody(matchingJsonPath("$.properties.dealname", equalTo("Remodel: Maria Gonzalez")))
                .withRequestBody(matchingJsonPath("$.properties.pipeline", equalTo("7654321")))
                .withRequestBody(matchingJsonPath("$.properties.dealstage", equalTo("qualifiedtobuy")))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("5"))));
        hubspot.verify(postRequestedFor(urlEqualTo(CALLS))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("206"))));
        hubspot.verify(postRequestedFor(urlEqualTo(NOTES))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("190"))));
    }

    @Test
    void invalidDealIsPermanentAndTheContactIsNotWrittenAgainOnReplay() {
        hubspot.stubFor(post(urlEqualTo(DEALS)).willReturn(json(400, """
                {"status":"error","message":"Property values were not valid: dealstage","category":"VALIDATION_ERROR"}""")));
        DestinationConfig destination = destination(settings());

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination, EVENT_ID, null)));
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("create deal", "VALIDATION_ERROR");

        hubspot.stubFor(post(urlEqualTo(DEALS)).willReturn(json(201, "{\"id\":\"9001\"}")));
        connector.deliver(request(destination, EVENT_ID, null));
        hubspot.verify(1, postRequestedFor(urlEqualTo(CONTACTS)));
        hubspot.verify(1, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void dealConditionThatFailsForTheLeadIsPermanent() {
        Map<String, Object> settings = settings();
        settings.put("deal_when", cel.compile("destinations[0].deal_when", "ai.lead_score > 80",
                ExpressionEnvironment.Expect.BOOL));
        EnrichedLead event = event();
        event.ai().put("lead_score", null);

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(new DeliveryRequest("acme", destination(settings), EVENT_ID, properties(),
                        PHONE, null, null, dryRunDir, event)));

        assertThat(e.getMessage()).startsWith("HubSpot deal: ").contains("deal_when");
    }

    @Test
    void dryRunWritesTheDealCallAndNoteRequestsToo() throws IOException {
        DestinationConfig destination = new DestinationConfig("hubspot-main", "hubspot", true,
                URI.create("https://api.hubapi.com"), Secret.of(TOKEN), DryRun.ON, DuplicateDetection.DEFAULT,
                LeadMapping.empty(), settings());

        assertThat(connector.deliver(request(destination, EVENT_ID, null)).outcome()).isEqualTo(Outcome.DRY_RUN);

        assertThat(hubspot.getAllServeEvents()).isEmpty();
        try (Stream<Path> files = Files.list(dryRunDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    EVENT_ID + "-01-search-phone.json", EVENT_ID + "-02-create.json", EVENT_ID + "-03-deal.json",
                    EVENT_ID + "-04-call.json", EVENT_ID + "-05-note.json");
        }
        JsonNode deal = mapper.readTree(dryRunDir.resolve(EVENT_ID + "-03-deal.json").toFile());
        assertThat(deal.at("/body/associations/0/to/id").asText()).isEqualTo("{contactId}");
        assertThat(deal.path("url").asText()).isEqualTo("https://api.hubapi.com" + DEALS);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("deal_when", cel.compile("deal_when", "ai.lead_score != null && ai.lead_score >= 80",
                ExpressionEnvironment.Expect.BOOL));
        settings.put("deal_name", cel.compile("deal_name", "lead.full_name + ' - ' + ai.project_type",
                ExpressionEnvironment.Expect.ANY));
        settings.put("deal_amount_property", "estimated_value");
        settings.put("log_call", true);
        settings.put("log_note", true);
        return settings;
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("hubspot-main", "hubspot", true, URI.create(hubspot.baseUrl()), Secret.of(TOKEN),
                DryRun.OFF, new DuplicateDetection(List.of("phone"), DuplicateAction.UPDATE_EXISTING),
                LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination, String eventId, String knownRecordId) {
        return new DeliveryRequest("acme", destination, eventId, properties(), PHONE, null, knownRecordId, dryRunDir,
                event());
    }

    private static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("phone", PHONE);
        properties.put("firstname", "Maria");
        properties.put("estimated_value", 45000L);
        return properties;
    }

    private static EnrichedLead event() {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("phone", PHONE);
        lead.put("full_name", "Maria Gonzalez");
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", "CAL1");
        call.put("direction", "inbound");
        call.put("duration_seconds", 247);
        call.put("recording_url", "https://app.callrail.com/calls/CAL1/recording");
        call.put("transcription", "Caller: we want a new kitchen.");
        call.put("summary", "Kitchen remodel, budget \"about $60k\".");
        call.put("source_name", "Google Ads");
        call.put("tracking_phone_number", "+14045550101");
        call.put("business_phone_number", "+17703334444");
        call.put("start_time", "2026-11-20T14:54:21.000-05:00");
        Map<String, Object> ai = new LinkedHashMap<>();
        ai.put("intent", "new_project");
        ai.put("project_type", "kitchen");
        ai.put("timeline", null);
        ai.put("lead_score", 85);
        ai.put("urgency", "high");
        ai.put("analyzer", "rules");
        return new EnrichedLead(EVENT_ID, "acme", "callrail", "post_call", "post_call:CAL1",
                Instant.parse("2026-11-20T19:58:28Z"), Instant.parse("2026-11-20T19:58:29Z"), lead, call, ai,
                List.of("budget mentioned", "wants an estimate this week"));
    }

    /** Requests received, oldest first, as "METHOD path". */
    private static List<String> requestLog() {
        List<ServeEvent> events = new ArrayList<>(hubspot.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl()).toList();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
