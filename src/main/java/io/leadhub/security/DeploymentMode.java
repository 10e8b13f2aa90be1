package io.leadhub.security;

import io.leadhub.config.DataDirDefaults;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Whether the hub runs in production mode: an external database ({@code spring.datasource.url} configured by the
 * operator, not LeadHub's embedded H2 default from {@link DataDirDefaults}) or external Kafka brokers
 * ({@code leadhub.kafka.brokers} not blank). Anything else is the embedded default (H2 file database and the
 * in-process Kafka broker under the data dir), meant for a developer's machine.
 *
 * @param externalDatasource true when the operator configured {@code spring.datasource.url}
 * @param externalKafka      true when the operator configured {@code leadhub.kafka.brokers}
 */
public record DeploymentMode(boolean externalDatasource, boolean externalKafka) {

    /**
     * Reads the mode from the Spring environment.
     *
     * @param env the application's environment (after {@link DataDirDefaults} ran)
     * @return the mode; never null
     */
    public static DeploymentMode of(Environment env) {
        String url = env.getProperty("spring.datasource.url");
        boolean embeddedDefault = env instanceof ConfigurableEnvironment configurable
                && configurable.getPropertySources().contains(DataDirDefaults.SOURCE_NAME);
        return of(url, embeddedDefault, env.getProperty("leadhub.kafka.brokers"));
    }

    /**
     * The production-mode rule itself.
     *
     * @param datasourceUrl          the resolved {@code spring.datasource.url}, or null
     * @param urlIsEmbeddedDefault   true when that URL is LeadHub's own H2 default, not the operator's
     * @param kafkaBrokers           the resolved {@code leadhub.kafka.brokers}, or null
     * @return the mode
     */
    public static DeploymentMode of(String datasourceUrl, boolean urlIsEmbeddedDefault, String kafkaBrokers) {
        boolean externalDatasource = datasourceUrl != null && !datasourceUrl.isBlank() && !urlIsEmbeddedDefault;
        boolean externalKafka = kafkaBrokers != null && !kafkaBrokers.isBlank();
        return new DeploymentMode(externalDatasource, externalKafka);
    }

    /** @return true when an external database or external Kafka brokers are configured */
    public boolean production() {
        return externalDatasource || externalKafka;
    }

    /**
     * @return which settings make this production mode, e.g. {@code "spring.datasource.url and
     *         leadhub.kafka.brokers are set"}, or {@code "embedded default"}
     */
    public String reason() {
        List<String> keys = new ArrayList<>();
        if (externalDatasource) {
            keys.add("spring.datasource.url");
        }
        if (externalKafka) {
            keys.add("leadhub.kafka.brokers");
        }
        return keys.isEmpty() ? "embedded default" : String.join(" and ", keys) + (keys.size() == 1 ? " is set" : " are set");
    }
}
