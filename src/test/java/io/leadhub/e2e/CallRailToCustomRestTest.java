package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A signed CallRail call becomes a record in a custom REST CRM that authenticates with OAuth client credentials. */
class CallRailToCustomRestTest extends HubIntegrationTest {

    @Test
    void signedPostCallCreatesTheRecordWithAnOAuthTokenAfterASearchFindsNothing() {
        String phone = uniquePhone();
        String search = "/restco/v2/leads?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
        REST_STUB.stubFor(post(urlEqualTo("/restco/oauth/token")).willReturn(okJson(
                "{\"access_token\":\"e2e-access-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        REST_STUB.stubFor(get(urlEqualTo(search)).willReturn(okJson("{\"data\":[]}")));
        REST_STUB.stubFor(post(urlEqualTo("/restco/v2/leads")).withRequestBody(matchingJsonPath("$.lead.phone", equalTo(phone)))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"R-" + phone.substring(1) + "\"}")));

        String eventId = eventId(postCallRail("restco", postCallBody(phone)));
        List<Map<String, Object>> rows = awaitDelivery(eventId, "created");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("crm_record_id", "R-" + phone.substring(1));
        REST_STUB.verify(getRequestedFor(urlEqualTo(search))
                .withHeader("Authorization", equalTo("Bearer e2e-access-token"))
                .withHeader("X-Source", equalTo("leadhub")));
        REST_STUB.verify(1, postRequestedFor(urlEqualTo("/restco/v2/leads"))
                .withHeader("Authorization", equalTo("Bearer e2e-access-token"))
                .withHeader("Idempotency-Key", matching("leadhub-[0-9a-f]{40}"))
                .withRequestBody(matchingJsonPath("$.lead.phone", equalTo(phone)))
                .withRequestBody(matchingJsonPath("$.lead.name", equalTo("Maria Gonzalez")))
                .withRequestBody(matchingJsonPath("$.lead.source", equalTo("CallRail / Google Ads")))
                .withRequestBody(matchingJsonPath("$.lead[?(@.score >= 80)]")));
        REST_STUB.verify(postRequestedFor(urlEqualTo("/restco/oauth/token"))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=leads.write")));
    }
}
