package io.leadhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadhub.config.DataDirDefaults;
import io.leadhub.config.LeadHubProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;

/**
 * The production-mode password rule as the application sees it at startup: application.yaml, the
 * {@link DataDirDefaults} environment post-processor, {@link LeadHubProperties} binding and {@link AdminCredentials};
 * and a real {@link SpringApplication} run, where {@link AdminPasswordCheck} stops it before any bean is created
 * and {@link AdminPasswordFailureAnalyzer} writes the report.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordStartupTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LeadHubProperties.class)
    @Import(AdminCredentials.class)
    static class Credentials {
    }

    @TempDir
    Path dataDir;

    private ApplicationContextRunner hub() {
        return new ApplicationContextRunner()
                // only application.yaml and the values below: the e2e base class sets JVM system properties
                // (spring.datasource.url with -Ppostgres) and the machine may have LEADHUB_* variables
                .withInitializer(context -> {
                    context.getEnvironment().getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
                    context.getEnvironment().getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
                })
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withInitializer(context -> new DataDirDefaults().postProcessEnvironment(context.getEnvironment(), null))
                .withPropertyValues("leadhub.data-dir=" + dataDir)
                .withUserConfiguration(Credentials.class);
    }

    @Test
    void externalDatabaseWithoutAdminPasswordStopsStartupWithAClearMessage() {
        hub().withPropertyValues("spring.datasource.url=jdbc:postgresql://db:5432/leadhub").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(AdminPasswordRequiredException.class)
                    .hasMessageContaining("leadhub.security.admin-password (environment variable "
                            + "LEADHUB_SECURITY_ADMIN_PASSWORD) is required in production mode (spring.datasource.url is set)");
            FailureAnalysis analysis = new AdminPasswordFailureAnalyzer().analyze(failure);
            assertThat(analysis.getAction()).contains("LEADHUB_SECURITY_ADMIN_PASSWORD");
        });
    }

    /** Set when the probe bean is created: the password check must come first. */
    static final AtomicBoolean PROBE_CREATED = new AtomicBoolean();

    @Configuration(proxyBeanMethods = false)
    static class Probe {
        @Bean
        Object probe() {
            PROBE_CREATED.set(true);
            return new Object();
        }
    }

    @Test
    void aRealStartupInProductionModeStopsBeforeAnyBeanWithTheFailureReport(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Probe.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setRegisterShutdownHook(false);
        // keep the logging set up by other tests in this JVM as it is
        app.setListeners(app.getListeners().stream().filter(l -> !(l instanceof LoggingApplicationListener)).toList());
        PROBE_CREATED.set(false);

        assertThatThrownBy(() -> app.run("--spring.datasource.url=jdbc:postgresql://db:5432/leadhub",
                "--leadhub.security.admin-password=", "--leadhub.data-dir=" + dataDir))
                .isInstanceOf(AdminPasswordRequiredException.class);

        assertThat(PROBE_CREATED).isFalse();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("leadhub.security.admin-password (environment variable LEADHUB_SECURITY_ADMIN_PASSWORD) is "
                        + "required in production mode (spring.datasource.url is set)")
                .contains("Set the environment variable LEADHUB_SECURITY_ADMIN_PASSWORD");
    }

    @Test
    void externalKafkaWithoutAdminPasswordStopsStartup() {
        hub().withPropertyValues("leadhub.kafka.brokers=kafka-1:9092").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(AdminPasswordRequiredException.class)
                    .hasMessageContaining("leadhub.kafka.brokers is set");
        });
    }

    @Test
    void productionModeStartsWithTheAdminPassword(CapturedOutput output) {
        hub().withPropertyValues("spring.datasource.url=jdbc:postgresql://db:5432/leadhub",
                "leadhub.security.admin-password=prod-admin-pass").run(context -> {
            assertThat(context).hasNotFailed();
            AdminCredentials credentials = context.getBean(AdminCredentials.class);
            assertThat(credentials.username()).isEqualTo("admin");
            assertThat(credentials.password()).isEqualTo("prod-admin-pass");
        });
        assertThat(output).doesNotContain("prod-admin-pass");
    }

    @Test
    void embeddedDefaultStartsWithAGeneratedPasswordLoggedOnce(CapturedOutput output) {
        hub().run(context -> {
            assertThat(context).hasNotFailed();
            AdminCredentials credentials = context.getBean(AdminCredentials.class);
            assertThat(credentials.generated()).isTrue();
            assertThat(output.getAll().split("Using generated admin password", -1)).hasSize(2);
            assertThat(output).contains(credentials.password());
        });
    }
}
