package io.leadhub.tenant;

import static io.leadhub.tenant.TenantFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of tenant-file error, with its exact key, line and column. */
class TenantFileErrorsTest {

    private static TenantConfigException loadError(String name) {
        return loadError(name, TenantFixtures.env());
    }

    private static TenantConfigException loadError(String name, Map<String, String> env) {
        Path file = fixture("errors/" + name);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TenantFixtures.loader(env).load(file));
        assertThat(thrown).isInstanceOf(TenantConfigException.class);
        TenantConfigException e = (TenantConfigException) thrown;
        assertThat(e.file()).isEqualTo(file);
        return e;
    }

    private static String at(String name, int line, int column, String key) {
        return fixture("errors/" + name) + ":" + line + ":" + column + ": " + key + ": ";
    }

    @Test
    void unknownKeyIsASchemaViolationReportedAtTheKey() {
        TenantConfigException e = loadError("unknown-key.yaml");

        assertThat(e.key()).isEqualTo("destinations[0].field_mapings");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.reason()).isEqualTo("unknown key 'field_mapings'");
        assertThat(e.getMessage()).isEqualTo(at("unknown-key.yaml", 6, 5, "destinations[0].field_mapings")
                + "unknown key 'field_mapings'");
    }

    @Test
    void errorMessagesNeverContainResolvedSecrets() {
        TenantConfigException e = loadError("unknown-key.yaml"); // its token resolves to pat-na1-SECRET-2
        assertThat(e.getMessage()).doesNotContain("SECRET");
        assertThat(e.toString()).doesNotContain("SECRET");
    }

    @Test
    void wrongEnumValuesAreReportedAtTheirValues() {
        TenantConfigException e = loadError("wrong-enum.yaml");

        assertThat(e.errors())
                .extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column)
                .containsExactly(
                        tuple("destinations[0].enabled", 5, 14),
                        tuple("destinations[0].duplicate_detection.action", 7, 15),
                        tuple("destinations[1].type", 9, 11));
        assertThat(e.errors().get(0).reason()).isEqualTo("string found, boolean expected");
        assertThat(e.errors().get(1).reason()).contains("enumeration").contains("update_existing");
        assertThat(e.errors().get(2).reason()).contains("enumeration").contains("hubspot");
        assertThat(e.getMessage().lines()).hasSize(3);
        assertThat(e.getMessage().lines().toList().get(2))
                .startsWith(at("wrong-enum.yaml", 9, 11, "destinations[1].type"));
    }

    @Test
    void missingRequiredKeyIsReportedAtItsParent() {
        TenantConfigException e = loadError("missing-required.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(tuple("destinations", 1, 1, "required key 'destinations' is missing"));
    }

    @Test
    void missingEnvironmentVariableNamesTheVariable() {
        TenantConfigException e = loadError("missing-env.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column)
                .containsExactly(
                        tuple("destinations[0].base_url", 5, 15),
                        tuple("destinations[0].token", 6, 12));
        assertThat(e.errors().get(0).reason()).contains("CRM_HOST").contains("not set");
        assertThat(e.errors().get(1).reason()).contains("MISSING_HUBSPOT_TOKEN").contains("not set");
    }

    @Test
    void literalSecretsAndSecretDefaultsAreRejectedWithoutEchoingThem() {
        TenantConfigException e = loadError("literal-secret.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(
                        tuple("sources.callrail.signing_key", 4, 18,
                                "secret must be a ${ENV_VAR} placeholder, not a literal"),
                        tuple("destinations[0].token", 8, 12,
                                "secret must be a ${ENV_VAR} placeholder, not a literal"));
        assertThat(e.getMessage()).doesNotContain("abc123").doesNotContain("pat-literal-default");
    }

    @Test
    void celSyntaxErrorPointsIntoTheExpression() {
        TenantConfigException e = loadError("cel-syntax.yaml");

        // line 7: `        - { if: "ai.lead_score >", then: "'HOT'" }` - the expression ends before column 33
        // line 10: `      follow_up: addDays(today(), 1 +)` - the unexpected ')' is in column 38
        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column)
                .containsExactly(
                        tuple("destinations[0].conditional.hs_lead_status[0].if", 7, 33),
                        tuple("destinations[0].computed.follow_up", 10, 38));
        assertThat(e.errors().get(0).reason()).startsWith("mismatched input '<EOF>'");
        assertThat(e.errors().get(1).reason()).startsWith("mismatched input ')'");
    }

    @Test
    void conditionsThatAreNotBoolAndCelTypeErrorsFailAtLoad() {
        TenantConfigException e = loadError("cel-type.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(
                        tuple("destinations[0].conditional.hs_lead_status[0].if", 7, 18,
                                "condition must be of type bool, but is int"),
                        tuple("destinations[0].field_mappings.label", 10, 35,
                                "found no matching overload for '_==_' applied to '(int, string)' (candidates: (%A1, %A1))"),
                        tuple("workflow_triggers[0].when", 12, 28, "condition must be of type bool, but is string"));
    }

    @Test
    void crmPropertyDefinedTwiceAcrossSections() {
        TenantConfigException e = loadError("duplicate-property.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(
                        tuple("destinations[0].custom_properties[0].name", 8, 17,
                                "CRM property 'phone' is defined twice (also at destinations[0].field_mappings.phone)"),
                        tuple("destinations[0].computed.phone", 10, 7,
                                "CRM property 'phone' is defined twice (also at destinations[0].field_mappings.phone)"));
    }

    @Test
    void tenantMustEqualTheFileName() {
        TenantConfigException e = loadError("tenant-mismatch.yaml");

        assertThat(e.getMessage()).isEqualTo(at("tenant-mismatch.yaml", 1, 9, "tenant")
                + "tenant 'acme-remodeling' must equal the file name without .yaml ('tenant-mismatch')");
    }

    @Test
    void destinationIdsMustBeUnique() {
        TenantConfigException e = loadError("duplicate-destination-id.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(tuple("destinations[1].id", 5, 9,
                        "duplicate destination id 'hubspot-main' (also used by destinations[0])"));
    }

    @Test
    void duplicateYamlKeyIsReportedAtTheSecondKey() {
        TenantConfigException e = loadError("duplicate-yaml-key.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(tuple("timezone", 4, 1, "duplicate key 'timezone' (first defined at line 2)"));
    }

    @Test
    void lookupNamesMustNotClashWithBuiltInNames() {
        TenantConfigException e = loadError("reserved-lookup.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column)
                .containsExactly(tuple("lookups.ai", 3, 3), tuple("lookups.today", 4, 3));
        assertThat(e.errors().get(0).reason()).startsWith("lookup name 'ai' clashes with the built-in CEL name");
    }

    @Test
    void conditionalListMustEndWithExactlyOneDefault() {
        TenantConfigException e = loadError("conditional-without-default.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(
                        tuple("destinations[0].conditional.hs_lead_status[0].default", 7, 22,
                                "default must be the last entry of the list"),
                        tuple("destinations[0].conditional.hs_lead_status[1]", 8, 11,
                                "the last entry of a conditional list must be {default: <expression>}"));
    }

    @Test
    void invalidYamlIsReportedWithThePositionOfTheProblem() {
        TenantConfigException e = loadError("invalid-yaml.yaml");

        assertThat(e.key()).isEqualTo(TenantConfigError.FILE_KEY);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(4);
        assertThat(e.reason()).startsWith("invalid YAML: ");
    }

    @Test
    void unknownTimeZoneAndRegionAreRejected() {
        TenantConfigException e = loadError("invalid-values.yaml");

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::line, TenantConfigError::column,
                        TenantConfigError::reason)
                .containsExactly(
                        tuple("default_region", 2, 17, "'ZZ' is not an ISO 3166-1 alpha-2 region code"),
                        tuple("timezone", 3, 11,
                                "'Mars/Olympus_Mons' is not a time zone (use an IANA id such as America/New_York)"));
    }

    @Test
    void missingFileIsAFileLevelError() {
        Path missing = fixture("errors").resolve("no-such-tenant.yaml");
        assertThatThrownBy(() -> TenantFixtures.loader().load(missing))
                .isInstanceOfSatisfying(TenantConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(TenantConfigError.FILE_KEY);
                    assertThat(e.line()).isZero();
                    assertThat(e.getMessage()).startsWith(missing + ":0:0: (file): cannot read the file");
                });
    }
}
