package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.mapping.MappingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/tenant-file.md load and evaluate as documented. */
class DocsExamplesTest {

    @TempDir
    Path dir;

    private static List<String> yamlBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(Path.of("docs", "tenant-file.md"))) {
            if (current == null && line.equals("```yaml")) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void completeExampleLoadsAndMaps() throws IOException {
        Path file = dir.resolve("acme-remodeling.yaml");
        Files.writeString(file, yamlBlocks().get(0));

        TenantConfig config = TenantFixtures.loader().load(file);

        Map<String, Object> ai = new HashMap<>();
        ai.put("lead_score", null);
        ai.put("project_type", "kitchen");
        ai.put("urgency", "low");
        Map<String, Object> lead = new HashMap<>();
        lead.put("phone", "+15551234567");
        lead.put("email", null);
        lead.put("first_name", "Jane");
        lead.put("last_name", "Doe");
        Map<String, Object> properties = config.destinations().get(0).mapping()
                .apply(new MappingContext(lead, Map.of("start_time", "2026-11-21T02:30:00Z"), ai));

        assertThat(properties).containsExactly(
                Map.entry("phone", "+15551234567"),
                Map.entry("firstname", "Jane"),
                Map.entry("lastname", "Doe"),
                Map.entry("last_call_date", "2026-11-20"),
                Map.entry("hs_lead_status", "NEW"),
                Map.entry("estimated_value", 45000L),
                Map.entry("follow_up_date", "2026-11-23"));
        assertThat(config.workflowTriggers().get(0).matches(new MappingContext(lead, Map.of(), ai))).isFalse();
    }

    @Test
    void moreExamplesCompileAndEvaluate() throws IOException {
        String examples = yamlBlocks().stream().filter(b -> b.startsWith("full_name:")).findFirst().orElseThrow();
        StringBuilder file = new StringBuilder("""
                tenant: examples
                lookups:
                  values: { kitchen: 45000 }
                destinations:
                  - id: crm
                    type: hubspot
                    computed:
                """);
        examples.lines().forEach(l -> file.append("      ").append(l).append('\n'));
        Path path = dir.resolve("examples.yaml");
        Files.writeString(path, file.toString());

        TenantConfig config = TenantFixtures.loader().load(path);

        Map<String, Object> lead = new HashMap<>(Map.of("first_name", "Jane", "last_name", "Doe", "full_name", "J D"));
        Map<String, Object> call = new HashMap<>(Map.of("tags", List.of("paid"), "utm_source", "google",
                "utm_medium", "cpc", "duration_seconds", 90));
        Map<String, Object> ai = new HashMap<>(Map.of("project_type", "bathroom", "urgency", "high", "lead_score", 95));
        assertThat(config.destinations().get(0).mapping().apply(new MappingContext(lead, call, ai))).containsExactly(
                Map.entry("full_name", "Jane Doe"),
                Map.entry("is_paid", true),
                Map.entry("source_detail", "google/cpc"),
                Map.entry("minutes", 1.5),
                Map.entry("estimated_value", 20000L),
                Map.entry("follow_up_date", "2026-11-22"), // tenant without timezone: UTC, today() = 2026-11-21
                Map.entry("priority", "P1"));
    }
}
