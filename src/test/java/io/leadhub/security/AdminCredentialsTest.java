package io.leadhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.config.LeadHubProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class AdminCredentialsTest {

    private static final DeploymentMode EMBEDDED = new DeploymentMode(false, false);
    private static final DeploymentMode PRODUCTION = new DeploymentMode(true, false);

    @Test
    void usesTheConfiguredPasswordInEveryMode(CapturedOutput output) {
        for (DeploymentMode mode : new DeploymentMode[] {EMBEDDED, PRODUCTION}) {
            AdminCredentials credentials = new AdminCredentials(
                    new LeadHubProperties.Security("ops", "s3cret-pass"), mode, () -> "never-used");

            assertThat(credentials.username()).isEqualTo("ops");
            assertThat(credentials.password()).isEqualTo("s3cret-pass");
            assertThat(credentials.generated()).isFalse();
        }
        assertThat(output).doesNotContain("s3cret-pass").doesNotContain("generated admin password");
    }

    @Test
    void productionModeWithoutPasswordFailsNamingTheSetting() {
        for (String missing : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> new AdminCredentials(new LeadHubProperties.Security("admin", missing),
                    new DeploymentMode(false, true), () -> "never-used"))
                    .isInstanceOf(AdminPasswordRequiredException.class)
                    .hasMessageContaining("leadhub.security.admin-password")
                    .hasMessageContaining("LEADHUB_SECURITY_ADMIN_PASSWORD")
                    .hasMessageContaining("production mode (leadhub.kafka.brokers is set)");
        }
    }

    @Test
    void embeddedDefaultGeneratesARandomPasswordAndLogsItOnce(CapturedOutput output) {
        AdminCredentials credentials = new AdminCredentials(new LeadHubProperties.Security("admin", ""), EMBEDDED,
                AdminCredentials::randomPassword);

        assertThat(credentials.generated()).isTrue();
        assertThat(credentials.password()).matches("[A-Za-z0-9_-]{24}");
        String log = output.getAll();
        assertThat(log.split("Using generated admin password", -1)).hasSize(2);
        assertThat(log).contains("Using generated admin password for user 'admin': " + credentials.password())
                .contains("LEADHUB_SECURITY_ADMIN_PASSWORD");
        assertThat(AdminCredentials.randomPassword()).isNotEqualTo(AdminCredentials.randomPassword());
    }

    @Test
    void toStringNeverShowsThePassword() {
        AdminCredentials credentials = new AdminCredentials(new LeadHubProperties.Security("admin", "s3cret-pass"),
                EMBEDDED, () -> "never-used");

        assertThat(credentials.toString()).doesNotContain("s3cret-pass").contains("admin");
        assertThat(new LeadHubProperties.Security("admin", "s3cret-pass").toString()).doesNotContain("s3cret-pass")
                .contains("****");
    }

    @Test
    void failureAnalysisTellsWhichVariableToSet() {
        FailureAnalysis analysis = new AdminPasswordFailureAnalyzer().analyze(
                new IllegalStateException("bean creation failed", new AdminPasswordRequiredException(PRODUCTION)));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("leadhub.security.admin-password")
                .contains("spring.datasource.url is set");
        assertThat(analysis.getAction()).contains("LEADHUB_SECURITY_ADMIN_PASSWORD");
    }
}
