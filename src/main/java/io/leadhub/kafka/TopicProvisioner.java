package io.leadhub.kafka;

import io.leadhub.config.LeadHubProperties;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the hub's Kafka topics before any route uses them: {@code leads.inbound}, {@code leads.dlq} at startup
 * and {@code leads.enriched.<tenant>} for each tenant as it is registered. Existing topics are left as they are.
 * Partition count and replication factor come from {@code leadhub.kafka.partitions} and
 * {@code leadhub.kafka.replication-factor}.
 */
@Component("topicProvisioner")
public class TopicProvisioner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final LeadHubProperties props;
    private final Admin admin;
    private final Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param props     LeadHub settings (topic names, partitions, replication factor)
     * @param bootstrap the Kafka cluster in use
     */
    public TopicProvisioner(LeadHubProperties props, KafkaSetup.KafkaBootstrap bootstrap) {
        this.props = props;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.servers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
        ensure(List.of(props.kafka().topics().inbound(), props.kafka().topics().dlq()));
    }

    /**
     * @param tenant tenant id
     * @return the name of the tenant's enriched-lead topic, {@code <enriched-prefix><tenant>}
     */
    public String enrichedTopic(String tenant) {
        return props.kafka().topics().enrichedPrefix() + tenant;
    }

    /**
     * Creates the topics that do not exist yet.
     *
     * @param topics topic names
     * @throws IllegalStateException when the cluster does not answer within 30 s
     */
    public void ensure(Collection<String> topics) {
        Set<String> missing = new HashSet<>(topics);
        missing.removeAll(known);
        if (missing.isEmpty()) {
            return;
        }
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> create = missing.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, props.kafka().partitions(), props.kafka().replicationFactor()))
                    .toList();
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
                    LOG.info("Created Kafka topics {}", create.stream().map(NewTopic::name).toList());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            known.addAll(missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics " + missing, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create Kafka topics " + missing + ": " + e.getMessage(), e);
        }
    }

    /** Closes the admin client. */
    @Override
    public void close() {
        admin.close();
    }
}
