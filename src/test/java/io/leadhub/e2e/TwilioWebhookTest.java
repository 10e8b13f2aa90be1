package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadhub.inbound.twilio.TwilioTestSigner;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Twilio's callbacks through real HTTP into the hub and the journal: signature, validation (400 naming the
 * field, 413, 415), journaling, 204; and proof that the raw form body reaches the route byte for byte.
 */
class TwilioWebhookTest extends TwilioHubTest {

    @Test
    void signedFixturePostedAsTwilioSendsItIsJournaledAndAnswered204() throws Exception {
        Properties signed = signedFixtures();
        String body = Files.readString(Path.of("src/test/resources/twilio/status-outbound-initiated.form"));
        long before = endOffsets("leads.inbound");

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/status", body, FORM,
                Map.of("X-Twilio-Signature", signed.getProperty("status-outbound-initiated.signature")));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        JsonNode event = journaled(twilioEventId(response));
        assertThat(event.path("source").asText()).isEqualTo("twilio");
        assertThat(event.path("eventType").asText()).isEqualTo("call_initiated");
        assertThat(event.path("providerEventId").asText()).isEqualTo("status:CA9e8d7c6b5a4938271605f4e3d2c1b0a9:initiated");
        assertThat(event.path("lead").path("phone_raw").asText()).isEqualTo("+14045558514");
        assertThat(event.path("call").path("direction").asText()).isEqualTo("outbound");
        assertThat(event.path("partitionKey").asText()).isEqualTo("initech|+14045558514");
        assertThat(endOffsets("leads.inbound")).isGreaterThan(before);
    }

    /**
     * How camel-platform-http on Spring Boot presents a form POST: {@code SpringBootPlatformHttpBinding} reads the
     * body into a stream cache, copies the decoded fields into headers, and (with the default
     * {@code populateBodyWithForm=true}) replaces the body by a {@code Map} of the fields. The Twilio routes set
     * {@code populateBodyWithForm=false}, so the verifier gets the raw bytes: the journaled {@code rawBody} equals
     * what was sent, escapes and all, and the signature computed over the decoded fields verifies.
     */
    @Test
    void rawFormBodyReachesTheRouteByteForByteAndItsDecodedFieldsVerify() {
        String callSid = newSid("CA");
        String phone = uniquePhone();
        Map<String, String> params = fixture("status-completed", callSid, phone);
        params.put("CallerName", "JOSÉ  O'BRIEN & SONS + CO=1 100%");
        String body = TwilioTestSigner.form(params);
        assertThat(body).contains("%2B", "+", "%C3%89", "%26", "%3D", "%25");

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/status", body, FORM + "; charset=utf-8",
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign(INITECH_TWILIO_AUTH_TOKEN,
                        INITECH_BASE + "/webhooks/twilio/initech/status", params)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        JsonNode event = journaled(twilioEventId(response));
        assertThat(event.path("rawBody").asText()).isEqualTo(body);
        assertThat(event.path("lead").path("full_name").asText()).isEqualTo("JOSÉ  O'BRIEN & SONS + CO=1 100%");
        assertThat(event.path("call").path("id").asText()).isEqualTo(callSid);
        assertThat(event.path("call").path("duration_seconds").asLong()).isEqualTo(68);
        assertThat(event.path("call").path("answered").isNull()).isTrue();
        assertThat(event.path("call").path("start_time").asText()).isEqualTo("2026-11-20T15:04:11Z");
    }

    @Test
    void badSignatureIs401AndNothingIsJournaled() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        long before = endOffsets("leads.inbound");

        HttpResponse<String> wrong = postHub("/webhooks/twilio/initech/status", TwilioTestSigner.form(params), FORM,
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign("not-the-token", INITECH_BASE
                        + "/webhooks/twilio/initech/status", params)));
        HttpResponse<String> missing = postHub("/webhooks/twilio/initech/status", TwilioTestSigner.form(params), FORM, Map.of());
        HttpResponse<String> otherUrl = postHub("/webhooks/twilio/initech/status", TwilioTestSigner.form(params), FORM,
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign(INITECH_TWILIO_AUTH_TOKEN,
                        "http://localhost:" + port + "/webhooks/twilio/initech/status", params)));

        for (HttpResponse<String> response : new HttpResponse[] {wrong, missing, otherUrl}) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"field\":\"X-Twilio-Signature\"").doesNotContain(INITECH_TWILIO_AUTH_TOKEN);
        }
        assertThat(otherUrl.body()).contains("https://hub.initech.test/webhooks/twilio/initech/status");
        assertThat(endOffsets("leads.inbound")).isEqualTo(before);
    }

    @Test
    void signedCallbackMissingCallSidIs400NamingIt() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        params.remove("CallSid");

        HttpResponse<String> response = postInitech("status", params);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"CallSid\"");
    }

    @Test
    void signedStatusWithUnknownCallStatusIs400NamingIt() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        params.put("CallStatus", "exploded");

        HttpResponse<String> response = postInitech("status", params);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"CallStatus\"");
    }

    @Test
    void recordingCallbackWithoutTheCallerIs400NamingFrom() {
        Map<String, String> params = fixture("recording-completed", newSid("CA"), uniquePhone());

        HttpResponse<String> response = postInitech("recording", params);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"From\"", "lead_phone");
    }

    @Test
    void malformedFormBodyIs400NamingTheBody() {
        HttpResponse<String> response = postHub("/webhooks/twilio/initech/status", "CallSid&%zz", FORM,
                Map.of("X-Twilio-Signature", "AAAA"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"field\":\"body\"");
    }

    @Test
    void oversizeBodyIs413() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        params.put("Padding", "x".repeat(1_100_000));

        HttpResponse<String> response = postInitech("status", params);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"field\":\"body\"");
    }

    @Test
    void signedBodyOfAnotherMediaTypeIs415() {
        String body = "CallSid is " + newSid("CA");
        String url = INITECH_BASE + "/webhooks/twilio/initech/status?bodySHA256=" + TwilioTestSigner.bodySha256(body);

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/status?bodySHA256="
                + TwilioTestSigner.bodySha256(body), body, "text/plain",
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign(INITECH_TWILIO_AUTH_TOKEN, url, null)));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("\"field\":\"Content-Type\"");
    }

    @Test
    void jsonCallbackSignedWithBodySha256IsJournaled() {
        String callSid = newSid("CA");
        String phone = uniquePhone();
        String body = "{\"CallSid\":\"" + callSid + "\",\"CallStatus\":\"ringing\",\"Direction\":\"inbound\","
                + "\"From\":\"" + phone + "\",\"To\":\"+15125550100\"}";
        String query = "bodySHA256=" + TwilioTestSigner.bodySha256(body);

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/status?" + query, body, "application/json",
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign(INITECH_TWILIO_AUTH_TOKEN,
                        INITECH_BASE + "/webhooks/twilio/initech/status?" + query, null)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        JsonNode event = journaled(twilioEventId(response));
        assertThat(event.path("eventType").asText()).isEqualTo("call_ringing");
        assertThat(event.path("lead").path("phone_raw").asText()).isEqualTo(phone);
    }

    @Test
    void unknownTenantAndUnknownCallbackAre404() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        String form = TwilioTestSigner.form(params);

        HttpResponse<String> tenant = postHub("/webhooks/twilio/nobody/status", form, FORM, Map.of("X-Twilio-Signature", "x"));
        HttpResponse<String> callRailOnly = postHub("/webhooks/twilio/acme/status", form, FORM, Map.of("X-Twilio-Signature", "x"));
        HttpResponse<String> callback = postInitech("sms", params);

        assertThat(tenant.statusCode()).isEqualTo(404);
        assertThat(tenant.body()).contains("\"field\":\"tenant\"");
        assertThat(callRailOnly.statusCode()).isEqualTo(404);
        assertThat(callback.statusCode()).isEqualTo(404);
        assertThat(callback.body()).contains("\"field\":\"callback\"");
    }

    @Test
    void publicUrlIsRebuiltFromForwardedHeadersWithoutPublicBaseUrl() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        String signature = TwilioTestSigner.sign(UMBRELLA_TWILIO_AUTH_TOKEN,
                "https://leads.umbrella.test/webhooks/twilio/umbrella/status?source=pstn", params);

        HttpResponse<String> response = postHub("/webhooks/twilio/umbrella/status?source=pstn",
                TwilioTestSigner.form(params), FORM, Map.of("X-Twilio-Signature", signature,
                        "X-Forwarded-Proto", "https", "X-Forwarded-Host", "leads.umbrella.test"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    @Test
    void withoutProxyHeadersTheRequestUrlItselfIsSigned() {
        Map<String, String> params = fixture("status-completed", newSid("CA"), uniquePhone());
        String signature = TwilioTestSigner.sign(UMBRELLA_TWILIO_AUTH_TOKEN,
                "http://localhost:" + port + "/webhooks/twilio/umbrella/status", params);

        HttpResponse<String> response = postHub("/webhooks/twilio/umbrella/status", TwilioTestSigner.form(params), FORM,
                Map.of("X-Twilio-Signature", signature));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }
}
