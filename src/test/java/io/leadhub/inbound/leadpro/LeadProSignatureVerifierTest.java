package io.leadhub.inbound.leadpro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class LeadProSignatureVerifierTest {

    private static final String SECRET = "leadpro-fixture-secret";
    private final LeadProSignatureVerifier verifier = new LeadProSignatureVerifier();

    static List<String> fixtures() {
        return Fixtures.names("leadpro");
    }

    private static Exchange exchange(TenantConfig tenant, String body, String header, String signature) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(WebhookTenantResolver.TENANT_CONFIG, tenant);
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            exchange.getIn().setHeader(header, signature);
        }
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
    void acceptsEveryFixtureSignedWithOpensslWithOrWithoutPrefix(String name) {
        TenantConfig tenant = Fixtures.tenant("leadpro", Map.of("webhook_secret", Secret.of(SECRET)));
        String body = Fixtures.body("leadpro", name);
        String hex = Fixtures.signature("leadpro", name);
        assertThatCode(() -> verifier.process(exchange(tenant, body, "X-LeadPro-Signature", hex))).doesNotThrowAnyException();
        assertThatCode(() -> verifier.process(exchange(tenant, body, "X-LeadPro-Signature", "sha256=" + hex.toUpperCase())))
                .doesNotThrowAnyException();
    }

    @Test
    void readsTheHeaderTheTenantNames() {
        TenantConfig tenant = Fixtures.tenant("leadpro", Map.of("webhook_secret", Secret.of(SECRET),
                "signature_header", "X-Signature"));
        String body = Fixtures.body("leadpro", "lead-updated.json");
        String hex = Fixtures.signature("leadpro", "lead-updated.json");
        assertThatCode(() -> verifier.process(exchange(tenant, body, "X-Signature", hex))).doesNotThrowAnyException();
        WebhookRejectedException e = rejection(exchange(tenant, body, "X-LeadPro-Signature", hex));
        assertThat(e.field()).isEqualTo("X-Signature");
        assertThat(e.getMessage()).isEqualTo("missing X-Signature header");
    }

    @Test
    void rejectsATamperedBodyAnotherSecretAndNoSecret() {
        TenantConfig tenant = Fixtures.tenant("leadpro", Map.of("webhook_secret", Secret.of(SECRET)));
        String body = Fixtures.body("leadpro", "lead-updated.json");
        String hex = Fixtures.signature("leadpro", "lead-updated.json");
        assertThat(rejection(exchange(tenant, body.replace("Roswell", "Atlanta"), "X-LeadPro-Signature", hex)).status())
                .isEqualTo(401);
        TenantConfig other = Fixtures.tenant("leadpro", Map.of("webhook_secret", Secret.of("other")));
        assertThat(rejection(exchange(other, body, "X-LeadPro-Signature", hex)).getMessage())
                .isEqualTo("X-LeadPro-Signature is not the hex HMAC-SHA256 of the request body");
        TenantConfig none = Fixtures.tenant("leadpro", Map.of());
        assertThatThrownBy(() -> verifier.process(exchange(none, body, "X-LeadPro-Signature", hex)))
                .hasMessageContaining("no LeadPro webhook secret");
    }
}
