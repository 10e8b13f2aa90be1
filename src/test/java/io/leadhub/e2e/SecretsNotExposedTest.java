package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadhub.support.Masking;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Tenant secrets and the caller's personal data stay out of what operators see: JMX (the platform MBeanServer,
 * as Hawtio and JConsole read it), Jolokia over HTTP, and the application log. A signed CallRail webhook is driven
 * through the hub twice: once through a HubSpot 500 that is retried, once into a HubSpot 400 that echoes the
 * phone and an e-mail address (dead letter at once), once into a HubSpot that answers 503 until the retries are
 * exhausted; and one webhook is refused with 400. So the retry, dead letter and rejection log lines all run.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNotExposedTest extends HubIntegrationTest {

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final List<String> SECRETS = List.of(ACME_CALLRAIL_KEY, ACME_HUBSPOT_TOKEN, GLOBEX_CALLRAIL_KEY);

    @Test
    void secretsAreNeitherInJmxNorJolokiaNorTheLogAndPhonesAreMaskedInTheLog(CapturedOutput output) throws Exception {
        String retried = uniquePhone();
        String rejected = uniquePhone();
        String exhausted = uniquePhone();
        String invalid = uniquePhone();
        String email = "maria.gonzalez" + rejected.substring(5) + "@example.com";
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS + "/search")).atPriority(10).willReturn(okJson("{\"total\":0,\"results\":[]}")));
        String scenario = "secrets-" + retried;
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(retried)).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(500).withBody("{\"status\":\"error\",\"message\":\"internal error for "
                        + retried + "\"}")));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(retried)).inScenario(scenario)
                .whenScenarioStateIs("up").willReturn(aResponse().withStatus(201)
                        .withHeader("Content-Type", "application/json").withBody("{\"id\":\"8101\"}")));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(rejected)).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\","
                        + "\"message\":\"Property values were not valid: phone " + rejected + ", email " + email + "\","
                        + "\"category\":\"VALIDATION_ERROR\"}")));
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(exhausted)).willReturn(aResponse()
                .withStatus(503).withBody("upstream unavailable for " + exhausted)));

        // a webhook the hub refuses (400 naming the field) still carries the caller's number
        HttpResponse<String> refused = postCallRail(postCallBody(invalid).replace("\"duration\": \"247\"", "\"duration\": \"four\""));
        assertThat(refused.statusCode()).isEqualTo(400);
        HttpResponse<String> first = postCallRail(postCallBody(retried));
        HttpResponse<String> second = postCallRail(postCallBody(rejected).replace("\"note\": null",
                "\"note\": \"call back " + email + "\""));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        String retriedEvent = eventId(first);
        String rejectedEvent = eventId(second);
        String exhaustedEvent = eventId(postCallRail(postCallBody(exhausted)));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(retriedEvent).stream()
                .anyMatch(r -> "created".equals(r.get("outcome"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(rejectedEvent).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(exhaustedEvent).isEmpty());

        // (a) JMX: every readable attribute of every Camel MBean
        String jmx = camelMBeanAttributes();
        assertThat(jmx).contains("crm-dispatch-acme-hubspot-main");
        SECRETS.forEach(secret -> assertThat(jmx).as("JMX attributes").doesNotContain(secret));

        // (a) Jolokia over HTTP, as Hawtio reads it: all attributes of the Camel route and context MBeans
        for (String pattern : List.of("org.apache.camel:type=routes,*", "org.apache.camel:type=context,*",
                "org.apache.camel:type=endpoints,*")) {
            HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/jolokia/read/" + pattern + "?ignoreErrors=true"))
                    .header("Authorization", AdminSecurityTest.basic(AdminSecurityTest.ADMIN_USER, AdminSecurityTest.ADMIN_PASSWORD))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"status\":200");
            if (pattern.contains("routes")) {
                assertThat(read.body()).contains("crm-dispatch-acme-hubspot-main");
            }
            SECRETS.forEach(secret -> assertThat(read.body()).as("Jolokia read " + pattern).doesNotContain(secret));
        }

        // (a) the log
        String log = output.getAll();
        assertThat(log).as("the log captured while the events ran").contains(retriedEvent).contains(rejectedEvent);
        SECRETS.forEach(secret -> assertThat(log).as("application log").doesNotContain(secret));

        // (b) the callers' phone numbers and e-mail only masked in the log
        for (String phone : List.of(retried, rejected, exhausted, invalid)) {
            assertThat(log).as("application log").doesNotContain(phone).doesNotContain(phone.substring(2));
        }
        assertThat(log).as("application log").doesNotContain(email);
        assertThat(log).as("the failures were logged, masked").contains(Masking.phone(rejected));
    }

    /** @return every readable attribute of every {@code org.apache.camel:*} MBean, as "name.attribute=value" lines */
    private static String camelMBeanAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:*"), null);
        assertThat(names).isNotEmpty();
        List<String> lines = new ArrayList<>();
        for (ObjectName name : names) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                Object value;
                try {
                    value = server.getAttribute(name, attribute.getName());
                } catch (Exception | LinkageError e) {
                    value = "<" + e + ">";
                }
                lines.add(name + "." + attribute.getName() + "=" + text(value));
            }
        }
        return String.join("\n", lines);
    }

    private static String text(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        if (value != null && value.getClass().isArray()) {
            return Arrays.deepToString(new Object[] {value});
        }
        return String.valueOf(value);
    }
}
