package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantApiKeysTest {

    @TempDir
    Path dir;

    private Path file(String body) throws IOException {
        return Files.writeString(dir.resolve("keyed.yaml"), "tenant: keyed\n" + body + "destinations: []\n");
    }

    @Test
    void apiKeysArePlaceholderSecretsComparedExactly() throws IOException {
        Map<String, String> env = TenantFixtures.env();
        env.put("KEYED_API_KEY", "key-SECRET-1");
        env.put("KEYED_API_KEY_NEXT", "key-SECRET-2");
        TenantConfig config = TenantFixtures.loader(env)
                .load(file("api_keys: [\"${KEYED_API_KEY}\", \"${KEYED_API_KEY_NEXT}\", \"${KEYED_UNSET:}\"]\n"));

        assertThat(config.apiKeys()).hasSize(2);
        assertThat(config.apiKeys().toString()).doesNotContain("SECRET");
        assertThat(config.acceptsApiKey("key-SECRET-1")).isTrue();
        assertThat(config.acceptsApiKey("key-SECRET-2")).isTrue();
        assertThat(config.acceptsApiKey("key-SECRET")).isFalse();
        assertThat(config.acceptsApiKey("")).isFalse();
        assertThat(config.acceptsApiKey(null)).isFalse();
    }

    @Test
    void withoutApiKeysNoKeyIsAccepted() throws IOException {
        TenantConfig config = TenantFixtures.loader().load(file(""));

        assertThat(config.apiKeys()).isEmpty();
        assertThat(config.acceptsApiKey("anything")).isFalse();
    }

    @Test
    void literalApiKeyIsRejectedWithoutEchoingIt() throws IOException {
        Path file = file("api_keys:\n  - literal-key-123\n");

        assertThatThrownBy(() -> TenantFixtures.loader().load(file))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("api_keys[0]")
                .hasMessageContaining("placeholder")
                .hasMessageNotContaining("literal-key-123");
    }
}
