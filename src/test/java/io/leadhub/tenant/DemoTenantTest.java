package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo tenant that {@code samples/send} posts to loads with the development secrets of application.yaml. */
class DemoTenantTest {

    @Test
    void demoTenantLoadsWithEverySourceAndTheDevelopmentSecrets() throws IOException {
        JsonNode app = new ObjectMapper(new YAMLFactory()).readTree(Path.of("src/main/resources/application.yaml").toFile());
        Map<String, String> env = new HashMap<>();
        app.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("DEMO_")) {
                env.put(e.getKey(), e.getValue().asText());
            }
        });

        TenantConfig demo = TenantFixtures.loader(env).load(Path.of("mappings", "demo.yaml"));

        assertThat(demo.sources()).containsOnlyKeys("callrail", "perfex", "leadpro", "elevenlabs", "form", "twilio");
        assertThat(demo.sourceSecret("callrail", "signing_key").reveal()).isEqualTo("demo-callrail-signing-key");
        assertThat(demo.sourceSecret("perfex", "webhook_secret").reveal()).isEqualTo("demo-perfex-webhook-secret");
        assertThat(demo.sourceSecret("leadpro", "webhook_secret").reveal()).isEqualTo("demo-leadpro-webhook-secret");
        assertThat(demo.sourceSecret("elevenlabs", "webhook_secret").reveal()).isEqualTo("demo-elevenlabs-webhook-secret");
        assertThat(demo.sourceSecret("form", "webhook_secret").reveal()).isEqualTo("demo-form-webhook-secret");
    }
}
