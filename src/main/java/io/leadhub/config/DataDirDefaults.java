package io.leadhub.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives {@code spring.datasource.url} its embedded default: an H2 file database at
 * {@code <leadhub.data-dir>/db/leadhub} (absolute path, so H2 accepts it; {@code WRITE_DELAY=0} so a commit is on
 * disk before the hub goes on, as a killed hub must not lose it), used only when no datasource URL is
 * configured anywhere (e.g. {@code SPRING_DATASOURCE_URL} for PostgreSQL). Registered in
 * {@code META-INF/spring.factories}; runs after the configuration files are read.
 */
public class DataDirDefaults implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source this adds, last in precedence. */
    public static final String SOURCE_NAME = "leadhubDataDirDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.containsProperty("spring.datasource.url")) {
            return;
        }
        Path dataDir = Path.of(env.getProperty("leadhub.data-dir", "./data")).toAbsolutePath().normalize();
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("leadhub").toString().replace('\\', '/')
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", "sa",
                "spring.datasource.password", "")));
    }

    @Override
    public int getOrder() {
        // after ConfigDataEnvironmentPostProcessor (application.yaml, env vars already visible)
        return Ordered.LOWEST_PRECEDENCE;
    }
}
