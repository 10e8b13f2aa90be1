package io.leadhub.security;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Applies the production-mode password rule ({@link AdminCredentials}) before any bean exists, so a production
 * hub without {@code leadhub.security.admin-password} stops at once with that message, instead of first
 * connecting to Kafka and the database. Registered in {@code META-INF/spring.factories}; runs after every
 * environment post-processor (the embedded H2 default of {@code DataDirDefaults} included).
 */
public class AdminPasswordCheck implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    /**
     * @param context the application context being prepared
     * @throws AdminPasswordRequiredException in production mode without a password
     */
    @Override
    public void initialize(ConfigurableApplicationContext context) {
        DeploymentMode mode = DeploymentMode.of(context.getEnvironment());
        AdminCredentials.requirePassword(context.getEnvironment().getProperty("leadhub.security.admin-password"), mode);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
