package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadhub.LeadHubApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two hub instances against the same Kafka and database share the work through their consumer groups and never
 * deliver a lead twice. The second instance runs in this JVM as its own Spring application, pointed at the first
 * one's broker ({@code leadhub.kafka.brokers}) and database.
 */
class TwoInstancesTest extends HubIntegrationTest {

    @Autowired
    Environment env;

    @Test
    void twoInstancesShareTheConsumerGroupsWithoutDoubleDelivery() throws Exception {
        HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts/search")).atPriority(10)
                .willReturn(okJson("{\"total\":0,\"results\":[]}")));
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String phone = uniquePhone();
            phones.add(phone);
            HUBSPOT.stubFor(post(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(containing(phone))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody("{\"id\":\"95" + i + "\"}")));
        }
        // command-line arguments outrank the test JVM's system properties and application.yaml
        String[] args = {
                "--server.port=0",
                "--leadhub.kafka.brokers=" + kafka.servers(),
                "--leadhub.data-dir=" + DATA_DIR.resolve("instance-2"),
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username", ""),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "--spring.jmx.enabled=false",
                "--camel.main.jmx-enabled=false",
                "--camel.main.name=leadhub-2"};
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(LeadHubApplication.class)
                .profiles("it")
                .run(args)) {
            int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
            awaitMembers("leadhub-enrich", 2);
            awaitMembers("leadhub-dispatch-acme-hubspot-main", 2);

            List<String> events = new ArrayList<>();
            for (int i = 0; i < phones.size(); i++) {
                String body = postCallBody(phones.get(i));
                int target = i % 2 == 0 ? port : secondPort;
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + target + "/webhooks/callrail/acme"))
                        .header("Content-Type", "application/json").header("Signature", sign(ACME_CALLRAIL_KEY, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(202);
                events.add(eventId(response));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().allMatch(e ->
                    deliveries(e).stream().anyMatch(r -> "created".equals(r.get("outcome")))));
            for (int i = 0; i < phones.size(); i++) {
                HUBSPOT.verify(1, postRequestedFor(urlEqualTo("/crm/v3/objects/contacts")).withRequestBody(containing(phones.get(i))));
                assertThat(deliveries(events.get(i))).extracting(r -> r.get("outcome")).containsExactly("created");
            }
        }
    }

    private void awaitMembers(String group, int members) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers()))) {
                return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                        .get(group).members().size() == members;
            }
        });
    }
}
