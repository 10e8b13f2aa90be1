package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.matching.MultipartValuePatternBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A signed CallRail call is synced back to Perfex CRM: not found by phone, so created with the call results. */
class CallRailToPerfexTest extends HubIntegrationTest {

    @Test
    void callResultsCreateThePerfexLeadWithCustomFields() {
        String phone = uniquePhone();
        String national = phone.substring(2);
        String leadId = national.substring(3);
        REST_STUB.stubFor(get(urlEqualTo("/perfexco/api/leads/search/" + national)).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":false,\"message\":\"No data were found\"}")));
        REST_STUB.stubFor(post(urlEqualTo("/perfexco/api/leads"))
                .withMultipartRequestBody(part("phonenumber", phone))
                .willReturn(okJson("{\"status\":true,\"message\":\"Lead add successful.\",\"record_id\":" + leadId + "}")));

        String eventId = eventId(postCallRail("perfexco", postCallBody(phone)));
        List<Map<String, Object>> rows = awaitDelivery(eventId, "created");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("crm_record_id", leadId);
        REST_STUB.verify(1, postRequestedFor(urlEqualTo("/perfexco/api/leads"))
                .withHeader("authtoken", equalTo(E2E_PERFEX_TOKEN))
                .withRequestBodyPart(part("phonenumber", phone).build())
                .withRequestBodyPart(part("name", "Maria Gonzalez").build())
                .withRequestBodyPart(part("source", "3").build())
                .withRequestBodyPart(part("status", "2").build())
                .withRequestBodyPart(part("assigned", "1").build())
                .withRequestBodyPart(part("custom_fields[leads][4]", "answered").build())
                .withRequestBodyPart(part("custom_fields[leads][5]", "positive").build())
                .withRequestBodyPart(part("custom_fields[leads][6]", "Book estimate").build())
                .withRequestBodyPart(part("custom_fields[leads][7]", "2026-11-24").build()));
    }

    private static MultipartValuePatternBuilder part(String name, String value) {
        return aMultipart().withName(name).withBody(equalTo(value));
    }
}
