package io.leadhub.inbound.callrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.TestTenants;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class CallRailSignatureVerifierTest {

    private static final String KEY = "0b3f6a9e5c1d4e2f8a7b";
    private static final String BODY = "{\"id\":766970532,\"customer_phone_number\":\"+14045558514\"}";

    private final CallRailSignatureVerifier verifier = new CallRailSignatureVerifier();

    @Test
    void signatureIsBase64OfHmacSha1OverTheRawBody() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] expected = mac.doFinal(BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(CallRailSignatureVerifier.sign(KEY, BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        assertThat(expected).hasSize(20);
    }

    @Test
    void acceptsCorrectSignature() {
        verifier.process(exchange(BODY, sign(BODY)));
    }

    @Test
    void rejectsMissingSignatureWith401() {
        assertThatThrownBy(() -> verifier.process(exchange(BODY, null)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.field()).isEqualTo("Signature");
                });
    }

    @Test
    void rejectsSignatureOfAnotherBody() {
        assertThatThrownBy(() -> verifier.process(exchange(BODY + "\n", sign(BODY))))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void rejectsSignatureMadeWithAnotherKey() {
        String other = Base64.getEncoder().encodeToString(
                CallRailSignatureVerifier.sign("another-key", BODY.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> verifier.process(exchange(BODY, other)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void rejectsNonBase64Signature() {
        assertThatThrownBy(() -> verifier.process(exchange(BODY, "not base64 !!")))
                .isInstanceOfSatisfying(WebhookRejectedException.class,
                        e -> assertThat(e.getMessage()).contains("not Base64"));
    }

    private static String sign(String body) {
        return Base64.getEncoder().encodeToString(CallRailSignatureVerifier.sign(KEY, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Exchange exchange(String body, String signature) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(WebhookTenantResolver.TENANT_CONFIG, TestTenants.withCallRail("acme", KEY));
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            exchange.getIn().setHeader("Signature", signature);
        }
        return exchange;
    }
}
