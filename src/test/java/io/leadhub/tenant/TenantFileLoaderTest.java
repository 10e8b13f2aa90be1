package io.leadhub.tenant;

import static io.leadhub.tenant.TenantFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.mapping.MappingContext;
import io.leadhub.mapping.WorkflowTrigger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantFileLoaderTest {

    private final TenantConfig acme = TenantFixtures.loader().load(fixture("valid/acme-remodeling.yaml"));

    @Test
    void loadsTopLevelSettingsOfAFullFile() {
        assertThat(acme.tenant()).isEqualTo("acme-remodeling");
        assertThat(acme.file()).isEqualTo(fixture("valid/acme-remodeling.yaml"));
        assertThat(acme.defaultRegion()).isEqualTo("US");
        assertThat(acme.timezone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(acme.loadedAt()).isEqualTo(TenantFixtures.NOW);
    }

    @Test
    void resolvesSourceSecretsAndPlaceholderDefaults() {
        assertThat(acme.sourceSecret("callrail", "signing_key").reveal()).isEqualTo("callrail-signing-SECRET-1");
        assertThat(acme.source("callrail").orElseThrow()).containsEntry("company_id", "COM123");
        assertThat(acme.sourceSecret("twilio", "auth_token").isEmpty()).isTrue();
        assertThat(acme.sourceSecret("perfex", "api_key").isEmpty()).isTrue();
    }

    @Test
    void lookupsBecomePlainJavaMapsWithLongNumbers() {
        assertThat(acme.lookups()).containsOnlyKeys("values", "owners");
        assertThat(acme.lookups().get("values")).containsEntry("kitchen", 45000L).containsEntry("addition", 90000L);
    }

    @Test
    void destinationsGetDefaultsAndRetypedPlaceholders() {
        assertThat(acme.destinations()).extracting(DestinationConfig::id)
                .containsExactly("hubspot-main", "hubspot-sandbox");
        DestinationConfig main = acme.destination("hubspot-main").orElseThrow();
        assertThat(main.type()).isEqualTo("hubspot");
        assertThat(main.enabled()).isTrue(); // ${ACME_HUBSPOT_ENABLED:true}: plain, re-typed to a boolean
        assertThat(main.baseUrl()).isEqualTo(URI.create("https://api.hubapi.com"));
        assertThat(main.token().reveal()).isEqualTo("pat-na1-SECRET-2");
        assertThat(main.dryRun()).isEqualTo(DryRun.AUTO); // ${DEMO_DRY_RUN:auto}
        assertThat(main.isDryRun()).isFalse();
        assertThat(main.duplicateDetection())
                .isEqualTo(new DuplicateDetection(List.of("email", "phone"), DuplicateAction.SKIP));
        assertThat(main.settings()).isEmpty();

        DestinationConfig sandbox = acme.destination("hubspot-sandbox").orElseThrow();
        assertThat(sandbox.enabled()).isFalse();
        assertThat(sandbox.baseUrl()).isEqualTo(URI.create("https://sandbox.hubapi.test"));
        assertThat(sandbox.token().isEmpty()).isTrue();
        assertThat(sandbox.dryRun()).isEqualTo(DryRun.ON);
        assertThat(sandbox.duplicateDetection()).isEqualTo(DuplicateDetection.DEFAULT);
        assertThat(sandbox.mapping().propertyNames()).isEmpty();
    }

    @Test
    void environmentValuesOverridePlaceholderDefaults() {
        Map<String, String> env = TenantFixtures.env();
        env.put("DEMO_DRY_RUN", "false");
        env.put("ACME_HUBSPOT_ENABLED", "FALSE");
        env.put("SANDBOX_URL", "http://localhost:8089");
        TenantConfig config = TenantFixtures.loader(env).load(fixture("valid/acme-remodeling.yaml"));

        DestinationConfig main = config.destination("hubspot-main").orElseThrow();
        assertThat(main.dryRun()).isEqualTo(DryRun.OFF);
        assertThat(main.enabled()).isFalse();
        assertThat(config.destination("hubspot-sandbox").orElseThrow().baseUrl())
                .isEqualTo(URI.create("http://localhost:8089"));
    }

    @Test
    void dryRunAutoIsOnWhileTheTokenResolvedEmpty() {
        Map<String, String> env = TenantFixtures.env();
        env.put("ACME_HUBSPOT_TOKEN", "");
        DestinationConfig main = TenantFixtures.loader(env).load(fixture("valid/acme-remodeling.yaml"))
                .destination("hubspot-main").orElseThrow();
        assertThat(main.token().isEmpty()).isTrue();
        assertThat(main.isDryRun()).isTrue();
    }

    @Test
    void secretsAreMaskedInToString() {
        String text = acme.toString();
        assertThat(text).doesNotContain("SECRET").contains("****");
        assertThat(acme.destinations().get(0).toString()).doesNotContain("SECRET");
    }

    @Test
    void mappingPropertiesAreInSectionOrder() {
        assertThat(acme.destination("hubspot-main").orElseThrow().mapping().propertyNames()).containsExactly(
                "phone", "email", "firstname", "lastname", "lead_source",
                "ai_lead_score", "call_answered", "call_date", "call_started_at", "project_type", "call_summary",
                "hs_lead_status", "lifecyclestage",
                "estimated_value", "follow_up_date", "owner_email");
    }

    @Test
    void appliesTheMappingOfAFullFileToASampleLead() {
        Map<String, Object> properties = acme.destination("hubspot-main").orElseThrow().mapping()
                .apply(sampleLead(85, "kitchen", "high"));

        assertThat(properties).containsExactly(
                Map.entry("phone", "+15551234567"),
                Map.entry("email", "jane@example.com"),
                Map.entry("firstname", "Jane"),
                Map.entry("lead_source", "CallRail call"),
                Map.entry("ai_lead_score", 85L),
                Map.entry("call_answered", true),
                Map.entry("call_date", "2026-11-20"), // 02:30Z is still the 20th in New York
                Map.entry("call_started_at", "2026-11-21T02:30:00Z"),
                Map.entry("project_type", "kitchen"),
                Map.entry("call_summary", "Wants a new kitchen"),
                Map.entry("hs_lead_status", "HOT"),
                Map.entry("lifecyclestage", "lead"),
                Map.entry("estimated_value", 45000L),
                Map.entry("follow_up_date", "2026-11-21"), // today() in New York = 2026-11-20, plus 1 day
                Map.entry("owner_email", "ann@acme.test"));
        // lastname is null and therefore left out
    }

    @Test
    void conditionalFallsThroughToLaterEntriesAndTheDefault() {
        var mapping = acme.destination("hubspot-main").orElseThrow().mapping();
        assertThat(mapping.apply(sampleLead(60, "garage", "low")))
                .containsEntry("hs_lead_status", "WARM")
                .containsEntry("estimated_value", 20000L) // not in the values lookup
                .containsEntry("follow_up_date", "2026-11-23")
                .doesNotContainKey("owner_email"); // null result: left out
        assertThat(mapping.apply(sampleLead(20, "garage", "low"))).containsEntry("hs_lead_status", "NEW");
    }

    @Test
    void workflowTriggersMatchTheirConditions() {
        List<WorkflowTrigger> triggers = acme.workflowTriggers();
        assertThat(triggers).extracting(WorkflowTrigger::name).containsExactly("high_value_lead", "urgent_callback");
        assertThat(triggers.get(0).actions()).containsExactly("create_task", "send_notification");
        assertThat(triggers.get(0).matches(sampleLead(85, "kitchen", "high"))).isTrue();
        assertThat(triggers.get(0).matches(sampleLead(80, "kitchen", "high"))).isFalse();
        assertThat(triggers.get(1).matches(sampleLead(10, "kitchen", "high"))).isFalse(); // answered
    }

    @Test
    void theSchemaInTheMappingsFolderIsTheSameAsTheBuiltInCopy() throws Exception {
        Path folderCopy = Path.of("mappings", "tenant.schema.json");
        try (var in = TenantFileLoader.class.getResourceAsStream("/tenant.schema.json")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(folderCopy));
        }
        TenantConfig viaFolderSchema = new TenantFileLoader(TenantFixtures.env()::get, "GB", TenantFixtures.CLOCK,
                folderCopy).load(fixture("valid/acme-remodeling.yaml"));
        assertThat(viaFolderSchema.tenant()).isEqualTo("acme-remodeling");
    }

    @Test
    void defaultRegionComesFromTheLoaderWhenTheFileHasNone() {
        TenantConfig beta = TenantFixtures.loader(Map.of()).load(fixture("registry/beta-roofing.yaml"));
        assertThat(beta.defaultRegion()).isEqualTo("GB");
        assertThat(beta.timezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(beta.workflowTriggers()).isEmpty();
        assertThat(beta.sources()).isEmpty();
        assertThat(beta.lookups()).isEmpty();
    }

    static MappingContext sampleLead(int score, String projectType, String urgency) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("phone", "+15551234567");
        lead.put("email", "jane@example.com");
        lead.put("first_name", "Jane");
        lead.put("last_name", null);
        lead.put("returning", false);
        Map<String, Object> call = new HashMap<>();
        call.put("answered", true);
        call.put("start_time", "2026-11-21T02:30:00Z");
        call.put("summary", "Wants a new kitchen");
        call.put("duration_seconds", 125);
        Map<String, Object> ai = new HashMap<>();
        ai.put("lead_score", score);
        ai.put("project_type", projectType);
        ai.put("urgency", urgency);
        return new MappingContext(lead, call, ai);
    }
}
