package io.leadhub.security;

import io.leadhub.config.LeadHubProperties;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The operator account of the admin API, Hawtio and Jolokia, resolved once at startup from
 * {@code leadhub.security.admin-username} / {@code leadhub.security.admin-password}:
 * <ul>
 *   <li>a configured password is used as is;</li>
 *   <li>in production mode ({@link DeploymentMode}: external database or Kafka brokers) a missing password stops
 *       startup with {@link AdminPasswordRequiredException} ({@link AdminPasswordCheck} applies the rule before
 *       any bean is created, so it comes before any Kafka or database error);</li>
 *   <li>in the embedded default a random password is generated and logged once at WARN, the way Spring Boot
 *       logs its "Using generated security password".</li>
 * </ul>
 * {@link #toString()} never shows the password.
 */
@Component
public class AdminCredentials {

    /** Environment variable that sets the admin password. */
    public static final String PASSWORD_ENV = "LEADHUB_SECURITY_ADMIN_PASSWORD";

    private static final Logger log = LoggerFactory.getLogger(AdminCredentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final String password;
    private final boolean generated;

    /**
     * @param properties LeadHub settings ({@code leadhub.security.*})
     * @param env        the environment, to tell production mode from the embedded default
     * @throws AdminPasswordRequiredException in production mode without a password
     */
    @Autowired
    public AdminCredentials(LeadHubProperties properties, Environment env) {
        this(properties.security(), DeploymentMode.of(env), AdminCredentials::randomPassword);
    }

    /**
     * @param security  the configured account
     * @param mode      production mode or embedded default
     * @param generator source of a password when none is configured in the embedded default
     * @throws AdminPasswordRequiredException in production mode without a password
     */
    AdminCredentials(LeadHubProperties.Security security, DeploymentMode mode, Supplier<String> generator) {
        this.username = security.adminUsername();
        requirePassword(security.adminPassword(), mode);
        if (security.adminPasswordConfigured()) {
            this.password = security.adminPassword();
            this.generated = false;
        } else {
            this.password = generator.get();
            this.generated = true;
            log.warn("""

                    Using generated admin password for user '{}': {}

                    This generated password is for the embedded default only; set {} (leadhub.security.admin-password) \
                    to choose one. Production mode (an external database or Kafka) refuses to start without it.
                    """, username, password, PASSWORD_ENV);
        }
    }

    /**
     * The production-mode rule: outside the embedded default the password must be configured.
     *
     * @param password the configured {@code leadhub.security.admin-password}, or null
     * @param mode     production mode or embedded default
     * @throws AdminPasswordRequiredException in production mode when the password is null or blank
     */
    public static void requirePassword(String password, DeploymentMode mode) {
        if ((password == null || password.isBlank()) && mode.production()) {
            throw new AdminPasswordRequiredException(mode);
        }
    }

    /** @return a random 24-character URL-safe password (144 bits from {@link SecureRandom}) */
    static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return the user name of the operator account */
    public String username() {
        return username;
    }

    /** @return the password in clear, only for building the user store */
    String password() {
        return password;
    }

    /** @return true when the password was generated at startup (embedded default without a configured one) */
    public boolean generated() {
        return generated;
    }

    /** @return the user name and whether the password was generated; never the password */
    @Override
    public String toString() {
        return "AdminCredentials[username=" + username + ", password=****" + (generated ? " (generated)" : "") + "]";
    }
}
