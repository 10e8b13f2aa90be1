package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A qualified CallRail call becomes a HubSpot contact with a deal, a call engagement and an AI-summary note; the
 * call engagement fails once, and the redelivery creates only the call and the note.
 */
class CallRailToHubSpotDealTest extends HubIntegrationTest {

    private static final String CONTACTS = "/crm/v3/objects/contacts";

    @Test
    void qualifiedCallGetsContactDealCallAndNoteWithoutDuplicatesAfterARetry() {
        String phone = uniquePhone();
        String contactId = "8" + phone.substring(5);
        String scenario = "deal-call-" + phone;
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS + "/search")).withRequestBody(containing(phone))
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(phone))
                .willReturn(created("{\"id\":\"" + contactId + "\"}")));
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/deals")).withRequestBody(containing(contactId))
                .willReturn(created("{\"id\":\"d" + contactId + "\"}")));
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/calls")).withRequestBody(containing(contactId))
                .inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(502).withBody("{\"status\":\"error\"}")).willSetStateTo("up"));
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/calls")).withRequestBody(containing(contactId))
                .inScenario(scenario).whenScenarioStateIs("up").willReturn(created("{\"id\":\"c" + contactId + "\"}")));
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/notes")).withRequestBody(containing(contactId))
                .willReturn(created("{\"id\":\"n" + contactId + "\"}")));

        String eventId = eventId(postCallRail("dealco", postCallBody(phone)));
        List<Map<String, Object>> rows = awaitDelivery(eventId, "created");

        assertThat(rows).extracting(r -> r.get("outcome"), r -> r.get("http_status"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("failed", 502),
                        org.assertj.core.groups.Tuple.tuple("created", null));
        assertThat(rows.get(1)).containsEntry("crm_record_id", contactId);
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS + "/search")).withRequestBody(containing(phone)));
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(phone)));
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/deals"))
                .withHeader("Authorization", equalTo("Bearer " + ACME_HUBSPOT_TOKEN))
                .withRequestBody(matchingJsonPath("$.properties.dealname", equalTo("Maria Gonzalez - kitchen")))
                .withRequestBody(matchingJsonPath("$.properties.amount", equalTo("45000")))
                .withRequestBody(matchingJsonPath("$.properties.dealstage", equalTo("qualifiedtobuy")))
                .withRequestBody(matchingJsonPath("$.associations[0].to.id", equalTo(contactId)))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("3"))));
        HUBSPOT.verify(2, postRequestedFor(urlEqualTo("/crm/v3/objects/calls"))
                .withRequestBody(matchingJsonPath("$.properties.hs_call_direction", equalTo("INBOUND")))
                .withRequestBody(matchingJsonPath("$.properties.hs_call_duration", equalTo("247000")))
                .withRequestBody(matchingJsonPath("$.properties.hs_call_from_number", equalTo(phone)))
                .withRequestBody(matchingJsonPath("$.properties.hs_call_status", equalTo("COMPLETED")))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("194"))));
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/notes"))
                .withRequestBody(matchingJsonPath("$.properties.hs_note_body", containing("Project type: kitchen")))
                .withRequestBody(matchingJsonPath("$.associations[0].types[0].associationTypeId", equalTo("202"))));
        assertThat(jdbc.queryForList("SELECT step FROM delivery_steps WHERE tenant = 'dealco' AND "
                + "(subject = ? OR subject = ?) ORDER BY step", String.class, eventId, "contact:" + contactId))
                .containsExactly("call", "contact", "deal", "note");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String body) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(body);
    }
}
