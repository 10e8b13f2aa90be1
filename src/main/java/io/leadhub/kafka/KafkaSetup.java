package io.leadhub.kafka;

import io.leadhub.config.LeadHubProperties;
import java.nio.file.Path;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Camel's {@code kafka} component to the right brokers: the external ones in
 * {@code leadhub.kafka.brokers} (env {@code LEADHUB_KAFKA_BROKERS}), or the in-process {@link EmbeddedKafkaBroker}
 * started here when that setting is blank. Routes therefore never name a broker.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaSetup {

    /**
     * The in-process broker, started only for the embedded default; its log is {@code <data-dir>/kafka}.
     *
     * @param props LeadHub settings
     * @return the running broker, or null when external brokers are configured
     */
    @Bean(destroyMethod = "close")
    public EmbeddedKafkaBroker embeddedKafkaBroker(LeadHubProperties props) {
        if (!props.kafka().embeddedEnabled()) {
            return null;
        }
        Path logDir = props.dataDir().resolve("kafka");
        return new EmbeddedKafkaBroker(logDir, props.kafka().embedded().port(),
                props.kafka().embedded().controllerPort(), props.kafka().partitions());
    }

    /**
     * @param props    LeadHub settings
     * @param embedded the embedded broker, when it runs
     * @return the bootstrap servers every Kafka client of the hub uses
     */
    @Bean
    public KafkaBootstrap kafkaBootstrap(LeadHubProperties props, ObjectProvider<EmbeddedKafkaBroker> embedded) {
        EmbeddedKafkaBroker broker = embedded.getIfAvailable();
        return new KafkaBootstrap(broker != null ? broker.bootstrapServers() : props.kafka().brokers().trim());
    }

    /**
     * Points Camel's {@code kafka} component at {@link KafkaBootstrap}.
     *
     * @param bootstrap bootstrap servers
     * @return the customizer applied when Camel creates the component
     */
    @Bean
    public ComponentCustomizer kafkaBrokersCustomizer(KafkaBootstrap bootstrap) {
        return ComponentCustomizer.forType(KafkaComponent.class,
                component -> component.getConfiguration().setBrokers(bootstrap.servers()));
    }

    /**
     * Bootstrap servers of the Kafka cluster in use.
     *
     * @param servers {@code host:port[,host:port...]}
     */
    public record KafkaBootstrap(String servers) {
    }
}
