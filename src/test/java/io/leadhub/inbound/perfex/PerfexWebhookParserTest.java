package io.leadhub.inbound.perfex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import io.leadhub.inbound.Fixtures;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PerfexWebhookParserTest {

    private static final TenantConfig TENANT = Fixtures.tenant("perfex", Map.of("webhook_secret", Secret.of("s")));
    private final PerfexWebhookParser parser = new PerfexWebhookParser(new ObjectMapper(), new PhoneNormalizer(),
            Optional.of(Clock.fixed(Instant.parse("2026-11-20T21:00:00Z"), ZoneOffset.UTC)));

    static java.util.List<String> fixtures() {
        return Fixtures.names("perfex");
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
    void everyFixtureParsesWithEveryCanonicalKeyAndEqualsItsSample(String name) throws Exception {
        String body = Fixtures.body("perfex", name);
        assertThat(Files.readString(Path.of("samples/perfex", name))).isEqualTo(body);
        InboundEvent event = parser.parse(TENANT, body);
        assertThat(event.source()).isEqualTo("perfex");
        assertThat(event.call()).containsKeys(CanonicalFields.CALL_KEYS.toArray(String[]::new));
        assertThat(event.lead()).containsKeys(CanonicalFields.LEAD_KEYS.toArray(String[]::new));
        assertThat(event.partitionKey()).isEqualTo("acme|+14705550188");
        assertThat(event.rawBody()).isEqualTo(body);
    }

    @Test
    void leadCreatedMapsThePerfexLeadRow() {
        InboundEvent event = parser.parse(TENANT, Fixtures.body("perfex", "lead-created.json"));

        assertThat(event.eventType()).isEqualTo("lead.created");
        assertThat(event.providerEventId()).isEqualTo("evt_lead_created_1042");
        assertThat(event.receivedAt()).isEqualTo(Instant.parse("2026-11-20T21:00:00Z"));
        assertThat(event.lead()).containsEntry("phone_raw", "(470) 555-0188")
                .containsEntry("email", "daniel.okafor@example.com").containsEntry("full_name", "Daniel Okafor")
                .containsEntry("city", "Decatur").containsEntry("state", "GA")
                .containsEntry("country", null); // Perfex's numeric country id is not a country name
        assertThat(event.call()).containsEntry("lead_id", "1042").containsEntry("id", "1042")
                .containsEntry("lead_status", "Contacted").containsEntry("source_name", "Google")
                .containsEntry("assigned_to", "Dana Lee").containsEntry("start_time", "2026-11-20 15:02:09");
        assertThat((String) event.call().get("note")).startsWith("Asked for a quote on a full bathroom remodel");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) event.call().get("fields");
        assertThat(fields).containsEntry("Project Type", "Bathroom").containsEntry("Budget", "$25k-$35k")
                .containsEntry("title", "Homeowner").containsEntry("zip", "30030").doesNotContainKey("company");
    }

    @Test
    void statusChangedCarriesTheNewAndPreviousStatus() {
        InboundEvent event = parser.parse(TENANT, Fixtures.body("perfex", "lead-status-changed.json"));
        assertThat(event.call()).containsEntry("lead_status", "Proposal Sent");
        assertThat((Map<String, Object>) event.call().get("fields")).containsEntry("previous_status", "Contacted");
    }

    @Test
    void callEventsShareTheCallIdAndCarryTheirStage() {
        InboundEvent completed = parser.parse(TENANT, Fixtures.body("perfex", "call-completed.json"));
        InboundEvent transcribed = parser.parse(TENANT, Fixtures.body("perfex", "call-transcribed.json"));
        InboundEvent analysed = parser.parse(TENANT, Fixtures.body("perfex", "ai-analysis-complete.json"));

        assertThat(completed.call()).containsEntry("id", "88213").containsEntry("duration_seconds", 382L)
                .containsEntry("answered", true).containsEntry("direction", "inbound")
                .containsEntry("start_time", "2026-11-20 16:33:40").containsEntry("outcome", "completed")
                .containsEntry("business_phone_number", "+14045550199")
                .containsEntry("recording_url", "https://crm.peachtreekb.example/modules/calls/recordings/88213.mp3");
        assertThat((String) transcribed.call().get("transcription")).contains("walk-in shower");
        assertThat((String) analysed.call().get("summary")).startsWith("Master bathroom remodel");
        assertThat((Map<String, Object>) analysed.call().get("fields")).containsKey("analysis");
        assertThat(transcribed.call().get("id")).isEqualTo("88213");
        assertThat(analysed.call().get("id")).isEqualTo("88213");
        assertThat(completed.providerEventId()).isNotEqualTo(transcribed.providerEventId());
    }

    @Test
    void withoutAnEventIdTheBodyHashIdentifiesTheEvent() {
        String body = "{\"event\":\"lead.created\",\"data\":{\"id\":\"7\",\"email\":\"a@example.com\"}}";
        InboundEvent first = parser.parse(TENANT, body);
        InboundEvent again = parser.parse(TENANT, body);
        assertThat(first.providerEventId()).matches("sha256:[0-9a-f]{64}").isEqualTo(again.providerEventId());
        assertThat(first.partitionKey()).isEqualTo("acme|a@example.com");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "{\"data\":{}} => event",
            "{\"event\":\"invoice.paid\",\"data\":{}} => event",
            "{\"event\":\"lead.created\"} => data",
            "{\"event\":\"lead.created\",\"data\":[]} => data",
            "{\"event\":\"lead.created\",\"data\":{\"email\":\"a@b.c\"}} => data.id",
            "{\"event\":\"lead.created\",\"data\":{\"id\":\"1\",\"name\":\"Ann\"}} => data.phonenumber|data.email",
            "{\"event\":\"call_completed\",\"data\":{\"lead\":{\"email\":\"a@b.c\"},\"call\":{}}} => data.call.id",
            "{\"event\":\"call_completed\",\"data\":{\"call\":{\"id\":\"9\"}}} => data.lead.phonenumber|data.lead.email",
            "{\"event\":\"call_completed\",\"data\":{\"lead\":{\"email\":\"a@b.c\"},\"call\":{\"id\":\"9\",\"duration\":\"long\"}}} => data.call.duration",
            "{\"event\": => body",
            "[] => body"
    })
    void rejectsInvalidPayloadsNamingTheField(String body, String field) {
        WebhookRejectedException e = rejection(body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
    }

    @Test
    void aCallEventMayNameOnlyTheCallersNumber() {
        InboundEvent event = parser.parse(TENANT,
                "{\"event\":\"call_completed\",\"data\":{\"call\":{\"id\":\"9\",\"phonenumber\":\"4705550100\"}}}");
        assertThat(event.lead()).containsEntry("phone_raw", "4705550100");
        assertThat(event.call()).containsEntry("lead_id", null);
    }
}
