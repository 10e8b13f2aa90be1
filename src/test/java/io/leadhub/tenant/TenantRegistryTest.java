package io.leadhub.tenant;

import static io.leadhub.tenant.TenantFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.config.LeadHubProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

class TenantRegistryTest {

    @TempDir
    Path dir;

    private void put(String fixture, String name) throws IOException {
        Files.copy(fixture(fixture), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Binds the two settings the registry reads, the way Spring Boot does (other settings stay unset). */
    private static LeadHubProperties properties(Path mappingsDir, String defaultRegion) {
        MockEnvironment env = new MockEnvironment()
                .withProperty("leadhub.mappings-dir", mappingsDir.toString())
                .withProperty("leadhub.phone.default-region", defaultRegion);
        return Binder.get(env).bind("leadhub", LeadHubProperties.class).get();
    }

    private TenantRegistry registry() {
        return new TenantRegistry(dir, TenantFixtures.loader());
    }

    @Test
    void servesTheGoodFileAndRecordsTheBrokenOne() throws IOException {
        put("valid/acme-remodeling.yaml", "acme-remodeling.yaml");
        put("errors/unknown-key.yaml", "unknown-key.yaml");

        TenantRegistry registry = registry();

        assertThat(registry.find("acme-remodeling")).isPresent();
        assertThat(registry.find("unknown-key")).isEmpty();
        assertThat(registry.tenants()).extracting(TenantConfig::tenant).containsExactly("acme-remodeling");
        assertThat(registry.errors()).containsOnlyKeys(dir.resolve("unknown-key.yaml"));
        TenantConfigException error = registry.errors().get(dir.resolve("unknown-key.yaml"));
        assertThat(error.key()).isEqualTo("destinations[0].field_mapings");
        assertThat(error.getMessage())
                .startsWith(dir.resolve("unknown-key.yaml") + ":6:5: destinations[0].field_mapings: unknown key");
    }

    @Test
    void missingMappingsFolderMeansNoTenants() {
        TenantRegistry registry = new TenantRegistry(dir.resolve("missing"), TenantFixtures.loader());

        assertThat(registry.tenants()).isEmpty();
        assertThat(registry.errors()).isEmpty();
        assertThat(registry.find("acme-remodeling")).isEmpty();
    }

    @Test
    void onlyYamlFilesAreLoaded() throws IOException {
        put("registry/beta-roofing.yaml", "beta-roofing.yaml");
        Files.writeString(dir.resolve("notes.txt"), "not a tenant");
        put("registry/beta-roofing.yaml", "beta-roofing.yaml.bak");

        assertThat(registry().tenants()).extracting(TenantConfig::tenant).containsExactly("beta-roofing");
    }

    @Test
    void reloadKeepsThePreviousConfigWhenTheNewFileIsBroken() throws IOException {
        put("valid/acme-remodeling.yaml", "acme-remodeling.yaml");
        TenantRegistry registry = registry();
        TenantConfig before = registry.find("acme-remodeling").orElseThrow();
        List<TenantChange> changes = new ArrayList<>();
        registry.addListener(changes::add);

        put("registry/acme-remodeling-broken.yaml", "acme-remodeling.yaml");
        registry.reload();

        assertThat(registry.find("acme-remodeling")).containsSame(before);
        assertThat(registry.errors()).containsOnlyKeys(dir.resolve("acme-remodeling.yaml"));
        TenantConfigException error = registry.errors().get(dir.resolve("acme-remodeling.yaml"));
        assertThat(error.key()).isEqualTo("destinations[0].type");
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.column()).isEqualTo(11);
        assertThat(changes).isEmpty();
    }

    @Test
    void reloadReportsAddedChangedAndRemovedTenantsToListeners() throws IOException {
        put("valid/acme-remodeling.yaml", "acme-remodeling.yaml");
        TenantRegistry registry = registry();
        List<TenantChange> changes = new ArrayList<>();
        registry.addListener(changes::add);

        put("registry/acme-remodeling-v2.yaml", "acme-remodeling.yaml");
        put("registry/beta-roofing.yaml", "beta-roofing.yaml");
        registry.reload();

        assertThat(changes).containsExactly(new TenantChange(Set.of("beta-roofing"), Set.of("acme-remodeling"), Set.of()));
        assertThat(registry.find("acme-remodeling").orElseThrow().timezone().getId()).isEqualTo("Europe/Berlin");
        assertThat(registry.errors()).isEmpty();

        Files.delete(dir.resolve("acme-remodeling.yaml"));
        registry.reload();

        assertThat(changes).hasSize(2);
        assertThat(changes.get(1)).isEqualTo(new TenantChange(Set.of(), Set.of(), Set.of("acme-remodeling")));
        assertThat(registry.find("acme-remodeling")).isEmpty();
    }

    @Test
    void reloadOfUnchangedFilesKeepsTheSameInstancesAndNotifiesNobody() throws IOException {
        put("registry/beta-roofing.yaml", "beta-roofing.yaml");
        TenantRegistry registry = registry();
        TenantConfig before = registry.find("beta-roofing").orElseThrow();
        List<TenantChange> changes = new ArrayList<>();
        registry.addListener(changes::add);

        registry.reload();

        assertThat(registry.find("beta-roofing")).containsSame(before);
        assertThat(changes).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws IOException {
        TenantRegistry registry = registry();
        List<TenantChange> changes = new ArrayList<>();
        registry.addListener(change -> {
            throw new IllegalStateException("boom");
        });
        registry.addListener(changes::add);

        put("registry/beta-roofing.yaml", "beta-roofing.yaml");
        registry.reload();

        assertThat(changes).containsExactly(new TenantChange(Set.of("beta-roofing"), Set.of(), Set.of()));
    }

    @Test
    void springConstructorResolvesPlaceholdersFromTheEnvironment() throws IOException {
        put("registry/beta-roofing.yaml", "beta-roofing.yaml");
        MockEnvironment env = new MockEnvironment().withProperty("BETA_HUBSPOT_TOKEN", "pat-from-env");
        LeadHubProperties props = properties(dir, "CA");

        TenantRegistry registry = new TenantRegistry(props, new TenantSecretResolver(env));

        TenantConfig beta = registry.find("beta-roofing").orElseThrow();
        assertThat(beta.defaultRegion()).isEqualTo("CA");
        DestinationConfig hubspot = beta.destination("hubspot").orElseThrow();
        assertThat(hubspot.token().reveal()).isEqualTo("pat-from-env");
        assertThat(hubspot.isDryRun()).isFalse();
    }

    @Test
    void schemaFileInTheMappingsFolderReplacesTheBuiltInSchema() throws IOException {
        put("registry/beta-roofing.yaml", "beta-roofing.yaml");
        Files.writeString(dir.resolve("tenant.schema.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "type": "object", "required": ["tenant", "destinations", "owner"]}
                """);
        LeadHubProperties props = properties(dir, "US");

        TenantRegistry registry = new TenantRegistry(props, new TenantSecretResolver(new MockEnvironment()));

        assertThat(registry.find("beta-roofing")).isEmpty();
        assertThat(registry.errors().get(dir.resolve("beta-roofing.yaml")).reason())
                .isEqualTo("required key 'owner' is missing");
    }

    private void tenantWithDestination(String tenant, String destination) throws IOException {
        Files.writeString(dir.resolve(tenant + ".yaml"), "tenant: " + tenant + "\ndestinations:\n"
                + "  - { id: " + destination + ", type: hubspot, dry_run: true }\n");
    }

    @Test
    void twoTenantsWhoseDispatchRouteIdsCollideServeOnlyTheFirst() throws IOException {
        tenantWithDestination("acme", "west-x");
        tenantWithDestination("acme-west", "x");

        TenantRegistry registry = registry();

        assertThat(registry.tenants()).extracting(TenantConfig::tenant).containsExactly("acme");
        TenantConfigException error = registry.errors().get(dir.resolve("acme-west.yaml"));
        assertThat(error.key()).isEqualTo("destinations[0].id");
        assertThat(error.getMessage()).contains("crm-dispatch-acme-west-x").contains("tenant 'acme' destination 'west-x'");
    }

    @Test
    void aTenantAlreadyServedKeepsItsDispatchIdsWhenANewFileCollides() throws IOException {
        tenantWithDestination("acme-west", "x");
        TenantRegistry registry = registry();
        tenantWithDestination("acme", "west-x");

        registry.reload();

        assertThat(registry.tenants()).extracting(TenantConfig::tenant).containsExactly("acme-west");
        assertThat(registry.errors()).containsOnlyKeys(dir.resolve("acme.yaml"));
    }
}
