package io.leadhub.inbound.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.leadhub.inbound.Fixtures;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FormSignatureVerifierTest {

    private static final TenantConfig HMAC = Fixtures.tenant("form",
            Map.of("webhook_secret", Secret.of("form-fixture-secret")));
    private static final TenantConfig API_KEY = Fixtures.tenant("form",
            Map.of("auth", "api_key", "api_key", Secret.of("fk_live_7d3c9a")));
    private final FormSignatureVerifier verifier = new FormSignatureVerifier();

    static List<String> fixtures() {
        return Fixtures.names("form");
    }

    private static Exchange exchange(TenantConfig tenant, String body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(WebhookTenantResolver.TENANT_CONFIG, tenant);
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        headers.forEach(exchange.getIn()::setHeader);
        return exchange;
    }

    private WebhookRejectedException rejection(Exchange exchange) {
        try {
            verifier.process(exchange);
        } catch (WebhookRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void acceptsEveryFixtureSignedWithOpenssl(String name) {
        String body = Fixtures.body("form", name);
        assertThatCode(() -> verifier.process(exchange(HMAC, body,
                Map.of("X-LeadHub-Signature", Fixtures.signature("form", name))))).doesNotThrowAnyException();
    }

    @Test
    void hmacModeRejectsMissingUnprefixedAndWrongSignatures() {
        String body = Fixtures.body("form", "contact-form.json");
        String signature = Fixtures.signature("form", "contact-form.json");
        assertThat(rejection(exchange(HMAC, body, Map.of())).getMessage()).isEqualTo("missing X-LeadHub-Signature header");
        assertThat(rejection(exchange(HMAC, body, Map.of("X-LeadHub-Signature", signature.substring(7)))).getMessage())
                .contains("must be sha256=<hex");
        WebhookRejectedException wrong = rejection(exchange(HMAC, body + " ", Map.of("X-LeadHub-Signature", signature)));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.field()).isEqualTo("X-LeadHub-Signature");
        // an API key does not open a tenant that chose hmac
        assertThat(rejection(exchange(HMAC, body, Map.of("X-API-Key", "form-fixture-secret"))).field())
                .isEqualTo("X-LeadHub-Signature");
    }

    @Test
    void apiKeyModeComparesTheWholeKey() {
        String body = Fixtures.body("form", "contact-form.json");
        assertThatCode(() -> verifier.process(exchange(API_KEY, body, Map.of("X-API-Key", "fk_live_7d3c9a"))))
                .doesNotThrowAnyException();
        for (String wrong : new String[] {"fk_live_7d3c9", "fk_live_7d3c9ab", "FK_LIVE_7D3C9A"}) {
            WebhookRejectedException e = rejection(exchange(API_KEY, body, Map.of("X-API-Key", wrong)));
            assertThat(e.field()).isEqualTo("X-API-Key");
            assertThat(e.getMessage()).doesNotContain("fk_live_7d3c9a");
        }
        assertThat(rejection(exchange(API_KEY, body, Map.of())).getMessage()).isEqualTo("missing X-API-Key header");
        // a signature does not open a tenant that chose api_key
        assertThat(rejection(exchange(API_KEY, body, Map.of("X-LeadHub-Signature",
                Fixtures.signature("form", "contact-form.json")))).field()).isEqualTo("X-API-Key");
    }

    @Test
    void aTenantWithoutItsSecretRejectsEverything() {
        TenantConfig none = Fixtures.tenant("form", Map.of("auth", "api_key"));
        assertThat(rejection(exchange(none, "{}", Map.of("X-API-Key", ""))).getMessage())
                .contains("no form API key");
    }
}
