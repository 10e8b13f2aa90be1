package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadhub.tenant.TenantRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tenants are onboarded, changed, broken and removed by editing files in the mappings folder: the running hub
 * follows within seconds, without a restart.
 */
class TenantHotReloadTest extends HubIntegrationTest {

    @Autowired
    TenantRegistry tenants;

    @Autowired
    CamelContext camel;

    private static String tenantFile(String tenant, String destinations) {
        return """
                tenant: %s
                sources:
                  callrail:
                    signing_key: ${ACME_CALLRAIL_KEY}
                destinations:
                %s
                """.formatted(tenant, destinations);
    }

    private static String destination(String id) {
        return """
                  - id: %s
                    type: hubspot
                    dry_run: true
                    token: ${GLOBEX_HUBSPOT_TOKEN:}
                    field_mappings:
                      phone: lead.phone
                """.formatted(id);
    }

    @Test
    void addingChangingBreakingAndRemovingATenantFileTakesEffectWithoutRestart() throws Exception {
        Path file = MAPPINGS_DIR.resolve("hotreload.yaml");

        // add
        Files.writeString(file, tenantFile("hotreload", destination("crm-a")));
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("crm-dispatch-hotreload-crm-a") != null);
        String body = postCallBody(uniquePhone());
        assertThat(postCallRail("hotreload", body, sign(ACME_CALLRAIL_KEY, body), "application/json").statusCode()).isEqualTo(202);

        // change: a second destination gets its route
        Files.writeString(file, tenantFile("hotreload", destination("crm-a") + destination("crm-b")));
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("crm-dispatch-hotreload-crm-b") != null);
        assertThat(camel.getRoute("crm-dispatch-hotreload-crm-a")).isNotNull();

        // break: rejected with its error visible, the previous version keeps running
        Files.writeString(file, tenantFile("hotreload", destination("crm-a") + "    field_mappings: {phone: 'lead.phone +'}\n"));
        await().atMost(Duration.ofSeconds(20)).until(() -> tenants.errors().containsKey(file));
        assertThat(tenants.find("hotreload")).isPresent();
        assertThat(camel.getRoute("crm-dispatch-hotreload-crm-b")).isNotNull();
        assertThat(admin("GET", "/admin/tenants/hotreload", null).body()).contains("hotreload.yaml:");

        // remove: its routes go, its webhooks are refused
        Files.delete(file);
        await().atMost(Duration.ofSeconds(20)).until(() -> tenants.find("hotreload").isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("crm-dispatch-hotreload-crm-a") == null
                && camel.getRoute("crm-dispatch-hotreload-crm-b") == null);
        assertThat(postCallRail("hotreload", body, sign(ACME_CALLRAIL_KEY, body), "application/json").statusCode()).isEqualTo(404);
    }
}
