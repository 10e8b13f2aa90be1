package io.leadhub.inbound.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.tenant.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampedHmacSignatureTest {

    private static final TimestampedHmacSignature ELEVENLABS = new TimestampedHmacSignature("ElevenLabs-Signature", "v0");
    private static final TimestampedHmacSignature PERFEX = new TimestampedHmacSignature("X-Perfex-Signature", "v1");
    private static final byte[] BODY = "{\"type\":\"post_call_transcription\"}".getBytes(StandardCharsets.UTF_8);
    private static final Secret SECRET = Secret.of("wsec_test");
    private static final long T = 1739537297L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 60);
    private static final Duration TOLERANCE = Duration.ofMinutes(30);
    /** Computed independently: printf '%s' '1739537297.{"type":"post_call_transcription"}' | openssl dgst -sha256 -hmac wsec_test */
    private static final String OPENSSL_HEX = "81a65aa1e2057ec4cdc236dca583cf6ef5899fbc7acd1fe2c0921f684fa3779c";

    private static WebhookRejectedException rejection(TimestampedHmacSignature scheme, String header, byte[] body,
                                                      Instant now) {
        try {
            scheme.verify(header, body, SECRET, TOLERANCE, now);
        } catch (WebhookRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection");
    }

    @Test
    void signMatchesAnIndependentlyComputedVector() {
        assertThat(ELEVENLABS.sign("wsec_test", T, BODY)).isEqualTo("t=" + T + ",v0=" + OPENSSL_HEX);
        assertThat(PERFEX.sign("wsec_test", T, BODY)).isEqualTo("t=" + T + ",v1=" + OPENSSL_HEX);
    }

    @Test
    void acceptsTheVectorWithinTheTolerance() {
        assertThatCode(() -> ELEVENLABS.verify("t=" + T + ",v0=" + OPENSSL_HEX, BODY, SECRET, TOLERANCE, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsUpperCaseHexBlanksElementOrderAndUnknownElements() {
        String header = " v9=ffff , v1=" + OPENSSL_HEX.toUpperCase() + " , t=" + T + " ";
        assertThatCode(() -> PERFEX.verify(header, BODY, SECRET, TOLERANCE, NOW)).doesNotThrowAnyException();
    }

    @Test
    void acceptsWhenAnyOfSeveralSignaturesMatchesForSecretRotation() {
        String header = "t=" + T + ",v1=" + "00".repeat(32) + ",v1=" + OPENSSL_HEX;
        assertThatCode(() -> PERFEX.verify(header, BODY, SECRET, TOLERANCE, NOW)).doesNotThrowAnyException();
    }

    @Test
    void rejectsASignatureUnderTheOtherSchemesVersionKey() {
        WebhookRejectedException e = rejection(PERFEX, "t=" + T + ",v0=" + OPENSSL_HEX, BODY, NOW);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.field()).isEqualTo("X-Perfex-Signature");
        assertThat(e.getMessage()).contains("t=<unix seconds>,v1=<hex");
    }

    @Test
    void rejectsATamperedBody() {
        byte[] tampered = "{\"type\":\"post_call_transcription\" }".getBytes(StandardCharsets.UTF_8);
        WebhookRejectedException e = rejection(ELEVENLABS, "t=" + T + ",v0=" + OPENSSL_HEX, tampered, NOW);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).isEqualTo("ElevenLabs-Signature does not match the request body");
    }

    @Test
    void rejectsATamperedTimestampBecauseItIsSigned() {
        WebhookRejectedException e = rejection(ELEVENLABS, "t=" + (T + 1) + ",v0=" + OPENSSL_HEX, BODY, NOW);
        assertThat(e.getMessage()).contains("does not match");
    }

    @Test
    void rejectsTheWrongSecretWithoutRevealingAnything() {
        String header = ELEVENLABS.sign("another-secret", T, BODY);
        WebhookRejectedException e = rejection(ELEVENLABS, header, BODY, NOW);
        assertThat(e.getMessage()).doesNotContain("wsec_test").doesNotContain(OPENSSL_HEX);
    }

    @Test
    void rejectsAStaleTimestampEvenWithAValidSignature() {
        Instant later = Instant.ofEpochSecond(T + 1801);
        WebhookRejectedException e = rejection(ELEVENLABS, "t=" + T + ",v0=" + OPENSSL_HEX, BODY, later);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("1801 seconds old").contains("tolerance is 1800 seconds");
    }

    @Test
    void acceptsExactlyAtTheTolerance() {
        Instant edge = Instant.ofEpochSecond(T + 1800);
        assertThatCode(() -> ELEVENLABS.verify("t=" + T + ",v0=" + OPENSSL_HEX, BODY, SECRET, TOLERANCE, edge))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsATimestampTooFarInTheFuture() {
        Instant earlier = Instant.ofEpochSecond(T - 1801);
        WebhookRejectedException e = rejection(PERFEX, PERFEX.sign("wsec_test", T, BODY), BODY, earlier);
        assertThat(e.getMessage()).contains("1801 seconds in the future");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "t=,v1=ab", "t=abc,v1=ab", "v1=ab", "t=1739537297", "t=1,t=2,v1=ab",
            "t=1739537297,v1=", "=x,t=1,v1=ab"})
    void rejectsMalformedHeadersNamingTheExpectedFormat(String header) {
        WebhookRejectedException e = rejection(PERFEX, header, BODY, NOW);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).isEqualTo("X-Perfex-Signature must be t=<unix seconds>,v1=<hex HMAC-SHA256>");
    }

    @Test
    void rejectsNonHexSignaturesAsMismatches() {
        WebhookRejectedException e = rejection(PERFEX, "t=" + T + ",v1=zz" + OPENSSL_HEX.substring(2), BODY, NOW);
        assertThat(e.getMessage()).contains("does not match");
    }

    @Test
    void rejectsAMissingHeader() {
        assertThat(rejection(PERFEX, null, BODY, NOW).getMessage()).isEqualTo("missing X-Perfex-Signature header");
        assertThat(rejection(PERFEX, "  ", BODY, NOW).getMessage()).isEqualTo("missing X-Perfex-Signature header");
    }

    @Test
    void rejectsAnOversizedHeader() {
        String header = "t=" + T + ",v1=" + "a".repeat(5000);
        assertThat(rejection(PERFEX, header, BODY, NOW).getMessage()).contains("must be t=");
    }

    @Test
    void rejectsEverythingWhenTheTenantHasNoSecret() {
        assertThatThrownBy(() -> PERFEX.verify(PERFEX.sign("x", T, BODY), BODY, Secret.empty(), TOLERANCE, NOW))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("no webhook secret");
                });
    }

    @Test
    void signsAnEmptyBody() {
        String header = PERFEX.sign("wsec_test", T, null);
        assertThatCode(() -> PERFEX.verify(header, new byte[0], SECRET, TOLERANCE, NOW)).doesNotThrowAnyException();
    }
}
