package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant-file examples of README "Workflow triggers" and "AI analysis" (per-tenant LLM) load, with every
 * placeholder they name set, so the README cannot drift from the schema and the loader.
 */
class IntelligenceDocsExamplesTest {

    @TempDir
    Path dir;

    /** @return the first {@code ```yaml} block after the line that starts with {@code marker} */
    private static String firstYamlBlockAfter(String marker) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith(marker)) {
            at++;
        }
        assertThat(at).as("README line starting with " + marker).isLessThan(lines.size());
        int start = lines.subList(at, lines.size()).indexOf("```yaml") + at + 1;
        int end = lines.subList(start, lines.size()).indexOf("```") + start;
        return String.join("\n", lines.subList(start, end)) + "\n";
    }

    private TenantRegistry load(String body) throws IOException {
        Files.writeString(dir.resolve("acme.yaml"), "tenant: acme\ndestinations: []\n" + body);
        return new TenantRegistry(dir, new TenantFileLoader(name -> name.startsWith("ACME_") ? "secret-" + name : null,
                "US", Clock.systemUTC(), null));
    }

    @Test
    void theWorkflowTriggersExampleLoads() throws IOException {
        TenantRegistry registry = load(firstYamlBlockAfter("## Workflow triggers"));

        assertThat(registry.errors()).isEmpty();
        TenantConfig acme = registry.find("acme").orElseThrow();
        assertThat(acme.workflowTriggers()).extracting(t -> t.name())
                .containsExactly("hot_lead", "hot_lead_mail", "thank_caller");
        assertThat(acme.workflow()).containsKeys("notification", "sms");
    }

    @Test
    void thePerTenantLlmExampleLoads() throws IOException {
        TenantRegistry registry = load(firstYamlBlockAfter("**Per tenant.** A tenant can use its own LLM"));

        assertThat(registry.errors()).isEmpty();
        assertThat(registry.find("acme").orElseThrow().llm()).satisfies(llm -> {
            assertThat(llm.enabled()).isTrue();
            assertThat(llm.model()).isEqualTo("llama3.1:8b");
        });
    }
}
