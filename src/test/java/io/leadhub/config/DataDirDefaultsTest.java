package io.leadhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class DataDirDefaultsTest {

    private final DataDirDefaults defaults = new DataDirDefaults();
    private final MockEnvironment env = new MockEnvironment();

    @TempDir
    Path dir;

    private void postProcess() {
        defaults.postProcessEnvironment(env, new SpringApplication());
    }

    @Test
    void withoutADatasourceUrlTheDatabaseIsAnH2FileUnderTheDataDir() {
        env.setProperty("leadhub.data-dir", dir.toString());

        postProcess();

        String expected = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db").resolve("leadhub").toString().replace('\\', '/')
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        assertThat(env.getProperty("spring.datasource.url")).isEqualTo(expected);
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("sa");
        assertThat(env.getProperty("spring.datasource.password")).isEmpty();
    }

    @Test
    void aRelativeDataDirBecomesAbsoluteAndNormalised() {
        env.setProperty("leadhub.data-dir", "./some/../data");

        postProcess();

        Path expected = Path.of("data").toAbsolutePath().resolve("db").resolve("leadhub");
        assertThat(env.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:h2:file:" + expected.toString().replace('\\', '/') + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")
                .doesNotContain("..", "./");
    }

    @Test
    void withoutADataDirTheDefaultIsDataInTheWorkingDirectory() {
        postProcess();

        Path expected = Path.of("data").toAbsolutePath().resolve("db").resolve("leadhub");
        assertThat(env.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:h2:file:" + expected.toString().replace('\\', '/') + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @Test
    void theDefaultsAreAddedLastSoAnyOtherSourceWins() {
        env.setProperty("leadhub.data-dir", dir.toString());

        postProcess();

        assertThat(env.getPropertySources().stream().reduce((a, b) -> b).orElseThrow().getName())
                .isEqualTo(DataDirDefaults.SOURCE_NAME);
    }

    @Test
    void aConfiguredDatasourceUrlIsLeftUntouched() {
        env.setProperty("leadhub.data-dir", dir.toString());
        env.setProperty("spring.datasource.url", "jdbc:postgresql://db:5432/leadhub");
        env.setProperty("spring.datasource.username", "leadhub");

        postProcess();

        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5432/leadhub");
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("leadhub");
        assertThat(env.getPropertySources().contains(DataDirDefaults.SOURCE_NAME)).isFalse();
    }

    @Test
    void runsAfterTheConfigurationFilesAreRead() {
        assertThat(defaults.getOrder()).isEqualTo(org.springframework.core.Ordered.LOWEST_PRECEDENCE);
    }
}
