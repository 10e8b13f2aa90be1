package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantConfigException;
import io.leadhub.tenant.TenantFileLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sources.twilio} in tenant files: the schema's checks, secrets, and {@link TwilioSettings}' defaults. */
class TwilioTenantSettingsTest {

    private static final Map<String, String> ENV = Map.of(
            "SHOP_TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
            "SHOP_TWILIO_AUTH_TOKEN", "shop-auth-SECRET",
            "SHOP_CLICK_TO_CALL_TOKEN", "shop-click-SECRET");

    private static TenantConfig load(String name) {
        return new TenantFileLoader(ENV::get, "US", Clock.systemUTC(), null)
                .load(Path.of("src/test/resources/twilio/tenants", name + ".yaml"));
    }

    @Test
    void everyKeyIsReadWithSecretsAndPlaceholderDefaults() {
        TwilioSettings s = TwilioSettings.of(load("voice-shop"));

        assertThat(s.accountSid()).isEqualTo("AC0123456789abcdef0123456789abcdef");
        assertThat(s.authToken().reveal()).isEqualTo("shop-auth-SECRET");
        assertThat(s.authToken()).hasToString("****");
        assertThat(s.clickToCallToken().reveal()).isEqualTo("shop-click-SECRET");
        assertThat(s.publicBaseUrl()).isEqualTo(URI.create("https://hub.example.com/leadhub"));
        assertThat(s.apiBaseUrl()).isEqualTo(URI.create("https://api.twilio.com"));
        assertThat(s.callerId()).isEqualTo("+15125550100");
        assertThat(s.agentNumber()).isEqualTo("+15125550123");
        assertThat(s.voice()).isEqualTo(new TwilioSettings.Voice("Thanks for calling.", "Polly.Joanna", null, 25,
                "record-from-ringing-dual", false, TwilioSettings.DEFAULT_VOICEMAIL_PROMPT, 120, true));
    }

    @Test
    void anAuthTokenAloneGivesTheDefaults() {
        TwilioSettings s = TwilioSettings.of(load("minimal-voice"));

        assertThat(s.accountSid()).isNull();
        assertThat(s.publicBaseUrl()).isNull();
        assertThat(s.agentNumber()).isNull();
        assertThat(s.clickToCallToken().isEmpty()).isTrue();
        assertThat(s.voice()).isEqualTo(new TwilioSettings.Voice(null, null, null, 20, "do-not-record", true,
                TwilioSettings.DEFAULT_VOICEMAIL_PROMPT, 120, true));
    }

    @Test
    void invalidTwilioSettingsAreReportedWithTheirKeys() {
        assertThatThrownBy(() -> load("broken-voice")).isInstanceOfSatisfying(TenantConfigException.class, e -> {
            String all = String.join("\n", e.errors().stream().map(Object::toString).toList());
            assertThat(all).contains(
                    "sources.twilio.agent_number",
                    "sources.twilio.caller_id",
                    "sources.twilio.public_base_url",
                    "sources.twilio.voice.record",
                    "sources.twilio.voice.dial_timeout_seconds",
                    "greting",
                    "account_sid");
        });
    }

    @Test
    void literalTokensAreRejectedWithoutShowingThem() {
        assertThatThrownBy(() -> load("literal-token")).isInstanceOfSatisfying(TenantConfigException.class, e -> {
            String all = String.join("\n", e.errors().stream().map(Object::toString).toList());
            assertThat(all).contains("sources.twilio.auth_token", "sources.twilio.click_to_call.api_token",
                    "placeholder").doesNotContain("abc123", "also-literal");
        });
    }

    @Test
    void theDemoTenantReceivesTwilioWithItsDevelopmentToken() {
        TenantConfig demo = new TenantFileLoader(Map.of("DEMO_CALLRAIL_SIGNING_KEY", "k",
                "DEMO_TWILIO_AUTH_TOKEN", "demo-twilio-auth-token", "DEMO_PERFEX_WEBHOOK_SECRET", "p",
                "DEMO_LEADPRO_WEBHOOK_SECRET", "l", "DEMO_ELEVENLABS_WEBHOOK_SECRET", "e",
                "DEMO_FORM_WEBHOOK_SECRET", "f")::get, "US", Clock.systemUTC(), null)
                .load(Path.of("mappings/demo.yaml"));

        TwilioSettings s = TwilioSettings.of(demo);
        assertThat(s.authToken().reveal()).isEqualTo("demo-twilio-auth-token");
        assertThat(s.agentNumber()).isEqualTo("+15125550123");
        assertThat(s.voice().record()).isEqualTo("record-from-answer-dual");
    }

    @Test
    void theTwilioExampleOfTheTenantFileDocsLoads(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String docs = java.nio.file.Files.readString(Path.of("docs/tenant-file.md"));
        int start = docs.indexOf("```yaml\ntenant: acme-voice\n") + "```yaml\n".length();
        Path file = dir.resolve("acme-voice.yaml");
        java.nio.file.Files.writeString(file, docs.substring(start, docs.indexOf("```", start)));

        TwilioSettings s = TwilioSettings.of(new TenantFileLoader(Map.of("ACME_TWILIO_AUTH_TOKEN", "a",
                "ACME_TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef", "ACME_CLICK_TO_CALL_TOKEN", "c")::get,
                "US", Clock.systemUTC(), null).load(file));

        assertThat(s.voice().record()).isEqualTo("record-from-answer-dual");
        assertThat(s.clickToCallToken().reveal()).isEqualTo("c");
    }
}
