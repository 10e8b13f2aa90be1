package io.leadhub.inbound.perfex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.inbound.Fixtures;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PerfexSignatureVerifierTest {

    private static final String SECRET = "perfex-fixture-secret";

    static java.util.List<String> fixtures() {
        return Fixtures.names("perfex");
    }

    private static Exchange exchange(TenantConfig tenant, String body, String signature) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(WebhookTenantResolver.TENANT_CONFIG, tenant);
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        exchange.getIn().setHeader("X-Perfex-Signature", signature);
        return exchange;
    }

    private static PerfexSignatureVerifier at(Duration afterSigning) {
        return new PerfexSignatureVerifier(Optional.of(Clock.fixed(Fixtures.SIGNED_AT.plus(afterSigning), ZoneOffset.UTC)));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void acceptsEveryFixtureSignedWithOpenssl(String name) {
        TenantConfig tenant = Fixtures.tenant("perfex", Map.of("webhook_secret", Secret.of(SECRET)));
        assertThatCode(() -> at(Duration.ofMinutes(4)).process(
                exchange(tenant, Fixtures.body("perfex", name), Fixtures.signature("perfex", name))))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAfterTheDefaultFiveMinutes() {
        TenantConfig tenant = Fixtures.tenant("perfex", Map.of("webhook_secret", Secret.of(SECRET)));
        String name = "lead-created.json";
        assertThatThrownBy(() -> at(Duration.ofSeconds(301)).process(
                exchange(tenant, Fixtures.body("perfex", name), Fixtures.signature("perfex", name))))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.field()).isEqualTo("X-Perfex-Signature");
                    assertThat(e.getMessage()).contains("301 seconds old").contains("tolerance is 300 seconds");
                });
    }

    @Test
    void theTenantMayWidenTheTolerance() {
        TenantConfig tenant = Fixtures.tenant("perfex", Map.of("webhook_secret", Secret.of(SECRET),
                "timestamp_tolerance_seconds", 900L));
        String name = "lead-created.json";
        assertThatCode(() -> at(Duration.ofMinutes(14)).process(
                exchange(tenant, Fixtures.body("perfex", name), Fixtures.signature("perfex", name))))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAnotherTenantsSecret() {
        TenantConfig tenant = Fixtures.tenant("perfex", Map.of("webhook_secret", Secret.of("other")));
        String name = "lead-created.json";
        assertThatThrownBy(() -> at(Duration.ZERO).process(
                exchange(tenant, Fixtures.body("perfex", name), Fixtures.signature("perfex", name))))
                .isInstanceOfSatisfying(WebhookRejectedException.class,
                        e -> assertThat(e.getMessage()).contains("does not match"));
    }
}
