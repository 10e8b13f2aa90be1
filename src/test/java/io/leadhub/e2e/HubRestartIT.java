package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.leadhub.inbound.callrail.CallRailSignatureVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing is lost when the hub is killed mid-stream: the packaged hub runs as a separate process (embedded Kafka
 * and database under a temporary data dir), accepts a CallRail webhook, starts delivering it to a HubSpot stub
 * that fails, is killed with SIGKILL, is started again on the same data dir, and delivers the lead.
 */
class HubRestartIT {

    private static final String KEY = "restart-callrail-test-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final WireMockServer hubspot = new WireMockServer(options().dynamicPort());
    private final List<Process> processes = new ArrayList<>();
    private Path dataDir;
    private Path logFile;
    private int httpPort;
    private int kafkaPort;
    private int controllerPort;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        hubspot.stop();
    }

    @Test
    void leadAcceptedBeforeAKillIsDeliveredAfterTheRestart() throws Exception {
        hubspot.start();
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).willReturn(okJson("{\"total\":0,\"results\":[]}")));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).willReturn(aResponse().withStatus(503)));
        dataDir = Files.createTempDirectory("leadhub-restart-");
        Path mappings = Files.createDirectories(dataDir.resolve("mappings"));
        Files.writeString(mappings.resolve("restart.yaml"), """
                tenant: restart
                sources:
                  callrail:
                    signing_key: ${RESTART_CALLRAIL_KEY}
                destinations:
                  - id: hubspot-main
                    type: hubspot
                    base_url: ${RESTART_HUBSPOT_URL}
                    token: ${RESTART_HUBSPOT_TOKEN}
                    field_mappings:
                      phone: lead.phone
                      firstname: lead.first_name
                """);
        int[] ports = freePorts(3);
        httpPort = ports[0];
        kafkaPort = ports[1];
        controllerPort = ports[2];
        logFile = dataDir.resolve("hub.log");

        Process first = startHub(mappings);
        awaitReady(first);
        String body = Files.readString(Path.of("samples/callrail/post-call.json"));
        HttpResponse<String> accepted = postWebhook(body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        // the hub is retrying against a failing HubSpot: the record is in flight, not committed
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !hubspot.findAll(postRequestedFor(urlEqualTo("/crm/v3/objects/contacts"))).isEmpty());
        first.destroyForcibly().waitFor();

        hubspot.resetRequests();
        hubspot.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"9001\"}")));
        Process second = startHub(mappings);
        awaitReady(second);

        await().atMost(Duration.ofSeconds(120)).until(() -> hubspot.getAllServeEvents().stream()
                .anyMatch(e -> e.getRequest().getUrl().equals("/crm/v3/objects/contacts")
                        && e.getResponse().getStatus() == 201));
        assertThat(hubspot.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/crm/v3/objects/contacts") && e.getResponse().getStatus() == 201)
                .count()).isEqualTo(1);
        assertThat(hubspot.findAll(postRequestedFor(urlEqualTo("/crm/v3/objects/contacts"))).get(0).getBodyAsString())
                .contains("+14045558514").contains("Maria");

        second.destroy();
        assertThat(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("graceful stop").isTrue();
    }

    private Process startHub(Path mappings) throws IOException {
        String jar = System.getProperty("leadhub.test.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar,
                "--server.port=" + httpPort,
                "--leadhub.data-dir=" + dataDir,
                "--leadhub.mappings-dir=" + mappings,
                "--leadhub.routes-dir=" + Path.of("routes").toAbsolutePath(),
                "--leadhub.kafka.embedded.port=" + kafkaPort,
                "--leadhub.kafka.embedded.controller-port=" + controllerPort,
                "--leadhub.retry.maximum-redeliveries=100",
                "--leadhub.retry.initial-delay-ms=200",
                "--leadhub.retry.max-delay-ms=1000"));
        String db = System.getProperty("leadhub.test.datasource-url", "");
        if (!db.isBlank()) {
            command.add("--spring.datasource.url=" + db);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("RESTART_CALLRAIL_KEY", KEY);
        builder.environment().put("RESTART_HUBSPOT_URL", hubspot.baseUrl());
        builder.environment().put("RESTART_HUBSPOT_TOKEN", "pat-restart-test");
        // required in production mode (-Ppostgres passes an external datasource URL)
        builder.environment().put("LEADHUB_SECURITY_ADMIN_PASSWORD", "restart-admin-password");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitReady(Process process) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("hub process alive, see " + logFile).isTrue();
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private HttpResponse<String> postWebhook(String body) throws Exception {
        String signature = Base64.getEncoder().encodeToString(
                CallRailSignatureVerifier.sign(KEY, body.getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/webhooks/callrail/restart"))
                .header("Content-Type", "application/json").header("Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Distinct free ports: all sockets stay open until every port is chosen, so none is handed out twice. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
