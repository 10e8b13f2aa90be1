package io.leadhub.ops;

import io.leadhub.kafka.KafkaSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Measures the backlog of every LeadHub consumer group ({@code leadhub-enrich}, {@code leadhub-dispatch-<tenant>-<destination>})
 * every {@code leadhub.ops.lag-interval-ms} (default 15 s): for each group and topic, the records written but not
 * yet committed. Exported as gauge {@code leadhub.consumer.lag} {group, topic} [{@code leadhub_consumer_lag}];
 * {@link #lag()} gives the latest figures to the admin API.
 */
@Component("consumerLagMonitor")
public class ConsumerLagMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);

    private final Admin admin;
    private final MultiGauge gauge;
    private volatile Map<String, Map<String, Long>> lag = Map.of();

    /**
     * @param bootstrap the Kafka cluster
     * @param registry  Micrometer registry
     */
    public ConsumerLagMonitor(KafkaSetup.KafkaBootstrap bootstrap, MeterRegistry registry) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.servers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        this.gauge = MultiGauge.builder("leadhub.consumer.lag")
                .description("Records written to a topic and not yet committed by a LeadHub consumer group")
                .baseUnit("records").register(registry);
    }

    /** @return the latest lag by consumer group, then topic, in records */
    public Map<String, Map<String, Long>> lag() {
        return lag;
    }

    /** Re-measures the lag of every {@code leadhub-*} consumer group. */
    @Scheduled(fixedDelayString = "${leadhub.ops.lag-interval-ms:15000}", initialDelayString = "${leadhub.ops.lag-interval-ms:15000}")
    public void measure() {
        try {
            Map<String, Map<String, Long>> result = new ConcurrentHashMap<>();
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                if (!group.groupId().startsWith("leadhub-")) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
                Map<String, Long> byTopic = new HashMap<>();
                committed.forEach((tp, offset) -> byTopic.merge(tp.topic(),
                        Math.max(0, ends.get(tp).offset() - (offset == null ? 0 : offset.offset())), Long::sum));
                result.put(group.groupId(), byTopic);
            }
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            result.forEach((group, topics) -> topics.forEach((topic, value) ->
                    rows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", topic), value))));
            gauge.register(rows, true);
            lag = Map.copyOf(result);
        } catch (Exception e) {
            LOG.warn("Could not measure Kafka consumer lag: {}", e.getMessage());
        }
    }

    /** Closes the admin client. */
    @Override
    public void close() {
        admin.close();
    }
}
