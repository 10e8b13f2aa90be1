package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadhub.tenant.TenantConfigException;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Tenant files as the running hub sees them: a broken one is isolated, a dry-run destination writes files. */
class TenantFilesAndDryRunTest extends HubIntegrationTest {

    @Autowired
    TenantRegistry tenants;

    @Autowired
    CamelContext camel;

    @Test
    void brokenTenantFileIsReportedWithFileKeyAndLineWhileOtherTenantsAreServed() {
        assertThat(tenants.find("broken")).isEmpty();
        Map.Entry<Path, TenantConfigException> error = tenants.errors().entrySet().stream()
                .filter(e -> e.getKey().getFileName().toString().equals("broken.yaml")).findFirst().orElseThrow();
        assertThat(error.getValue().getMessage()).contains("broken.yaml:11:")
                .contains("destinations[0].field_mappings.phone");
        assertThat(error.getValue().line()).isEqualTo(11);

        assertThat(tenants.find("acme")).isPresent();
        assertThat(camel.getRoute("crm-dispatch-acme-hubspot-main")).isNotNull();
        assertThat(camel.getRoute("crm-dispatch-broken-hubspot-main")).isNull();
        String body = postCallBody(uniquePhone());
        assertThat(postCallRail("broken", body, sign(ACME_CALLRAIL_KEY, body), "application/json").statusCode()).isEqualTo(404);
    }

    @Test
    void dryRunDestinationWritesTheRequestsAsJsonFilesWithoutTheToken() {
        String body = postCallBody(uniquePhone());
        String eventId = eventId(postCallRail("globex", body, sign(GLOBEX_CALLRAIL_KEY, body), "application/json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> "dry_run".equals(r.get("outcome"))));
        Path dir = DATA_DIR.resolve("dry-run/globex/hubspot-dry");
        List<Path> files = list(dir).stream().filter(p -> p.getFileName().toString().startsWith(eventId)).toList();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.endsWith("-create.json"));
        String create = read(files.stream().filter(p -> p.toString().endsWith("-create.json")).findFirst().orElseThrow());
        assertThat(create).contains("/crm/v3/objects/contacts").contains("\"firstname\" : \"Maria\"")
                .contains("Bearer ****");
    }

    @Test
    void everyRouteHasAReadableId() {
        assertThat(camel.getRoutes()).extracting(r -> r.getRouteId())
                .contains("inbound-callrail-webhook", "lead-enrich", "dead-letter", "inbound-journal",
                        "crm-dispatch-acme-hubspot-main", "crm-dispatch-globex-hubspot-dry")
                .noneMatch(id -> id.matches("route\\d+"));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
