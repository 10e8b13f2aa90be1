package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.inbound.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioFormTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesPercentEscapesPlusAsSpaceAndUtf8InBodyOrder() {
        assertThat(TwilioForm.parse(bytes("To=%2B14045551234&CallerName=Jos%C3%A9+Garc%C3%ADa&Empty=&Eq=a%3Db=c")))
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("To", "+14045551234"),
                        org.assertj.core.api.Assertions.entry("CallerName", "José García"),
                        org.assertj.core.api.Assertions.entry("Empty", ""),
                        org.assertj.core.api.Assertions.entry("Eq", "a=b=c"));
    }

    @Test
    void anEmptyBodyHasNoParametersAndATrailingAmpersandIsIgnored() {
        assertThat(TwilioForm.parse(bytes(""))).isEmpty();
        assertThat(TwilioForm.parse(null)).isEmpty();
        assertThat(TwilioForm.parse(bytes("a=1&"))).containsOnlyKeys("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CallSid", "a=1&&b=2", "&a=1", "=value", "a=%zz", "a=1&a=2"})
    void rejectsMalformedBodiesNamingTheBody(String body) {
        assertThatThrownBy(() -> TwilioForm.parse(bytes(body)))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                });
        assertThat(TwilioForm.isWellFormed(bytes(body))).isFalse();
    }
}
