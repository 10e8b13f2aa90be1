package io.leadhub.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a missing admin password in production mode as Spring Boot's "APPLICATION FAILED TO START" with the
 * setting to add, instead of a bean-creation stack trace. Registered in {@code META-INF/spring.factories}.
 */
public class AdminPasswordFailureAnalyzer extends AbstractFailureAnalyzer<AdminPasswordRequiredException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AdminPasswordRequiredException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set the environment variable " + AdminCredentials.PASSWORD_ENV + " (or the property "
                        + "leadhub.security.admin-password) to the admin account's password (the user is "
                        + "leadhub.security.admin-username, default 'admin').",
                cause);
    }
}
