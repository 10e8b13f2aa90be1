package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A signed CallRail call is synced back to the LeadPro lead found by phone (the assumed LeadPro defaults). */
class CallRailToLeadProTest extends HubIntegrationTest {

    @Test
    void callResultsUpdateTheLeadProLeadFoundByPhone() {
        String phone = uniquePhone();
        String leadId = phone.substring(5);
        REST_STUB.stubFor(get(urlEqualTo("/leadproco/api/leads?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8)))
                .willReturn(okJson("{\"data\":[{\"id\":" + leadId + ",\"phone\":\"" + phone + "\"}]}")));
        REST_STUB.stubFor(put(urlEqualTo("/leadproco/api/leads/" + leadId)).willReturn(okJson("{\"data\":{}}")));

        String eventId = eventId(postCallRail("leadproco", postCallBody(phone)));
        List<Map<String, Object>> rows = awaitDelivery(eventId, "updated");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("crm_record_id", leadId);
        REST_STUB.verify(1, putRequestedFor(urlEqualTo("/leadproco/api/leads/" + leadId))
                .withHeader("Authorization", equalTo("Bearer " + E2E_LEADPRO_TOKEN))
                .withRequestBody(equalToJson("{\"sentiment\":\"positive\",\"last_call_result\":\"answered\"}")));
    }
}
