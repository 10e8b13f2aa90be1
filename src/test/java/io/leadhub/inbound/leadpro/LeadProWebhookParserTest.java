package io.leadhub.inbound.leadpro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LeadProWebhookParserTest {

    private static final TenantConfig CANONICAL = Fixtures.tenant("leadpro", Map.of("webhook_secret", Secret.of("s")));
    /** The field and event maps docs/inbound-payloads.md shows for installation-custom-shape.json. */
    static final Map<String, Object> CUSTOM_SETTINGS = Map.of(
            "webhook_secret", Secret.of("s"),
            "field_map", customFieldMap(),
            "event_map", Map.of("lead.update", "lead_updated", "lead.assign", "lead_assigned"));
    private static final TenantConfig CUSTOM = Fixtures.tenant("leadpro", CUSTOM_SETTINGS);

    private final LeadProWebhookParser parser = new LeadProWebhookParser(new ObjectMapper(), new PhoneNormalizer(),
            Optional.of(Clock.fixed(Instant.parse("2026-11-20T21:00:00Z"), ZoneOffset.UTC)));

    private static Map<String, Object> customFieldMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "type");
        m.put("event_id", "uuid");
        m.put("occurred_at", "timestamp");
        m.put("lead_id", "lead.lead_no");
        m.put("name", "lead.contact.full_name");
        m.put("phone", "lead.contact.mobile");
        m.put("email", "/lead/contact/mail");
        m.put("city", "lead.address.city");
        m.put("state", "lead.address.state");
        m.put("project_type", "lead.requirement");
        m.put("budget_range", "lead.budget");
        m.put("status", "lead.stage");
        m.put("assignee", "lead.owner.name");
        return m;
    }

    static List<String> canonicalFixtures() {
        return Fixtures.names("leadpro").stream().filter(n -> n.startsWith("lead-")).toList();
    }

    private WebhookRejectedException rejection(TenantConfig tenant, String body) {
        try {
            parser.parse(tenant, body);
        } catch (WebhookRejectedException e) {
            return e;
        }
        throw new AssertionError("expected a rejection of " + body);
    }

    @ParameterizedTest
    @MethodSource("canonicalFixtures")
    void canonicalFixturesParseWithEveryKeyAndEqualTheirSamples(String name) throws Exception {
        String body = Fixtures.body("leadpro", name);
        assertThat(Files.readString(Path.of("samples/leadpro", name))).isEqualTo(body);
        InboundEvent event = parser.parse(CANONICAL, body);
        assertThat(event.source()).isEqualTo("leadpro");
        assertThat(event.call()).containsKeys(CanonicalFields.CALL_KEYS.toArray(String[]::new));
        assertThat(event.lead()).containsKeys(CanonicalFields.LEAD_KEYS.toArray(String[]::new));
        assertThat(event.partitionKey()).isEqualTo("acme|+14045550163");
        assertThat(event.call()).containsEntry("lead_id", "LP-20931");
    }

    @Test
    void leadUpdatedMapsEveryCanonicalField() {
        InboundEvent event = parser.parse(CANONICAL, Fixtures.body("leadpro", "lead-updated.json"));
        assertThat(event.eventType()).isEqualTo("lead_updated");
        assertThat(event.providerEventId()).isEqualTo("lp_evt_20261120_000481");
        assertThat(event.lead()).containsEntry("phone_raw", "(404) 555-0163").containsEntry("full_name", "Sofia Alvarez")
                .containsEntry("email", "sofia.alvarez@example.com").containsEntry("city", "Roswell")
                .containsEntry("state", "GA").containsEntry("country", "US");
        assertThat(event.call()).containsEntry("project_type", "Kitchen remodel")
                .containsEntry("budget_range", "$50,000 - $75,000").containsEntry("lead_status", "qualified")
                .containsEntry("assigned_to", "Dana Lee").containsEntry("source_name", "Houzz")
                .containsEntry("start_time", "2026-11-20T18:22:05Z").containsEntry("event_type", "lead_updated");
        assertThat((String) event.call().get("note")).startsWith("Wants quartz countertops");
        assertThat((Map<String, Object>) event.call().get("fields")).containsEntry("id", "LP-20931");
    }

    @Test
    void assignedAndStatusChangedCarryTheNewValues() {
        assertThat(parser.parse(CANONICAL, Fixtures.body("leadpro", "lead-assigned.json")).call())
                .containsEntry("event_type", "lead_assigned").containsEntry("assigned_to", "Marco Ruiz");
        InboundEvent status = parser.parse(CANONICAL, Fixtures.body("leadpro", "lead-status-changed.json"));
        assertThat(status.call()).containsEntry("lead_status", "estimate_scheduled");
        assertThat((Map<String, Object>) status.call().get("fields")).containsEntry("previous_status", "qualified");
    }

    @Test
    void anInstallationWithAnotherShapeIsAdaptedByFieldAndEventMaps() throws Exception {
        String body = Fixtures.body("leadpro", "installation-custom-shape.json");
        assertThat(Files.readString(Path.of("samples/leadpro", "installation-custom-shape.json"))).isEqualTo(body);
        InboundEvent event = parser.parse(CUSTOM, body);

        assertThat(event.eventType()).isEqualTo("lead_updated");
        assertThat(event.providerEventId()).isEqualTo("9b1f4c2e-7a3d-4e6b-8c5d-2f1a0e9d8c7b");
        assertThat(event.partitionKey()).isEqualTo("acme|+16785550191");
        assertThat(event.lead()).containsEntry("full_name", "Omar Haddad").containsEntry("phone_raw", "+1 678 555 0191")
                .containsEntry("email", "omar.haddad@example.com").containsEntry("city", "Smyrna")
                .containsEntry("state", "GA");
        assertThat(event.call()).containsEntry("lead_id", "77120").containsEntry("project_type", "Basement finishing")
                .containsEntry("budget_range", "30k-40k").containsEntry("lead_status", "new")
                .containsEntry("assigned_to", "Dana Lee").containsEntry("start_time", "2026-11-20T19:40:12Z");
        assertThat((Map<String, Object>) event.call().get("fields")).containsEntry("lead_no", 77120L)
                .containsKey("contact");
    }

    @Test
    void withoutAnEventIdTheBodyHashIdentifiesTheEvent() {
        String body = "{\"event\":\"lead_updated\",\"data\":{\"id\":\"1\",\"email\":\"a@example.com\"}}";
        assertThat(parser.parse(CANONICAL, body).providerEventId())
                .isEqualTo("sha256:" + io.leadhub.inbound.signature.Hmac.sha256Hex(body.getBytes()));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "{\"data\":{\"id\":\"1\",\"phone\":\"4045550100\"}} => event",
            "{\"event\":\"lead_deleted\",\"data\":{\"id\":\"1\",\"phone\":\"4045550100\"}} => event",
            "{\"event\":\"lead_updated\",\"data\":{\"phone\":\"4045550100\"}} => data.id",
            "{\"event\":\"lead_updated\",\"data\":{\"id\":\"1\",\"name\":\"Ann\"}} => data.phone|data.email",
            "not json => body"
    })
    void rejectsInvalidCanonicalPayloadsNamingTheField(String body, String field) {
        WebhookRejectedException e = rejection(CANONICAL, body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
    }

    @Test
    void errorsNameTheLocationsOfTheTenantsFieldMap() {
        assertThat(rejection(CUSTOM, "{\"type\":\"lead.update\",\"lead\":{\"lead_no\":1}}").field())
                .isEqualTo("lead.contact.mobile|/lead/contact/mail");
        WebhookRejectedException unknown = rejection(CUSTOM, "{\"type\":\"lead.delete\",\"lead\":{\"lead_no\":1}}");
        assertThat(unknown.field()).isEqualTo("type");
        assertThat(unknown.getMessage()).contains("sources.leadpro.event_map");
    }

    @Test
    void fieldMapAcceptsPointersAndDottedPathsWithArrayIndexes() {
        assertThat(LeadProFieldMap.pointer("data.phones.0").toString()).isEqualTo("/data/phones/0");
        assertThat(LeadProFieldMap.pointer("/data/a~1b").toString()).isEqualTo("/data/a~1b");
        assertThat(LeadProFieldMap.pointer("data.a~b").toString()).isEqualTo("/data/a~0b");
        assertThatThrownBy(() -> LeadProFieldMap.pointer("data..x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeadProFieldMap.of(Map.of("nickname", "data.nick")))
                .hasMessageContaining("sources.leadpro.field_map.nickname");
        TenantConfig arrays = Fixtures.tenant("leadpro", Map.of("webhook_secret", Secret.of("s"),
                "field_map", Map.of("phone", "data.phones.1")));
        InboundEvent event = parser.parse(arrays,
                "{\"event\":\"lead_updated\",\"data\":{\"id\":\"1\",\"phones\":[\"\",\"+14045550111\"]}}");
        assertThat(event.lead()).containsEntry("phone_raw", "+14045550111");
    }
}
