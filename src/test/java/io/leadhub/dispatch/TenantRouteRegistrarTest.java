package io.leadhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.leadhub.kafka.TopicProvisioner;
import io.leadhub.tenant.TenantFileLoader;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantRouteRegistrarTest {

    @TempDir
    Path mappings;

    private final TopicProvisioner topics = mock(TopicProvisioner.class);
    private CamelContext camel;

    @BeforeEach
    void camelWithAStandInTemplate() throws Exception {
        when(topics.enrichedTopic(anyString())).thenAnswer(call -> "leads.enriched." + call.getArgument(0));
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the template's parameters and fixed step ids, without Kafka
                routeTemplate(TenantRouteRegistrar.TEMPLATE_ID)
                        .templateParameter("tenant").templateParameter("destination")
                        .templateParameter("destinationType").templateParameter("topic").templateParameter("groupId")
                        .from("direct:{{topic}}-{{destination}}").id("from-enriched-leads")
                        .setProperty("leadhubTenant", constant("{{tenant}}")).id("set-tenant")
                        .log("{{groupId}}").id("deliver");
            }
        });
        camel.start();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    private void tenantFile(String tenant, String... destinations) throws IOException {
        StringBuilder yaml = new StringBuilder("tenant: " + tenant + "\ndestinations:\n");
        for (String d : destinations) {
            boolean off = d.endsWith("!off");
            yaml.append("  - id: ").append(off ? d.substring(0, d.length() - 4) : d).append('\n')
                    .append("    type: hubspot\n    dry_run: true\n");
            if (off) {
                yaml.append("    enabled: false\n");
            }
        }
        Files.writeString(mappings.resolve(tenant + ".yaml"), yaml);
    }

    private TenantRegistry registry() {
        TenantRegistry registry = new TenantRegistry(mappings, new TenantFileLoader(n -> null, "US", Clock.systemUTC(), null));
        assertThat(registry.errors()).isEmpty();
        return registry;
    }

    private List<String> routeIds() {
        return camel.getRoutes().stream().map(Route::getRouteId).sorted().toList();
    }

    private Object tenantOf(String routeId) {
        return ((org.apache.camel.model.ModelCamelContext) camel).getRouteDefinition(routeId).getTemplateParameters().get("tenant");
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
            "acme, hubspot-main, crm-dispatch-acme-hubspot-main",
            "acme-west, hubspot, crm-dispatch-acme-west-hubspot"
    })
    void routeIdIsCrmDispatchTenantDestination(String tenant, String destination, String routeId) {
        assertThat(TenantRouteRegistrar.routeId(tenant, destination)).isEqualTo(routeId);
    }

    @Test
    void addsOneRoutePerEnabledDestinationOnceCamelHasStarted() throws IOException {
        tenantFile("acme", "hubspot-main", "hubspot-backup", "hubspot-old!off");
        tenantFile("acme-west", "hubspot-main");
        TenantRouteRegistrar registrar = new TenantRouteRegistrar(registry(), topics, new io.leadhub.tenant.TenantSecretResolver(new org.springframework.mock.env.MockEnvironment()));

        registrar.afterApplicationStart(camel);

        assertThat(routeIds()).containsExactly("crm-dispatch-acme-hubspot-backup", "crm-dispatch-acme-hubspot-main",
                "crm-dispatch-acme-west-hubspot-main");
        assertThat(tenantOf("crm-dispatch-acme-west-hubspot-main")).isEqualTo("acme-west");
        verify(topics).ensure(List.of("leads.enriched.acme"));
        verify(topics).ensure(List.of("leads.enriched.acme-west"));
    }

    @Test
    void followsTenantFileChangesWithoutTouchingATenantWhoseIdItPrefixes() throws IOException {
        tenantFile("acme", "hubspot-main", "hubspot-backup");
        tenantFile("acme-west", "hubspot-main");
        TenantRegistry registry = registry();
        new TenantRouteRegistrar(registry, topics, new io.leadhub.tenant.TenantSecretResolver(new org.springframework.mock.env.MockEnvironment())).afterApplicationStart(camel);
        Route west = camel.getRoute("crm-dispatch-acme-west-hubspot-main");
        Route kept = camel.getRoute("crm-dispatch-acme-hubspot-main");

        tenantFile("acme", "hubspot-main", "hubspot-backup!off", "hubspot-new");
        registry.reload();

        assertThat(routeIds()).containsExactly("crm-dispatch-acme-hubspot-main", "crm-dispatch-acme-hubspot-new",
                "crm-dispatch-acme-west-hubspot-main");
        assertThat(camel.getRoute("crm-dispatch-acme-hubspot-main")).isSameAs(kept);
        assertThat(camel.getRoute("crm-dispatch-acme-west-hubspot-main")).isSameAs(west);

        Files.delete(mappings.resolve("acme.yaml"));
        registry.reload();

        assertThat(routeIds()).containsExactly("crm-dispatch-acme-west-hubspot-main");
    }

    @Test
    void aTenantWhoseRouteIdsCollideIsRejectedByTheRegistryAndGetsNoRoute() throws IOException {
        // "acme" + "west-hubspot" and "acme-west" + "hubspot" both give crm-dispatch-acme-west-hubspot
        tenantFile("acme", "west-hubspot");
        tenantFile("acme-west", "hubspot");
        TenantRegistry registry = new TenantRegistry(mappings, new TenantFileLoader(n -> null, "US",
                Clock.systemUTC(), null));
        new TenantRouteRegistrar(registry, topics, new io.leadhub.tenant.TenantSecretResolver(
                new org.springframework.mock.env.MockEnvironment())).afterApplicationStart(camel);

        assertThat(registry.errors()).containsOnlyKeys(mappings.resolve("acme-west.yaml"));
        assertThat(routeIds()).containsExactly("crm-dispatch-acme-west-hubspot");
        assertThat(tenantOf("crm-dispatch-acme-west-hubspot")).isEqualTo("acme");
        Route acme = camel.getRoute("crm-dispatch-acme-west-hubspot");

        tenantFile("acme-west", "hubspot-2");
        registry.reload();

        assertThat(registry.errors()).isEmpty();
        assertThat(camel.getRoute("crm-dispatch-acme-west-hubspot")).isSameAs(acme);
        assertThat(routeIds()).containsExactly("crm-dispatch-acme-west-hubspot", "crm-dispatch-acme-west-hubspot-2");
    }
}
