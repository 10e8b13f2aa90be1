package io.leadhub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class KafkaOffsetCommitterTest {

    private final KafkaOffsetCommitter committer = new KafkaOffsetCommitter();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void commitsTheRecordOffsetWhenTheManualCommitHeaderIsPresent() {
        AtomicInteger commits = new AtomicInteger();
        KafkaManualCommit commit = commits::incrementAndGet;
        exchange.getIn().setHeader(KafkaConstants.MANUAL_COMMIT, commit);

        committer.process(exchange);

        assertThat(commits).hasValue(1);
    }

    @Test
    void leavesAnExchangeThatDidNotComeFromKafkaAlone() {
        exchange.getIn().setBody("replayed");

        assertThatCode(() -> committer.process(exchange)).doesNotThrowAnyException();
        assertThat(exchange.getIn().getBody()).isEqualTo("replayed");
    }
}
