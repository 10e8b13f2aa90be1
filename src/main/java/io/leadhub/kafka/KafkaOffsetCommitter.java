package io.leadhub.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * Last step of every Kafka-consuming route ({@code commit-offset}) and of the {@code dead-letter} route: commits
 * the consumed record's offset once the record is fully handled (delivered, skipped as a duplicate, or
 * dead-lettered). Routes consume with {@code autoCommitEnable=false}, {@code allowManualCommit=true} and
 * {@code breakOnFirstError=true}, so a record whose handling fails is never committed and is read again:
 * at-least-once.
 *
 * <p>Input: header {@code CamelKafkaManualCommit}; an exchange without it (not from Kafka, e.g. a test or a
 * replay) is left alone.
 */
@Component("kafkaOffsetCommitter")
public class KafkaOffsetCommitter implements Processor {

    @Override
    public void process(Exchange exchange) {
        KafkaManualCommit commit = exchange.getIn().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }
}
