package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The destination blocks of README "Destinations: custom REST, webhooks, Perfex, LeadPro, HubSpot deals" load. */
class DestinationDocsExamplesTest {

    @TempDir
    Path dir;

    /** @return the yaml blocks of the README section that are destination entries ({@code - id: ...}) */
    private static List<String> destinationBlocks() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Destinations: custom REST, webhooks, Perfex, LeadPro, HubSpot deals");
        assertThat(start).as("README section").isNotNegative();
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines.subList(start, lines.size())) {
            if (current == null && line.equals("```yaml")) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks.stream().filter(b -> b.startsWith("  - id: ")).toList();
    }

    @Test
    void everyDestinationExampleOfTheReadmeLoads() throws IOException {
        List<String> blocks = destinationBlocks();
        assertThat(blocks).hasSize(5);
        Map<String, String> env = TenantFixtures.env();
        env.putAll(Map.of("ACME_CRM_CLIENT_SECRET", "s1", "ACME_WEBHOOK_SECRET", "whsec_c2VjcmV0", "ACME_PERFEX_TOKEN",
                "s3", "ACME_LEADPRO_TOKEN", "s4"));
        StringBuilder file = new StringBuilder("tenant: docs\ndestinations:\n");
        blocks.forEach(file::append);
        Path path = dir.resolve("docs.yaml");
        Files.writeString(path, file.toString());

        TenantConfig config = TenantFixtures.loader(env).load(path);

        assertThat(config.destinations()).extracting(DestinationConfig::type)
                .containsExactly("custom_rest", "webhook", "perfex", "leadpro", "hubspot");
    }
}
