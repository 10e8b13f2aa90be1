package io.leadhub.inbound.elevenlabs;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElevenLabsSignatureVerifierTest {

    private static final TenantConfig TENANT = Fixtures.tenant("elevenlabs",
            Map.of("webhook_secret", Secret.of("elevenlabs-fixture-secret")));

    static List<String> fixtures() {
        return Fixtures.names("elevenlabs");
    }

    private static Exchange exchange(String name) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(WebhookTenantResolver.TENANT_CONFIG, TENANT);
        exchange.getIn().setBody(Fixtures.body("elevenlabs", name).getBytes(StandardCharsets.UTF_8));
        exchange.getIn().setHeader("ElevenLabs-Signature", Fixtures.signature("elevenlabs", name));
        return exchange;
    }

    private static ElevenLabsSignatureVerifier at(Duration afterSigning) {
        return new ElevenLabsSignatureVerifier(Optional.of(Clock.fixed(Fixtures.SIGNED_AT.plus(afterSigning), ZoneOffset.UTC)));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void acceptsEveryFixtureSignedWithOpensslWithinThirtyMinutes(String name) {
        assertThatCode(() -> at(Duration.ofMinutes(30)).process(exchange(name))).doesNotThrowAnyException();
    }

    @Test
    void rejectsAfterThirtyMinutes() {
        assertThatThrownBy(() -> at(Duration.ofMinutes(30).plusSeconds(1)).process(exchange("post-call-transcription.json")))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.field()).isEqualTo("ElevenLabs-Signature");
                    assertThat(e.getMessage()).contains("tolerance is 1800 seconds");
                });
    }
}
