package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class TenantSecretResolverTest {

    @TempDir
    Path dir;

    private final TenantSecretResolver resolver =
            new TenantSecretResolver(new MockEnvironment().withProperty("ACME_KEY", "from-env"));

    @Test
    void resolvesEnvironmentVariables() {
        assertThat(resolver.apply("ACME_KEY")).isEqualTo("from-env");
        assertThat(resolver.apply("UNSET")).isNull();
    }

    @Test
    void readsFileReferencesWithoutTrailingLineBreaks() throws Exception {
        Path secret = Files.writeString(dir.resolve("token"), "pat-na1-secret\n");
        assertThat(resolver.apply("file:" + secret)).isEqualTo("pat-na1-secret");
        assertThat(resolver.apply("file:" + dir.resolve("missing"))).isNull();
    }

    @Test
    void resolvesVaultReferencesThroughCamelPropertyFunctionsOnceCamelStarted() {
        assertThatThrownBy(() -> resolver.apply("hashicorp:secret:acme#token"))
                .hasMessageContaining("resolves once Camel has started");
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "hashicorp";
            }

            @Override
            public String apply(String remainder) {
                return "vault(" + remainder + ")";
            }
        });
        resolver.camelStarted(camel);
        assertThat(resolver.apply("hashicorp:secret:acme#token")).isEqualTo("vault(secret:acme#token)");
    }

    @Test
    void tenantFileTakesSecretsFromFileReferences() throws Exception {
        Path secret = Files.writeString(dir.resolve("callrail_key"), "key-from-file\n");
        Path file = Files.writeString(dir.resolve("filesecret.yaml"), """
                tenant: filesecret
                sources:
                  callrail:
                    signing_key: ${file:%s}
                destinations: []
                """.formatted(secret));
        TenantConfig config = new TenantFileLoader(resolver, "US", Clock.systemUTC(), null).load(file);
        assertThat(config.sourceSecret("callrail", "signing_key").reveal()).isEqualTo("key-from-file");
    }

    @Test
    void missingSecretFileIsALoadErrorNamingTheReference() throws Exception {
        Path file = Files.writeString(dir.resolve("nofile.yaml"), """
                tenant: nofile
                sources:
                  callrail:
                    signing_key: ${file:/run/secrets/does-not-exist}
                destinations: []
                """);
        assertThatThrownBy(() -> new TenantFileLoader(resolver, "US", Clock.systemUTC(), null).load(file))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("nofile.yaml:4:")
                .hasMessageContaining("file:/run/secrets/does-not-exist");
    }
}
