package io.leadhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadhub.TestSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.validation.ObjectError;

/**
 * Binds {@code leadhub.*} from {@code application.yaml} with Spring Boot's {@code Binder} and Bean Validation, as the
 * {@code @Validated @ConfigurationProperties} record is bound at startup.
 */
class LeadHubPropertiesTest {

    @Test
    void applicationYamlDefaultsAreValid() {
        LeadHubProperties props = TestSettings.defaults();

        assertThat(props.dataDir().normalize()).isEqualTo(Path.of("data"));
        assertThat(props.mappingsDir().normalize()).isEqualTo(Path.of("mappings"));
        assertThat(props.phone().defaultRegion()).isEqualTo("US");
        assertThat(props.retry().maximumRedeliveries()).isEqualTo(5);
        assertThat(props.retry().initialDelayMs()).isEqualTo(1000);
        assertThat(props.retry().multiplier()).isEqualTo(2.0);
        assertThat(props.retry().maxDelayMs()).isEqualTo(60_000);
        assertThat(props.retry().jitter()).isEqualTo(0.15);
        assertThat(props.ingest().maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(props.kafka().embeddedEnabled()).isTrue();
        assertThat(props.kafka().partitions()).isEqualTo(3);
        assertThat(props.kafka().replicationFactor()).isEqualTo((short) 1);
        assertThat(props.kafka().topics().inbound()).isEqualTo("leads.inbound");
        assertThat(props.kafka().topics().enrichedPrefix()).isEqualTo("leads.enriched.");
        assertThat(props.kafka().topics().dlq()).isEqualTo("leads.dlq");
        assertThat(props.spool().drainIntervalMs()).isEqualTo(5000);
    }

    @Test
    void configuredBrokersTurnTheEmbeddedBrokerOff() {
        LeadHubProperties props = TestSettings.with(Map.of("leadhub.kafka.brokers", "kafka-1:9092,kafka-2:9092"));

        assertThat(props.kafka().embeddedEnabled()).isFalse();
        assertThat(props.kafka().brokers()).isEqualTo("kafka-1:9092,kafka-2:9092");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "leadhub.phone.default-region, usa",
            "leadhub.phone.default-region, ''",
            "leadhub.retry.jitter, 2",
            "leadhub.retry.jitter, -0.1",
            "leadhub.retry.multiplier, 0.5",
            "leadhub.retry.maximum-redeliveries, -1",
            "leadhub.retry.max-delay-ms, -1",
            "leadhub.ingest.max-body-bytes, 0",
            "leadhub.kafka.partitions, 0",
            "leadhub.kafka.replication-factor, 0",
            "leadhub.kafka.topics.inbound, ' '",
            "leadhub.kafka.embedded.port, -1",
            "leadhub.kafka.producer.max-block-ms, 99",
            "leadhub.spool.drain-interval-ms, 10"
    })
    void rejectsAnInvalidValueNamingTheKey(String key, String value) {
        BindException e = catchThrowableOfType(BindException.class, () -> TestSettings.with(Map.of(key, value)));

        assertThat(e).as("%s=%s must be rejected", key, value).isNotNull();
        assertThat(e.getCause()).isInstanceOf(BindValidationException.class);
        BindValidationException validation = (BindValidationException) e.getCause();
        assertThat(validation.getValidationErrors().getAllErrors())
                .isNotEmpty()
                .allSatisfy(error -> assertThat(propertyName(error)).isEqualTo(key));
    }

    @Test
    void rejectsAValueOfTheWrongTypeNamingTheKey() {
        BindException e = catchThrowableOfType(BindException.class,
                () -> TestSettings.with(Map.of("leadhub.retry.jitter", "a little")));

        assertThat(e).isNotNull();
        assertThat(e.getProperty().getName()).hasToString("leadhub.retry.jitter");
    }

    /** The key Spring Boot's startup failure report prints as "Property:" for a validation error. */
    private static String propertyName(ObjectError error) {
        Origin origin = Origin.from(error);
        assertThat(origin).isInstanceOf(PropertySourceOrigin.class);
        return ((PropertySourceOrigin) origin).getPropertyName();
    }
}
