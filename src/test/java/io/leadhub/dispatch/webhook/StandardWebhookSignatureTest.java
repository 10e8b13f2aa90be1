package io.leadhub.dispatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StandardWebhookSignatureTest {

    /**
     * The reference vector of the Standard Webhooks Java library's test
     * (standard-webhooks/standard-webhooks, libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java,
     * verifyWebhookSignWorks, commit 14ae3280).
     */
    @Test
    void signsTheStandardWebhooksReferenceVector() {
        byte[] key = StandardWebhookSignature.decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        String signature = StandardWebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void secretWithoutPrefixGivesTheSameKey() {
        assertThat(StandardWebhookSignature.decodeSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isEqualTo(StandardWebhookSignature.decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }

    @Test
    void signatureIsHmacSha256OfIdTimestampAndBodyComputedIndependently() throws Exception {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal("msg_1.1700000000.{\"a\":\"ü\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(StandardWebhookSignature.sign(key, "msg_1", 1700000000L, "{\"a\":\"ü\"}")).isEqualTo(expected);
    }

    @Test
    void invalidSecretsAreRejectedWithoutEchoingThem() {
        assertThatThrownBy(() -> StandardWebhookSignature.decodeSecret("whsec_not*base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the webhook secret must be whsec_<base64 key> (its key part is not base64)");
        assertThatThrownBy(() -> StandardWebhookSignature.decodeSecret(""))
                .hasMessage("the webhook secret is empty");
    }
}
