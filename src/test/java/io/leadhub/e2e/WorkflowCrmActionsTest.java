package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CRM actions of workflow triggers end to end: a CallRail call of tenant {@code taskco} is delivered to HubSpot
 * (contact 8801 on the WireMock stub) by {@code crm-dispatch}, while {@code workflow-triggers} runs
 * {@code create_task} and {@code assign_owner}: they wait (redelivery) until the contact id is in the contact index,
 * then write a task associated with that contact and the owner, once; {@code send_sms} texts the caller through the
 * Twilio stub.
 */
class WorkflowCrmActionsTest extends HubIntegrationTest {

    private static final String BASE = "/taskco/crm/v3/objects";
    private static final String MESSAGES = "/2010-04-01/Accounts/" + INITECH_TWILIO_ACCOUNT_SID + "/Messages.json";

    @Test
    void theTaskAndOwnerGoToTheContactTheDeliveryCreated() throws Exception {
        String phone = uniquePhone();
        HUBSPOT.stubFor(post(urlEqualTo(BASE + "/contacts/search")).withRequestBody(containing(phone))
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
        HUBSPOT.stubFor(post(urlEqualTo(BASE + "/contacts")).withRequestBody(containing(phone))
                .willReturn(okJson("{\"id\":\"8801\"}").withStatus(201)));
        HUBSPOT.stubFor(post(urlEqualTo(BASE + "/tasks")).withRequestBody(containing("8801"))
                .willReturn(okJson("{\"id\":\"5501\"}").withStatus(201)));
        HUBSPOT.stubFor(patch(urlEqualTo(BASE + "/contacts/8801")).willReturn(okJson("{\"id\":\"8801\"}")));
        TWILIO.stubFor(post(urlEqualTo(MESSAGES)).withRequestBody(containing(phone.substring(1)))
                .willReturn(okJson("{\"sid\":\"SM8801\",\"status\":\"queued\"}").withStatus(201)));

        HttpResponse<String> response = postCallRail("taskco", postCallBody(phone));
        assertThat(response.statusCode()).isEqualTo(202);
        String eventId = eventId(response);
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM workflow_actions "
                + "WHERE tenant = 'taskco' AND event_id = ? AND status = 'done'", Integer.class, eventId) == 3);

        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(BASE + "/tasks"))
                .withHeader("Authorization", equalTo("Bearer " + ACME_HUBSPOT_TOKEN))
                .withRequestBody(matchingJsonPath("$.properties.hs_task_subject", equalTo("Call back " + phone)))
                .withRequestBody(matchingJsonPath("$.associations[0].to.id", equalTo("8801"))));
        HUBSPOT.verify(1, patchRequestedFor(urlEqualTo(BASE + "/contacts/8801"))
                .withRequestBody(equalToJson("{\"properties\":{\"hubspot_owner_id\":\"77\"}}")));
        TWILIO.verify(1, postRequestedFor(urlEqualTo(MESSAGES))
                .withRequestBody(containing("To=" + java.net.URLEncoder.encode(phone,
                        java.nio.charset.StandardCharsets.UTF_8)))
                .withRequestBody(containing("From=%2B15125550177")));
        assertThat(jdbc.queryForList("SELECT detail FROM workflow_actions WHERE event_id = ? ORDER BY action",
                String.class, eventId)).satisfiesExactly(
                        owner -> assertThat(owner).isEqualTo("HubSpot owner 77 on contact 8801"),
                        task -> assertThat(task).startsWith("HubSpot task 5501 on contact 8801 due "),
                        sms -> assertThat(sms).startsWith("SMS SM8801 to ").doesNotContain(phone.substring(2)));
    }
}
