package io.leadhub.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process, single-node Kafka broker (KRaft, combined broker + controller) that the embedded default
 * runs when {@code leadhub.kafka.brokers} is blank. Its log lives under {@code <data-dir>/kafka}, so a restart
 * keeps every record and every committed consumer offset.
 *
 * <p>The log directory is formatted once with Kafka's own {@link Formatter} (the code behind
 * {@code kafka-storage.sh format}); later starts find it formatted and reuse it. {@link #close()} shuts the
 * broker down cleanly, so the next start does not wait for the old broker session to expire.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    /**
     * Formats (first run only) and starts the broker; returns once it accepts connections.
     *
     * @param logDir         broker log directory, created if missing
     * @param port           client port on 127.0.0.1, 0 = a free port
     * @param controllerPort controller port on 127.0.0.1, 0 = a free port
     * @param partitions     default partition count of auto-created topics
     * @throws IllegalStateException when the log directory cannot be formatted or the broker does not start
     */
    public EmbeddedKafkaBroker(Path logDir, int port, int controllerPort, int partitions) {
        int[] free = freePorts(2); // both chosen while both sockets are open, so they differ
        int clientPort = port == 0 ? free[0] : port;
        int ctrlPort = controllerPort == 0 ? free[1] : controllerPort;
        try {
            Files.createDirectories(logDir);
            Properties props = brokerProperties(logDir, clientPort, ctrlPort, partitions);
            KafkaConfig config = new KafkaConfig(props, false);
            format(logDir);
            this.server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka broker failed to start in " + logDir + ": " + e.getMessage(), e);
        }
        this.bootstrapServers = "127.0.0.1:" + clientPort;
        LOG.info("Embedded Kafka broker (KRaft) listening on {} with log dir {}", bootstrapServers, logDir);
    }

    /** @return bootstrap servers of this broker, {@code 127.0.0.1:<port>} */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Shuts the broker down and waits until it has stopped. */
    @Override
    public void close() {
        LOG.info("Stopping embedded Kafka broker on {}", bootstrapServers);
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort, int partitions) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", String.valueOf(partitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("log.retention.hours", "168");
        p.put("controlled.shutdown.enable", "true");
        // after a crash the restarted broker waits for its old registration to expire: keep that short
        p.put("broker.session.timeout.ms", "6000");
        return p;
    }

    private static void format(Path logDir) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            // formatted by an earlier start: keep its cluster id, log and offsets
            return;
        }
        String dir = logDir.toAbsolutePath().toString();
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(false)
                    .run();
        }
    }

    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("no free local port for the embedded Kafka broker", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }
    }
}
