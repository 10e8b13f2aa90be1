package io.leadhub.security;

/**
 * Thrown at startup when the hub runs in production mode ({@link DeploymentMode#production()}) without
 * {@code leadhub.security.admin-password}: outside the embedded default there is no generated or default
 * password. {@link AdminPasswordFailureAnalyzer} turns it into Spring Boot's "APPLICATION FAILED TO START" report.
 */
public class AdminPasswordRequiredException extends IllegalStateException {

    private final transient DeploymentMode mode;

    /**
     * @param mode the production mode that requires the password
     */
    public AdminPasswordRequiredException(DeploymentMode mode) {
        super("leadhub.security.admin-password (environment variable " + AdminCredentials.PASSWORD_ENV
                + ") is required in production mode (" + mode.reason() + "): the admin API, Hawtio and Jolokia "
                + "have no default password outside the embedded default");
        this.mode = mode;
    }

    /** @return the mode that made the password mandatory */
    public DeploymentMode mode() {
        return mode;
    }
}
