package io.leadhub.ops;

import io.leadhub.kafka.KafkaSetup;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health of the Kafka cluster (health component {@code kafka}, part of the readiness group): UP when the
 * cluster answers a describe-cluster request within 3 s, with its broker count; DOWN otherwise. While Kafka is
 * down the hub still accepts webhooks (they go to the database spool) but is reported not ready, so a load
 * balancer prefers healthy instances.
 */
@Component("kafkaHealthIndicator")
public class KafkaHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

    private final Admin admin;
    private final String servers;

    /** @param bootstrap the Kafka cluster */
    public KafkaHealthIndicator(KafkaSetup.KafkaBootstrap bootstrap) {
        super("Kafka health check failed");
        this.servers = bootstrap.servers();
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000));
        int brokers = cluster.nodes().get(3, TimeUnit.SECONDS).size();
        builder.up().withDetail("brokers", brokers).withDetail("clusterId", cluster.clusterId().get(3, TimeUnit.SECONDS));
    }

    /** Closes the admin client. */
    @Override
    public void close() {
        admin.close();
    }
}
