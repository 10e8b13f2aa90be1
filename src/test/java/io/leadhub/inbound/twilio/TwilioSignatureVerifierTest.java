package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signature check against twilio-java's own test vectors ({@code RequestValidatorTest} in twilio/twilio-java):
 * token {@code 12345}, URL {@code https://mycompany.com/myapp.php?foo=1&bar=2}.
 */
class TwilioSignatureVerifierTest {

    static final String TOKEN = "12345";
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    static final String FORM_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    static final String JSON_BODY = "{\"property\": \"value\", \"boolean\": true}";
    static final String JSON_SHA256 = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    static final String JSON_SIGNATURE = "a9nBmqA0ju/hNViExpshrM61xv4=";
    static final String FORM = "application/x-www-form-urlencoded";

    static Map<String, String> vectorParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Digits", "1234");
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("To", "+18005551212");
        params.put("Caller", "+14158675309");
        params.put("From", "+14158675309");
        return params;
    }

    static TwilioSettings settings(String token) {
        return new TwilioSettings(null, Secret.of(token), null, URI.create(TwilioSettings.DEFAULT_API_BASE_URL), null,
                null, new TwilioSettings.Voice(null, null, null, 20, "do-not-record", true, "p", 120, true),
                Secret.empty());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void testSignerReproducesTwilioJavasFormAndJsonVectors() {
        assertThat(TwilioTestSigner.sign(TOKEN, URL, vectorParams())).isEqualTo(FORM_SIGNATURE);
        assertThat(TwilioTestSigner.bodySha256(JSON_BODY)).isEqualTo(JSON_SHA256);
        assertThat(TwilioTestSigner.sign(TOKEN, URL + "&bodySHA256=" + JSON_SHA256, null)).isEqualTo(JSON_SIGNATURE);
    }

    @Test
    void acceptsTwilioJavasFormVectorParsedFromTheRawUrlEncodedBody() {
        String body = TwilioTestSigner.form(vectorParams());
        assertThat(body).contains("To=%2B18005551212");

        Map<String, String> params = TwilioSignatureVerifier.verify(settings(TOKEN), URL, FORM + "; charset=utf-8",
                bytes(body), FORM_SIGNATURE);

        assertThat(params).isEqualTo(vectorParams());
    }

    @Test
    void acceptsTheFormVectorWithTheDefaultPortWrittenOut() {
        String url = "https://mycompany.com:443/myapp.php?foo=1&bar=2";

        assertThat(TwilioSignatureVerifier.verify(settings(TOKEN), url, FORM,
                bytes(TwilioTestSigner.form(vectorParams())), FORM_SIGNATURE)).containsEntry("Digits", "1234");
    }

    @Test
    void acceptsTwilioJavasJsonVectorWithBodySha256() {
        Map<String, String> params = TwilioSignatureVerifier.verify(settings(TOKEN), URL + "&bodySHA256=" + JSON_SHA256,
                "application/json", bytes(JSON_BODY), JSON_SIGNATURE);

        assertThat(params).isEmpty();
    }

    @Test
    void rejectsJsonWhoseBodyDoesNotMatchBodySha256() {
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL + "&bodySHA256=" + JSON_SHA256,
                "application/json", bytes(JSON_BODY.replace("value", "other")), JSON_SIGNATURE))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.field()).isEqualTo("X-Twilio-Signature");
                });
    }

    @Test
    void rejectsJsonWithoutBodySha256InTheUrl() {
        String signature = TwilioTestSigner.sign(TOKEN, URL, null);

        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL, "application/json",
                bytes(JSON_BODY), signature)).isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void rejectsATamperedParameterAnotherUrlOrAnotherToken() {
        Map<String, String> tampered = new LinkedHashMap<>(vectorParams());
        tampered.put("Digits", "1235");
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL, FORM,
                bytes(TwilioTestSigner.form(tampered)), FORM_SIGNATURE)).isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL.replace("foo=1", "foo=2"), FORM,
                bytes(TwilioTestSigner.form(vectorParams())), FORM_SIGNATURE))
                .isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings("54321"), URL, FORM,
                bytes(TwilioTestSigner.form(vectorParams())), FORM_SIGNATURE))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void rejectionNamesTheUrlCheckedWithoutItsQueryAndNeverTheToken() {
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL + "&lead_phone=%2B14045551234",
                FORM, bytes("CallSid=CA1"), FORM_SIGNATURE))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.getMessage())
                        .contains("https://mycompany.com/myapp.php")
                        .doesNotContain("foo=1", "14045551234", TOKEN));
    }

    @Test
    void rejectsAMissingSignatureOrAMissingToken() {
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL, FORM, bytes("a=1"), null))
                .hasMessageContaining("missing X-Twilio-Signature");
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(""), URL, FORM, bytes("a=1"), FORM_SIGNATURE))
                .hasMessageContaining("no Twilio auth token");
    }

    @Test
    void aMissingContentTypeIsReadAsAForm() {
        assertThat(TwilioSignatureVerifier.verify(settings(TOKEN), URL, null,
                bytes(TwilioTestSigner.form(vectorParams())), FORM_SIGNATURE)).hasSize(5);
    }

    @Test
    void aMalformedFormBodyIs400NamingTheBody() {
        assertThatThrownBy(() -> TwilioSignatureVerifier.verify(settings(TOKEN), URL, FORM, bytes("CallSid"),
                FORM_SIGNATURE)).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                });
    }
}
