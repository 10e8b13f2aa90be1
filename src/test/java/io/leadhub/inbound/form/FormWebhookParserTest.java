package io.leadhub.inbound.form;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import io.leadhub.inbound.Fixtures;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.signature.Hmac;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FormWebhookParserTest {

    private static final TenantConfig TENANT = Fixtures.tenant("form", Map.of("webhook_secret", Secret.of("s")));
    private final FormWebhookParser parser = new FormWebhookParser(new ObjectMapper(), new PhoneNormalizer(),
            Optional.of(Clock.fixed(Instant.parse("2026-11-20T23:00:00Z"), ZoneOffset.UTC)));

    static List<String> fixtures() {
        return Fixtures.names("form");
    }

    private WebhookRejectedException rejection(String body) {
        try {
            parser.parse(TENANT, body);
        } catch (WebhookRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection of " + body);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fixturesParseWithEveryKeyAndEqualTheirSamples(String name) throws Exception {
        String body = Fixtures.body("form", name);
        assertThat(Files.readString(Path.of("samples/form", name))).isEqualTo(body);
        InboundEvent event = parser.parse(TENANT, body);
        assertThat(event.source()).isEqualTo("form");
        assertThat(event.eventType()).isEqualTo("form_submission");
        assertThat(event.call()).containsKeys(CanonicalFields.CALL_KEYS.toArray(String[]::new));
        assertThat(event.lead()).containsKeys(CanonicalFields.LEAD_KEYS.toArray(String[]::new));
    }

    @Test
    void contactFormMapsEveryDocumentedField() {
        InboundEvent event = parser.parse(TENANT, Fixtures.body("form", "contact-form.json"));

        assertThat(event.providerEventId()).isEqualTo("wpcf7-8812-20261120-173455");
        assertThat(event.partitionKey()).isEqualTo("acme|+14045550187");
        assertThat(event.lead()).containsEntry("first_name", "Hannah").containsEntry("last_name", "Brooks")
                .containsEntry("phone_raw", "404-555-0187").containsEntry("email", "Hannah.Brooks@Example.com")
                .containsEntry("city", "Kennesaw").containsEntry("state", "GA");
        assertThat((String) event.call().get("message")).startsWith("We need a bathroom remodel");
        assertThat(event.call().get("transcription")).isEqualTo(event.call().get("message"));
        assertThat(event.call()).containsEntry("utm_source", "google").containsEntry("utm_medium", "cpc")
                .containsEntry("utm_campaign", "bath-remodel-2026").containsEntry("utm_term", "walk in shower remodel")
                .containsEntry("utm_content", "ad-3")
                .containsEntry("landing_page_url", "https://peachtreekb.example/bathroom-remodeling")
                .containsEntry("start_time", "2026-11-20T22:34:55Z").containsEntry("id", "wpcf7-8812-20261120-173455");
        assertThat((Map<String, Object>) event.call().get("fields")).containsEntry("project", "Bathroom")
                .containsEntry("preferred_contact", "phone");
    }

    @Test
    void withoutSubmissionIdTheBodyHashIsTheEventId() {
        String body = Fixtures.body("form", "quote-request-email-only.json");
        InboundEvent event = parser.parse(TENANT, body);
        assertThat(event.providerEventId()).isEqualTo("sha256:" + Hmac.sha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(event.partitionKey()).isEqualTo("acme|luis.ortega@example.com");
        assertThat(event.lead()).containsEntry("full_name", "Luis Ortega").containsEntry("phone_raw", null);
    }

    @Test
    void anUnusablePhoneIsKeptWhenThereIsAnEmail() {
        InboundEvent event = parser.parse(TENANT, "{\"phone\":\"call me\",\"email\":\"a@example.com\"}");
        assertThat(event.lead()).containsEntry("phone_raw", "call me");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "{\"name\":\"Ann\",\"message\":\"hi\"} => phone|email",
            "{\"name\":\"Ann\",\"phone\":\" \",\"email\":\"\"} => phone|email",
            "{\"email\":\"not-an-address\"} => email",
            "{\"phone\":\"12\"} => phone",
            "{\"phone\": => body",
            "\"just a string\" => body"
    })
    void rejectsInvalidSubmissionsNamingTheField(String body, String field) {
        WebhookRejectedException e = rejection(body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
    }
}
