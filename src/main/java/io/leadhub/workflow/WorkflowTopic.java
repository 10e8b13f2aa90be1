package io.leadhub.workflow;

import io.leadhub.kafka.TopicProvisioner;
import io.leadhub.tenant.TenantRegistry;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The shared Kafka topic {@code leads.triggers} ({@code leadhub.kafka.topics.triggers}) that {@code lead-enrich}
 * publishes enriched leads of tenants with {@code workflow_triggers} to and route {@code workflow-triggers} consumes
 * (group {@code leadhub-workflow}). Created at startup, before the routes start.
 */
@Component("workflowTopic")
public class WorkflowTopic {

    private final String topic;
    private final TenantRegistry tenants;

    /**
     * @param topics  topic provisioner (creates the topic if missing)
     * @param tenants tenant registry
     * @param topic   topic name (default {@code leads.triggers})
     */
    public WorkflowTopic(TopicProvisioner topics, TenantRegistry tenants,
                         @Value("${leadhub.kafka.topics.triggers:leads.triggers}") String topic) {
        this.topic = topic;
        this.tenants = tenants;
        topics.ensure(List.of(topic));
    }

    /** @return the topic name */
    public String topic() {
        return topic;
    }

    /**
     * Filter of step {@code only-tenants-with-triggers} in {@code lead-enrich}.
     *
     * @param tenant tenant id (exchange property {@code leadhubTenant})
     * @return true when the tenant has at least one workflow trigger
     */
    public boolean wanted(String tenant) {
        return tenant != null && tenants.find(tenant).map(t -> !t.workflowTriggers().isEmpty()).orElse(false);
    }
}
