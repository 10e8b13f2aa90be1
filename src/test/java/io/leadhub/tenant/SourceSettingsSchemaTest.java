package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sources.perfex / leadpro / elevenlabs / form} settings as the tenant schema and loader see them. */
class SourceSettingsSchemaTest {

    @TempDir
    Path dir;

    private static final Map<String, String> ENV = Map.of("S1", "secret-value-1", "S2", "secret-value-2",
            "ACME_HUBSPOT_TOKEN", "pat");

    private Path file(String tenant, String sources) throws IOException {
        Path file = dir.resolve(tenant + ".yaml");
        Files.writeString(file, "tenant: " + tenant + "\nsources:\n" + sources.stripTrailing() + "\ndestinations: []\n");
        return file;
    }

    private TenantConfig load(String sources) throws IOException {
        return TenantFixtures.loader(ENV).load(file("t", sources));
    }

    private List<TenantConfigError> errors(String sources) throws IOException {
        Path file = file("t", sources);
        Throwable thrown = catchThrowable(() -> TenantFixtures.loader(ENV).load(file));
        assertThat(thrown).as("expected a config error").isInstanceOf(TenantConfigException.class);
        TenantConfigException e = (TenantConfigException) thrown;
        assertThat(e.getMessage()).doesNotContain("secret-value");
        return e.errors();
    }

    @Test
    void everyNewSourceLoadsWithTypedSettings() throws IOException {
        TenantConfig config = load("""
                  perfex:
                    webhook_secret: ${S1}
                    timestamp_tolerance_seconds: 900
                  leadpro:
                    webhook_secret: ${S1}
                    signature_header: X-Signature
                    field_map: { phone: data.mobile, email: /data/contact/mail, lead_id: data.phones.0 }
                    event_map: { lead.update: lead_updated }
                  elevenlabs:
                    webhook_secret: ${S2}
                    lead_id_variable: crm_id
                    deliver_call_failures: true
                  form:
                    auth: api_key
                    api_key: ${S2}
                """);
        assertThat(config.sourceSecret("perfex", "webhook_secret").reveal()).isEqualTo("secret-value-1");
        assertThat(config.source("perfex").orElseThrow()).containsEntry("timestamp_tolerance_seconds", 900L);
        assertThat(config.source("leadpro").orElseThrow().get("field_map"))
                .isEqualTo(Map.of("phone", "data.mobile", "email", "/data/contact/mail", "lead_id", "data.phones.0"));
        assertThat(config.source("elevenlabs").orElseThrow()).containsEntry("deliver_call_failures", true);
        assertThat(config.sourceSecret("form", "api_key").reveal()).isEqualTo("secret-value-2");
    }

    @Test
    void theFormDefaultsToHmacAndThenNeedsItsSecret() throws IOException {
        assertThat(load("  form:\n    webhook_secret: ${S1}").source("form")).isPresent();
        assertThat(errors("  form:\n    api_key: ${S1}"))
                .extracting(TenantConfigError::key, TenantConfigError::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("sources.form.webhook_secret",
                        "required key 'webhook_secret' is missing"));
        assertThat(errors("  form:\n    auth: api_key\n    webhook_secret: ${S1}"))
                .extracting(TenantConfigError::key, TenantConfigError::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("sources.form.api_key",
                        "required key 'api_key' is missing"));
    }

    @Test
    void aMissingSecretIsReportedAtTheSource() throws IOException {
        for (String source : List.of("perfex", "leadpro", "elevenlabs")) {
            String setting = source.equals("leadpro") ? "signature_header: X-Sig" : "timestamp_tolerance_seconds: 60";
            assertThat(errors("  " + source + ":\n    " + setting))
                    .extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::reason)
                    .contains(org.assertj.core.groups.Tuple.tuple("sources." + source + ".webhook_secret", 4,
                            "required key 'webhook_secret' is missing"));
        }
    }

    @Test
    void aMisspelledKeyIsAnError() throws IOException {
        assertThat(errors("  elevenlabs:\n    webhook_secret: ${S1}\n    webhook_secrte: ${S2}"))
                .extracting(TenantConfigError::key, TenantConfigError::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("sources.elevenlabs.webhook_secrte",
                        "unknown key 'webhook_secrte'"));
    }

    @Test
    void aLiteralSecretIsRejected() throws IOException {
        assertThat(errors("  perfex:\n    webhook_secret: whsec_literal"))
                .extracting(TenantConfigError::key, TenantConfigError::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("sources.perfex.webhook_secret",
                        "secret must be a ${ENV_VAR} placeholder, not a literal"));
    }

    @Test
    void badValuesAreReportedAtTheirKeys() throws IOException {
        List<TenantConfigError> errors = errors("""
                  perfex:
                    webhook_secret: ${S1}
                    timestamp_tolerance_seconds: 0
                  elevenlabs:
                    webhook_secret: ${S1}
                    deliver_call_failures: sometimes
                  leadpro:
                    webhook_secret: ${S1}
                    signature_header: "X Sig"
                    field_map: { nickname: data.nick, phone: "data..mobile", email: "/data/~2" }
                    event_map: { lead.delete: lead_deleted }
                  form:
                    auth: oauth
                    webhook_secret: ${S1}
                """);
        assertThat(errors).extracting(TenantConfigError::key).contains(
                "sources.perfex.timestamp_tolerance_seconds",
                "sources.elevenlabs.deliver_call_failures",
                "sources.leadpro.signature_header",
                "sources.leadpro.field_map.phone",
                "sources.leadpro.field_map.email",
                "sources.leadpro.event_map.lead.delete",
                "sources.form.auth");
        assertThat(errors).anySatisfy(e -> assertThat(e.key()).startsWith("sources.leadpro.field_map")
                .satisfies(k -> assertThat(e.reason()).contains("nickname")));
    }

    private static List<String> yamlTenantBlocks(Path markdown) throws IOException {
        List<String> blocks = new java.util.ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(markdown)) {
            if (current == null && line.equals("```yaml")) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                if (current.toString().startsWith("tenant: ")) {
                    blocks.add(current.toString());
                }
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void theSourceExamplesOfTheDocsLoad() throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        for (String name : List.of("ACME_CALLRAIL_KEY", "ACME_PERFEX_SECRET", "ACME_LEADPRO_SECRET",
                "ACME_ELEVENLABS_SECRET", "ACME_FORM_API_KEY", "HOOLI_LEADPRO_SECRET")) {
            env.put(name, "secret");
        }
        List<String> blocks = new java.util.ArrayList<>(yamlTenantBlocks(Path.of("docs", "tenant-file.md")));
        blocks.removeIf(b -> !b.startsWith("tenant: sources-example"));
        blocks.addAll(yamlTenantBlocks(Path.of("docs", "inbound-payloads.md")));
        assertThat(blocks).hasSize(2);
        for (String block : blocks) {
            String tenant = block.lines().findFirst().orElseThrow().substring("tenant: ".length()).trim();
            Path file = dir.resolve(tenant + ".yaml");
            Files.writeString(file, block);
            TenantConfig config = TenantFixtures.loader(env).load(file);
            assertThat(config.source("leadpro")).isPresent();
        }
    }
}
