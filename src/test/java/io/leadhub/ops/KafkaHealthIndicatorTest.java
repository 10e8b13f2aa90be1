package io.leadhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.kafka.KafkaSetup;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class KafkaHealthIndicatorTest {

    @Test
    void isDownWhileTheBrokerIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (KafkaHealthIndicator indicator = new KafkaHealthIndicator(new KafkaSetup.KafkaBootstrap("127.0.0.1:" + closedPort))) {
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        }
    }
}
