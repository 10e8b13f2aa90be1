package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tenant file's {@code ai.llm} block: parsed into {@link TenantLlmSettings}, secrets and errors as elsewhere. */
class TenantLlmSettingsTest {

    private static final TenantLlmSettings.GlobalDefaults GLOBAL = new TenantLlmSettings.GlobalDefaults() {
        @Override
        public String baseUrl() {
            return "https://api.openai.com/v1";
        }

        @Override
        public String model() {
            return "gpt-4o-mini";
        }
    };

    @TempDir
    Path dir;

    private Path file(String ai) throws IOException {
        return Files.writeString(dir.resolve("llmco.yaml"), "tenant: llmco\n" + ai + "destinations: []\n");
    }

    private static Map<String, String> env() {
        Map<String, String> env = TenantFixtures.env();
        env.put("LLMCO_OPENAI_KEY", "sk-llmco-SECRET-9");
        return env;
    }

    private static TenantFileLoader loader(TenantLlmSettings.GlobalDefaults defaults) {
        return new TenantFileLoader(env()::get, "US", TenantFixtures.CLOCK, null, defaults);
    }

    private TenantConfigException error(String ai, TenantLlmSettings.GlobalDefaults defaults) throws IOException {
        Path file = file(ai);
        Throwable thrown = catchThrowable(() -> loader(defaults).load(file));
        assertThat(thrown).isInstanceOf(TenantConfigException.class);
        assertThat(thrown.getMessage()).doesNotContain("SECRET");
        return (TenantConfigException) thrown;
    }

    @Test
    void fullBlockIsParsedWithTheKeyAsSecret() throws IOException {
        TenantConfig config = loader(GLOBAL).load(file("""
                ai:
                  llm:
                    enabled: true
                    base_url: https://llm.example.com/v1
                    model: llama3
                    api_key: ${LLMCO_OPENAI_KEY}
                    timeout_ms: 3000
                    response_format: json_object
                    prompt_price_per_1k: 0.15
                    completion_price_per_1k: 0.6
                """));

        TenantLlmSettings llm = config.llm();
        assertThat(llm.enabled()).isTrue();
        assertThat(llm.baseUrl()).isEqualTo("https://llm.example.com/v1");
        assertThat(llm.model()).isEqualTo("llama3");
        assertThat(llm.apiKey().reveal()).isEqualTo("sk-llmco-SECRET-9");
        assertThat(llm.timeoutMs()).isEqualTo(3000L);
        assertThat(llm.responseFormat()).isEqualTo("json_object");
        assertThat(llm.promptPricePer1k()).isEqualTo(0.15);
        assertThat(llm.completionPricePer1k()).isEqualTo(0.6);
        assertThat(llm.toString()).doesNotContain("SECRET");
        assertThat(config.toString()).doesNotContain("SECRET");
    }

    @Test
    void unsetKeysStayNullAndNoBlockMeansNoSettings() throws IOException {
        TenantLlmSettings llm = loader(GLOBAL).load(file("ai:\n  llm:\n    model: gpt-4o\n")).llm();

        assertThat(llm).isEqualTo(new TenantLlmSettings(null, null, "gpt-4o", null, null, null, null, null));
        assertThat(loader(GLOBAL).load(file("")).llm()).isNull();
    }

    @Test
    void placeholdersAreTypedAndAnOptionalEmptyKeyMeansNoKey() throws IOException {
        TenantLlmSettings llm = loader(GLOBAL).load(file("""
                ai:
                  llm:
                    enabled: ${LLMCO_LLM_ENABLED:false}
                    timeout_ms: ${LLMCO_LLM_TIMEOUT:2500}
                    api_key: ${LLMCO_UNSET_KEY:}
                """)).llm();

        assertThat(llm.enabled()).isFalse();
        assertThat(llm.timeoutMs()).isEqualTo(2500L);
        assertThat(llm.apiKey()).isEqualTo(Secret.empty());
    }

    @Test
    void literalApiKeyIsRejectedWithoutEchoingIt() throws IOException {
        TenantConfigException e = error("ai:\n  llm:\n    api_key: sk-literal-123\n", GLOBAL);

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::reason)
                .containsExactly(tuple("ai.llm.api_key", 4, "secret must be a ${ENV_VAR} placeholder, not a literal"));
        assertThat(e.getMessage()).startsWith(dir.resolve("llmco.yaml") + ":4:14: ai.llm.api_key: ")
                .doesNotContain("sk-literal-123");
    }

    @Test
    void enablingWithoutBaseUrlOrModelAnywhereIsAnErrorAtEnabled() throws IOException {
        TenantConfigException e = error("ai:\n  llm:\n    enabled: true\n", null);

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column)
                .containsExactly(tuple("ai.llm.enabled", 4, 14));
        assertThat(e.errors().get(0).reason()).isEqualTo("enabled: true needs base_url and model in ai.llm, because"
                + " the global leadhub.ai.llm.base-url/model is not set");
        TenantLlmSettings.GlobalDefaults blankModel = new TenantLlmSettings.GlobalDefaults() {
            @Override
            public String baseUrl() {
                return "https://api.openai.com/v1";
            }

            @Override
            public String model() {
                return " ";
            }
        };
        assertThat(error("ai:\n  llm:\n    enabled: true\n", blankModel).errors().get(0).reason())
                .isEqualTo("enabled: true needs model in ai.llm, because the global leadhub.ai.llm.model is not set");
    }

    @Test
    void enablingWithGlobalOrOwnBaseUrlAndModelLoads() throws IOException {
        assertThat(loader(GLOBAL).load(file("ai:\n  llm:\n    enabled: true\n")).llm().enabled()).isTrue();
        assertThat(loader(null).load(file("ai:\n  llm:\n    enabled: true\n    base_url: http://ollama:11434/v1\n"
                + "    model: llama3\n")).llm().baseUrl()).isEqualTo("http://ollama:11434/v1");
        assertThat(loader(null).load(file("ai:\n  llm:\n    enabled: false\n")).llm().enabled()).isFalse();
    }

    @Test
    void docsExampleLoads() throws IOException {
        String block = String.join("\n", Files.readAllLines(Path.of("docs", "tenant-file.md")))
                .split("```yaml\nai:\n", 2)[1].split("```", 2)[0];
        Map<String, String> env = env();
        env.put("ACME_OPENAI_KEY", "sk-acme-SECRET-1");

        TenantLlmSettings llm = new TenantFileLoader(env::get, "US", TenantFixtures.CLOCK, null, GLOBAL)
                .load(file("ai:\n" + block)).llm();

        assertThat(llm).isEqualTo(new TenantLlmSettings(true, "https://api.openai.com/v1", "gpt-4o-mini",
                Secret.of("sk-acme-SECRET-1"), 8000L, null, null, null));
    }

    @Test
    void schemaRejectsUnknownKeysBadValuesAndBadUrls() throws IOException {
        TenantConfigException e = error("""
                ai:
                  llm:
                    modle: gpt-4o
                    timeout_ms: 0
                    response_format: text
                    base_url: ftp://llm.example.com
                  rules: {}
                """, GLOBAL);

        assertThat(e.errors()).extracting(TenantConfigError::key)
                .containsExactlyInAnyOrder("ai.llm.modle", "ai.llm.timeout_ms", "ai.llm.response_format",
                        "ai.llm.base_url", "ai.rules");
    }
}
