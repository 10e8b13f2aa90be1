package io.leadhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.config.DataDirDefaults;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class DeploymentModeTest {

    @Test
    void embeddedDefaultWhenNeitherDatabaseNorKafkaIsConfigured() {
        DeploymentMode mode = DeploymentMode.of("jdbc:h2:file:/data/db/leadhub", true, "");

        assertThat(mode.production()).isFalse();
        assertThat(mode.reason()).isEqualTo("embedded default");
        assertThat(DeploymentMode.of(null, false, null).production()).isFalse();
        assertThat(DeploymentMode.of("  ", false, "  ").production()).isFalse();
    }

    @Test
    void externalDatasourceUrlIsProductionMode() {
        DeploymentMode mode = DeploymentMode.of("jdbc:postgresql://db:5432/leadhub", false, "");

        assertThat(mode.production()).isTrue();
        assertThat(mode.reason()).isEqualTo("spring.datasource.url is set");
    }

    @Test
    void externalKafkaBrokersAreProductionModeEvenOnTheEmbeddedDatabase() {
        DeploymentMode mode = DeploymentMode.of("jdbc:h2:file:/data/db/leadhub", true, "kafka-1:9092,kafka-2:9092");

        assertThat(mode.production()).isTrue();
        assertThat(mode.reason()).isEqualTo("leadhub.kafka.brokers is set");
        assertThat(DeploymentMode.of("jdbc:postgresql://db/leadhub", false, "kafka:9092").reason())
                .isEqualTo("spring.datasource.url and leadhub.kafka.brokers are set");
    }

    /** @return an environment without JVM system properties and OS variables (the e2e base class sets some) */
    private static StandardEnvironment isolated() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        return env;
    }

    @Test
    void readsTheEnvironmentAndTellsLeadHubsOwnH2DefaultFromAnOperatorsUrl() {
        StandardEnvironment embedded = isolated();
        new DataDirDefaults().postProcessEnvironment(embedded, null);
        assertThat(embedded.getProperty("spring.datasource.url")).startsWith("jdbc:h2:file:");
        assertThat(DeploymentMode.of(embedded).production()).isFalse();

        StandardEnvironment external = isolated();
        external.getPropertySources().addFirst(new MapPropertySource("operator",
                Map.of("spring.datasource.url", "jdbc:postgresql://db:5432/leadhub")));
        new DataDirDefaults().postProcessEnvironment(external, null);
        assertThat(DeploymentMode.of(external)).isEqualTo(new DeploymentMode(true, false));

        StandardEnvironment kafka = isolated();
        kafka.getPropertySources().addFirst(new MapPropertySource("operator", Map.of("leadhub.kafka.brokers", "kafka:9092")));
        new DataDirDefaults().postProcessEnvironment(kafka, null);
        assertThat(DeploymentMode.of(kafka)).isEqualTo(new DeploymentMode(false, true));
    }
}
