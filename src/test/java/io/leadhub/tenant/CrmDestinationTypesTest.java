package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant-file side of the pipedrive, zoho, dynamics and monday destination types: their schema branches,
 * default base URLs, secrets, and the examples of README.md and docs/tenant-file.md.
 */
class CrmDestinationTypesTest {

    @TempDir
    Path dir;

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(TenantFixtures.env());
        for (String name : List.of("ACME_PIPEDRIVE_TOKEN", "ACME_ZOHO_CLIENT_ID", "ACME_ZOHO_CLIENT_SECRET",
                "ACME_ZOHO_REFRESH_TOKEN", "ACME_ENTRA_TENANT_ID", "ACME_ENTRA_CLIENT_ID", "ACME_ENTRA_CLIENT_SECRET",
                "ACME_MONDAY_TOKEN")) {
            // client and tenant ids are not secrets; everything else is, and must never show in toString()
            env.put(name, name.toLowerCase() + (name.endsWith("_ID") ? "" : "-SECRET"));
        }
        return env;
    }

    private TenantConfig load(String tenant, String yaml) throws IOException {
        Path file = dir.resolve(tenant + ".yaml");
        Files.writeString(file, yaml);
        return TenantFixtures.loader(env()).load(file);
    }

    private TenantConfigException loadError(String tenant, String yaml) throws IOException {
        Path file = dir.resolve(tenant + ".yaml");
        Files.writeString(file, yaml);
        return catchThrowableOfType(TenantConfigException.class, () -> TenantFixtures.loader(env()).load(file));
    }

    private static List<String> yamlBlocks(Path markdown) throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(markdown)) {
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
    void readmeExamplesOfEachCrmLoad() throws IOException {
        Map<String, String> types = new HashMap<>();
        for (String block : yamlBlocks(Path.of("README.md"))) {
            String tenant = block.lines().filter(l -> l.startsWith("tenant: ")).findFirst().map(l -> l.substring(8).trim())
                    .orElse("");
            if (List.of("acme-pipedrive", "acme-zoho", "acme-dynamics", "acme-monday").contains(tenant)) {
                TenantConfig config = load(tenant, block);
                types.put(tenant, config.destinations().get(0).type());
            }
        }
        assertThat(types).containsOnly(Map.entry("acme-pipedrive", "pipedrive"), Map.entry("acme-zoho", "zoho"),
                Map.entry("acme-dynamics", "dynamics"), Map.entry("acme-monday", "monday"));
    }

    @Test
    void docsDestinationExamplesOfEachCrmLoad() throws IOException {
        List<String> loaded = new ArrayList<>();
        for (String block : yamlBlocks(Path.of("docs", "tenant-file.md"))) {
            if (!block.startsWith("- id: ")) {
                continue;
            }
            StringBuilder file = new StringBuilder("tenant: docs\ndestinations:\n");
            block.lines().forEach(l -> file.append("  ").append(l).append('\n'));
            loaded.add(load("docs", file.toString()).destinations().get(0).type());
        }
        assertThat(loaded).contains("pipedrive", "zoho", "dynamics", "monday");
    }

    @Test
    void settingsAreTypedSecretsAreSecretsAndDefaultBaseUrlsApply() throws IOException {
        TenantConfig config = load("types", """
                tenant: types
                destinations:
                  - id: pd
                    type: pipedrive
                    api_token: ${ACME_PIPEDRIVE_TOKEN}
                    pipeline_id: ${PD_PIPELINE:3}
                    value_estimation: { kitchen: 45000 }
                  - id: zoho
                    type: zoho
                    client_id: ${ACME_ZOHO_CLIENT_ID}
                    client_secret: ${ACME_ZOHO_CLIENT_SECRET}
                    refresh_token: ${ACME_ZOHO_REFRESH_TOKEN}
                  - id: d365
                    type: dynamics
                    base_url: https://acme.crm.dynamics.com
                    tenant_id: contoso.onmicrosoft.com
                    client_id: ${ACME_ENTRA_CLIENT_ID}
                    client_secret: ${ACME_ENTRA_CLIENT_SECRET}
                    alternate_key: emailaddress1
                  - id: board
                    type: monday
                    token: ${ACME_MONDAY_TOKEN}
                    board_id: 1234567890
                    timeout_ms: 5000
                """);

        DestinationConfig pd = config.destination("pd").orElseThrow();
        assertThat(pd.baseUrl()).isEqualTo(URI.create("https://api.pipedrive.com"));
        assertThat(pd.settings().get("api_token")).isEqualTo(Secret.of("acme_pipedrive_token-SECRET"));
        assertThat(pd.settings()).containsEntry("pipeline_id", 3L).containsEntry("value_estimation", Map.of("kitchen", 45000L));
        assertThat(pd.isDryRun()).isFalse();
        DestinationConfig zoho = config.destination("zoho").orElseThrow();
        assertThat(zoho.baseUrl()).isNull();
        assertThat(zoho.settings().get("refresh_token")).isInstanceOf(Secret.class);
        assertThat(zoho.settings().get("client_id")).isEqualTo("acme_zoho_client_id");
        assertThat(config.destination("d365").orElseThrow().baseUrl()).isEqualTo(URI.create("https://acme.crm.dynamics.com"));
        DestinationConfig board = config.destination("board").orElseThrow();
        assertThat(board.baseUrl()).isEqualTo(URI.create("https://api.monday.com"));
        assertThat(board.token()).isEqualTo(Secret.of("acme_monday_token-SECRET"));
        assertThat(board.settings()).containsEntry("board_id", 1234567890L).containsEntry("timeout_ms", 5000L);
        assertThat(config.toString()).doesNotContain("SECRET");
    }

    @Test
    void dryRunAutoWithEmptyCredentialsIsADryRun() throws IOException {
        TenantConfig config = load("auto", """
                tenant: auto
                destinations:
                  - id: zoho
                    type: zoho
                    dry_run: auto
                    client_id: abc
                    client_secret: ${ZOHO_SECRET:}
                    refresh_token: ${ZOHO_REFRESH:}
                """);

        assertThat(config.destinations().get(0).isDryRun()).isTrue();
    }

    @Test
    void missingRequiredKeysOfEachTypeAreReported() throws IOException {
        TenantConfigException e = loadError("missing", """
                tenant: missing
                destinations:
                  - id: pd
                    type: pipedrive
                  - id: zoho
                    type: zoho
                    client_id: abc
                    client_secret: ${ACME_ZOHO_CLIENT_SECRET}
                  - id: d365
                    type: dynamics
                    tenant_id: t
                    client_id: c
                    client_secret: ${ACME_ENTRA_CLIENT_SECRET}
                  - id: board
                    type: monday
                    token: ${ACME_MONDAY_TOKEN}
                """);

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::reason).contains(
                org.assertj.core.groups.Tuple.tuple("destinations[0].api_token", "required key 'api_token' is missing"),
                org.assertj.core.groups.Tuple.tuple("destinations[1].refresh_token", "required key 'refresh_token' is missing"),
                org.assertj.core.groups.Tuple.tuple("destinations[2].base_url", "required key 'base_url' is missing"),
                org.assertj.core.groups.Tuple.tuple("destinations[3].board_id", "required key 'board_id' is missing"));
    }

    @Test
    void literalSecretsAndKeysOfAnotherTypeAreRejected() throws IOException {
        TenantConfigException e = loadError("wrong", """
                tenant: wrong
                destinations:
                  - id: pd
                    type: pipedrive
                    api_token: literal-token-value
                    token: ${ACME_MONDAY_TOKEN}
                  - id: board
                    type: monday
                    token: ${ACME_MONDAY_TOKEN}
                    board_id: 12
                    api_version: latest
                """);

        assertThat(e.getMessage()).doesNotContain("literal-token-value");
        assertThat(e.errors()).extracting(TenantConfigError::key).contains("destinations[0].api_token",
                "destinations[0].token", "destinations[1].api_version");
    }
}
