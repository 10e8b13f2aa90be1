package io.leadhub.dispatch.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadhub.mapping.MappingContext;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantConfigError;
import io.leadhub.tenant.TenantConfigException;
import io.leadhub.tenant.TenantFileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code salesforce} branch of the tenant schema, and the example of docs/tenant-file.md. */
class SalesforceTenantFileTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T15:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of(
            "ACME_SF_CLIENT_ID", "3MVG9consumer", "ACME_SF_USERNAME", "integration@acme.test",
            "ACME_SF_KEYSTORE", "/run/secrets/acme-sf.p12", "ACME_SF_KEYSTORE_PASSWORD", "SECRET-pw"));

    private TenantConfig load(String destinations) throws IOException {
        Path file = dir.resolve("acme.yaml");
        Files.writeString(file, "tenant: acme\ndestinations:\n" + destinations);
        return new TenantFileLoader(env::get, "US", CLOCK, null).load(file);
    }

    private List<String> problems(String destinations) {
        TenantConfigException e = catchThrowableOfType(TenantConfigException.class, () -> load(destinations));
        assertThat(e).as("the file should be rejected").isNotNull();
        List<String> problems = new ArrayList<>();
        for (TenantConfigError error : e.errors()) {
            problems.add(error.key() + ": " + error.reason());
        }
        return problems;
    }

    /** The yaml block of the "Keys of type salesforce" section. */
    private static String docsExample() throws IOException {
        String docs = Files.readString(Path.of("docs", "tenant-file.md"));
        int start = docs.indexOf("```yaml\n  - id: salesforce-main");
        assertThat(start).as("salesforce example in docs/tenant-file.md").isNotNegative();
        int from = start + "```yaml\n".length();
        return docs.substring(from, docs.indexOf("```", from));
    }

    @Test
    void docsExampleLoadsWithSecretPasswordAndMapsLeadAndTaskFields() throws IOException {
        TenantConfig config = load(docsExample());

        DestinationConfig destination = config.destinations().get(0);
        assertThat(destination.type()).isEqualTo("salesforce");
        assertThat(destination.dryRun()).isEqualTo(DryRun.AUTO);
        assertThat(destination.settings().get("keystore_password")).isEqualTo(Secret.of("SECRET-pw"));
        assertThat(destination.settings().get("keystore_password").toString()).isEqualTo("****");
        SalesforceSettings settings = SalesforceSettings.of(destination);
        assertThat(settings.hasCredentials()).isTrue();
        assertThat(settings.isDryRun(destination)).isFalse();
        assertThat(settings.loginUrl()).isEqualTo("https://login.salesforce.com");
        assertThat(settings.externalIdField()).isEqualTo("LeadHub_Phone__c");
        assertThat(settings.task()).isEqualTo(new SalesforceSettings.TaskSettings(true, "Call back new lead",
                "Not Started", "High", 1, null));

        Map<String, Object> lead = new HashMap<>(Map.of("first_name", "Jane", "phone", "+14045558514"));
        lead.put("last_name", null);
        lead.put("email", null);
        Map<String, Object> call = new HashMap<>(Map.of("transcription", "I need a new kitchen."));
        Map<String, Object> ai = new HashMap<>(Map.of("lead_score", 85, "urgency", "high"));
        assertThat(destination.mapping().apply(new MappingContext(lead, call, ai))).containsExactly(
                Map.entry("FirstName", "Jane"),
                Map.entry("LastName", "[not provided]"),
                Map.entry("Company", "[not provided]"),
                Map.entry("Phone", "+14045558514"),
                Map.entry("LeadSource", "Phone Inquiry"),
                Map.entry("Task.Description", "I need a new kitchen."),
                Map.entry("Rating", "Hot"),
                Map.entry("Task.ActivityDate", "2026-11-21"));
    }

    @Test
    void readmeBlockLoads() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\ndestinations:\n  - id: salesforce-main");
        assertThat(start).as("salesforce block in README.md").isNotNegative();
        int from = start + "```yaml\ndestinations:\n".length();

        TenantConfig config = load(readme.substring(from, readme.indexOf("```", from)));

        assertThat(SalesforceSettings.of(config.destinations().get(0)).loginUrl())
                .isEqualTo("https://login.salesforce.com");
    }

    @Test
    void dryRunAutoWithEmptyCredentialsIsADryRun() throws IOException {
        env.remove("ACME_SF_KEYSTORE_PASSWORD");
        TenantConfig config = load("""
                  - id: sf
                    type: salesforce
                    client_id: ${ACME_SF_CLIENT_ID}
                    username: ${ACME_SF_USERNAME}
                    keystore_path: ${ACME_SF_KEYSTORE:}
                    keystore_password: ${ACME_SF_KEYSTORE_PASSWORD:}
                    dry_run: auto
                """);

        DestinationConfig destination = config.destinations().get(0);
        assertThat(SalesforceSettings.of(destination).isDryRun(destination)).isTrue();
    }

    @Test
    void dryRunTrueNeedsNoCredentials() throws IOException {
        TenantConfig config = load("""
                  - id: sf
                    type: salesforce
                    dry_run: true
                    task: false
                """);

        SalesforceSettings settings = SalesforceSettings.of(config.destinations().get(0));
        assertThat(settings.hasCredentials()).isFalse();
        assertThat(settings.task().enabled()).isFalse();
    }

    @Test
    void liveDestinationWithoutCredentialsIsRejectedNamingEachKey() {
        assertThat(problems("""
                  - id: sf
                    type: salesforce
                """)).containsExactlyInAnyOrder(
                "destinations[0].client_id: required key 'client_id' is missing",
                "destinations[0].username: required key 'username' is missing",
                "destinations[0].keystore_path: required key 'keystore_path' is missing",
                "destinations[0].keystore_password: required key 'keystore_password' is missing");
    }

    @Test
    void literalKeystorePasswordIsRejected() {
        assertThat(problems("""
                  - id: sf
                    type: salesforce
                    client_id: x
                    username: u@acme.test
                    keystore_path: /k.p12
                    keystore_password: hunter2
                """)).containsExactly(
                "destinations[0].keystore_password: secret must be a ${ENV_VAR} placeholder, not a literal");
    }

    @Test
    void baseUrlBadVersionAndUnknownTaskKeyAreRejected() {
        List<String> problems = problems("""
                  - id: sf
                    type: salesforce
                    dry_run: true
                    base_url: https://acme.my.salesforce.com
                    api_version: latest
                    external_id_field: "Phone Number"
                    task: { subject: Call, colour: red }
                """);

        assertThat(problems).contains("destinations[0].base_url: key 'base_url' is not used by this destination type");
        assertThat(problems).anyMatch(p -> p.startsWith("destinations[0].api_version: "));
        assertThat(problems).anyMatch(p -> p.startsWith("destinations[0].external_id_field: "));
        assertThat(problems).anyMatch(p -> p.startsWith("destinations[0].task"));
    }

    @Test
    void hubspotKeysAreNotAcceptedOnASalesforceDestination() {
        assertThat(problems("""
                  - id: sf
                    type: salesforce
                    dry_run: true
                    token: ${ACME_SF_CLIENT_ID}
                """)).anyMatch(p -> p.contains("token"));
    }
}
