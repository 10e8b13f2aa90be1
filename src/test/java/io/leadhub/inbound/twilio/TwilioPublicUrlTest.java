package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.inbound.twilio.TwilioPublicUrl.RequestFacts;
import java.net.URI;
import org.junit.jupiter.api.Test;

class TwilioPublicUrlTest {

    private static RequestFacts request(String query, String proto, String host, String port) {
        return new RequestFacts("http://leadhub:8080/webhooks/twilio/acme/status", "/webhooks/twilio/acme/status",
                query, proto, host, port);
    }

    @Test
    void withoutProxyHeadersTheRequestUrlIsTheSignedUrl() {
        assertThat(TwilioPublicUrl.of(request(null, null, null, null), null))
                .isEqualTo("http://leadhub:8080/webhooks/twilio/acme/status");
        assertThat(TwilioPublicUrl.base(request(null, null, null, null), null)).isEqualTo("http://leadhub:8080");
    }

    @Test
    void theQueryStringIsKeptByteForByte() {
        assertThat(TwilioPublicUrl.of(request("lead_phone=%2B14045558514&b=a+b", null, null, null), null))
                .isEqualTo("http://leadhub:8080/webhooks/twilio/acme/status?lead_phone=%2B14045558514&b=a+b");
    }

    @Test
    void forwardedProtoAndHostReplaceTheRequestOriginFirstValueWins() {
        assertThat(TwilioPublicUrl.of(request("x=1", "https, http", "hub.example.com, leadhub:8080", null), null))
                .isEqualTo("https://hub.example.com/webhooks/twilio/acme/status?x=1");
    }

    @Test
    void forwardedPortIsAddedUnlessItIsTheSchemesDefaultOrTheHostHasOne() {
        assertThat(TwilioPublicUrl.base(request(null, "https", "hub.example.com", "8443"), null))
                .isEqualTo("https://hub.example.com:8443");
        assertThat(TwilioPublicUrl.base(request(null, "https", "hub.example.com", "443"), null))
                .isEqualTo("https://hub.example.com");
        assertThat(TwilioPublicUrl.base(request(null, "https", "hub.example.com:9443", "8443"), null))
                .isEqualTo("https://hub.example.com:9443");
        assertThat(TwilioPublicUrl.base(request(null, "https", "[2001:db8::1]", "8443"), null))
                .isEqualTo("https://[2001:db8::1]:8443");
    }

    @Test
    void onlyAForwardedProtoKeepsTheRequestHost() {
        assertThat(TwilioPublicUrl.base(request(null, "HTTPS", null, null), null)).isEqualTo("https://leadhub:8080");
    }

    @Test
    void publicBaseUrlWinsAndMayCarryAPathPrefix() {
        URI base = URI.create("https://example.com/leadhub");

        assertThat(TwilioPublicUrl.of(request("step=recorded", "http", "ignored", null), base))
                .isEqualTo("https://example.com/leadhub/webhooks/twilio/acme/status?step=recorded");
    }

    @Test
    void callbackUrlsCarryTheLeadPhoneUrlEncoded() {
        assertThat(TwilioPublicUrl.callbackUrl("https://hub.example.com", "acme", "recording", "+14045558514"))
                .isEqualTo("https://hub.example.com/webhooks/twilio/acme/recording?lead_phone=%2B14045558514");
        assertThat(TwilioPublicUrl.callbackUrl("https://hub.example.com", "acme", "status", null))
                .isEqualTo("https://hub.example.com/webhooks/twilio/acme/status");
    }

    @Test
    void queryParametersAreDecoded() {
        assertThat(TwilioParams.query("step=dial-complete&lead_phone=%2B14045558514", "lead_phone")).isEqualTo("+14045558514");
        assertThat(TwilioParams.query("step=dial-complete", "lead_phone")).isNull();
        assertThat(TwilioParams.query("lead_phone=%zz", "lead_phone")).isNull();
        assertThat(TwilioParams.query(null, "step")).isNull();
    }
}
