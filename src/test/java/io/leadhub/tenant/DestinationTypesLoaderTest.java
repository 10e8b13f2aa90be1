package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.mapping.CompiledExpression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The custom_rest, webhook, perfex and leadpro types and the HubSpot deal settings in tenant files. */
class DestinationTypesLoaderTest {

    @TempDir
    Path dir;

    private static final String VALID = """
            tenant: types
            sources:
              callrail:
                signing_key: ${ACME_CALLRAIL_KEY}
            destinations:
              - id: crm-rest
                type: custom_rest
                base_url: https://crm.example.com/api/v2
                auth:
                  type: oauth_client_credentials
                  token_url: https://auth.example.com/oauth/token
                  client_id: leadhub
                  client_secret: ${REST_CLIENT_SECRET}
                  scope: leads.write
                headers: { X-Source: leadhub }
                body_root: lead
                search: { method: GET, path: "/leads?phone={phone}", id_path: "$.data[0].id" }
                create: { method: POST, path: /leads, id_path: "$.id" }
                update: { method: PUT, path: "/leads/{id}" }
                retry_on: [429, 408, "500-599"]
                field_mappings: { phone: lead.phone }
              - id: ops-hooks
                type: webhook
                urls: [https://hooks.example.com/leads, /relative]
                base_url: https://base.example.com
                secret: ${HOOK_SECRET}
                include: [properties, ai]
              - id: perfex
                type: perfex
                base_url: https://perfex.example.com
                token: ${PERFEX_TOKEN}
                lead_defaults: { source: 3, status: "2", assigned: 1 }
                custom_fields: { call_outcome: 4 }
                computed: { call_outcome: "call.answered ? 'answered' : 'missed'" }
              - id: leadpro
                type: leadpro
                base_url: https://leadpro.example.com
                token: ${LEADPRO_TOKEN}
                field_names: { call_outcome: last_call_result }
              - id: hubspot
                type: hubspot
                token: ${ACME_HUBSPOT_TOKEN}
                deal_when: "ai.lead_score != null && ai.lead_score >= 80"
                deal_name: "lead.full_name + ' - ' + ai.project_type"
                deal_amount_property: estimated_value
                deal_pipeline: default
                deal_stage: appointmentscheduled
                log_call: true
                log_note: true
                association_type_ids: { deal_to_contact: 3, call_to_contact: 194, note_to_contact: 202 }
            """;

    private static Map<String, String> env() {
        Map<String, String> env = TenantFixtures.env();
        env.put("REST_CLIENT_SECRET", "rest-SECRET-3");
        env.put("HOOK_SECRET", "whsec_SECRET4SECRET4");
        env.put("PERFEX_TOKEN", "perfex-SECRET-5");
        env.put("LEADPRO_TOKEN", "leadpro-SECRET-6");
        return env;
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private TenantConfigException error(String yaml) throws IOException {
        Path file = write("types", yaml);
        return catchThrowableOfType(TenantConfigException.class, () -> TenantFixtures.loader(env()).load(file));
    }

    @Test
    void everyNewTypeLoadsWithSecretsAsSecretsAndDealExpressionsCompiled() throws IOException {
        TenantConfig config = TenantFixtures.loader(env()).load(write("types", VALID));

        assertThat(config.destinations()).extracting(DestinationConfig::type)
                .containsExactly("custom_rest", "webhook", "perfex", "leadpro", "hubspot");
        DestinationConfig rest = config.destination("crm-rest").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = (Map<String, Object>) rest.settings().get("auth");
        assertThat(auth.get("client_secret")).isEqualTo(Secret.of("rest-SECRET-3"));
        assertThat(rest.settings().get("retry_on")).isEqualTo(List.of(429L, 408L, "500-599"));
        assertThat(config.destination("ops-hooks").orElseThrow().settings().get("secret"))
                .isEqualTo(Secret.of("whsec_SECRET4SECRET4"));
        assertThat(config.destination("perfex").orElseThrow().token().reveal()).isEqualTo("perfex-SECRET-5");
        DestinationConfig hubspot = config.destination("hubspot").orElseThrow();
        assertThat(hubspot.settings().get("deal_when")).isInstanceOf(CompiledExpression.class);
        assertThat(((CompiledExpression) hubspot.settings().get("deal_name")).key()).isEqualTo("destinations[4].deal_name");
        assertThat(config.toString()).doesNotContain("SECRET");
    }

    @Test
    void dealWhenWithACelErrorIsReportedWithKeyLineAndColumn() throws IOException {
        TenantConfigException e = error(VALID.replace("ai.lead_score >= 80\"", "ai.lead_score >= \""));

        assertThat(e.key()).isEqualTo("destinations[4].deal_when");
        assertThat(e.line()).isEqualTo(VALID.lines().toList().indexOf(
                "    deal_when: \"ai.lead_score != null && ai.lead_score >= 80\"") + 1);
    }

    @Test
    void dealWhenMustBeABoolExpression() throws IOException {
        TenantConfigException e = error(VALID.replace("\"ai.lead_score != null && ai.lead_score >= 80\"", "\"size(lead) + 1\""));

        assertThat(e.key()).isEqualTo("destinations[4].deal_when");
        assertThat(e.reason()).isEqualTo("condition must be of type bool, but is int");
    }

    @Test
    void customRestNeedsCreateAndBaseUrl() throws IOException {
        TenantConfigException e = error(VALID.replace("    create: { method: POST, path: /leads, id_path: \"$.id\" }\n", "")
                .replace("    base_url: https://crm.example.com/api/v2\n", ""));

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::reason).containsExactlyInAnyOrder(
                tuple("destinations[0].create", "required key 'create' is missing"),
                tuple("destinations[0].base_url", "required key 'base_url' is missing"));
    }

    @Test
    void unknownKeysOfTheNewTypesAreRejected() throws IOException {
        TenantConfigException e = error(VALID.replace("    body_root: lead\n", "    body_rot: lead\n"));

        assertThat(e.key()).isEqualTo("destinations[0].body_rot");
        assertThat(e.reason()).isEqualTo("unknown key 'body_rot'");
    }

    @Test
    void oauthWithoutClientSecretAndPerfexWithoutAssignedAreRejected() throws IOException {
        TenantConfigException e = error(VALID.replace("      client_secret: ${REST_CLIENT_SECRET}\n", "")
                .replace("lead_defaults: { source: 3, status: \"2\", assigned: 1 }", "lead_defaults: { source: 3, status: 2 }"));

        assertThat(e.errors()).extracting(TenantConfigError::key, TenantConfigError::reason).containsExactlyInAnyOrder(
                tuple("destinations[0].auth.client_secret", "required key 'client_secret' is missing"),
                tuple("destinations[2].lead_defaults.assigned", "required key 'assigned' is missing"));
    }

    @Test
    void webhookNeedsASubscriberAndAPlaceholderSecret() throws IOException {
        TenantConfigException e = error(VALID.replace("    urls: [https://hooks.example.com/leads, /relative]\n", "")
                .replace("secret: ${HOOK_SECRET}", "secret: whsec_literal"));

        assertThat(e.errors()).extracting(TenantConfigError::key).containsExactlyInAnyOrder("destinations[1].secret",
                "destinations[1].urls", "destinations[1].url");
        assertThat(e.getMessage()).contains("secret must be a ${ENV_VAR} placeholder, not a literal")
                .contains("required key 'url' is missing").doesNotContain("whsec_literal");
    }

    @Test
    void retryOnEntriesMustBeStatusesOrRanges() throws IOException {
        TenantConfigException e = error(VALID.replace("retry_on: [429, 408, \"500-599\"]", "retry_on: [429, 5xx]"));

        assertThat(e.key()).isEqualTo("destinations[0].retry_on[1]");
    }

    @Test
    void eachTypesKeyDeclarationListsExactlyTheKeysItsBranchValidates() throws IOException {
        JsonNode defs = new ObjectMapper().readTree(Path.of("mappings", "tenant.schema.json").toFile()).path("$defs");
        List<String> declarations = new ArrayList<>();
        defs.fieldNames().forEachRemaining(name -> {
            if (name.endsWith("DestinationKeys")) {
                declarations.add(name);
            }
        });

        assertThat(declarations).containsExactlyInAnyOrder("hubspotDestinationKeys", "customRestDestinationKeys",
                "webhookDestinationKeys", "perfexDestinationKeys", "leadproDestinationKeys");
        for (String declaration : declarations) {
            String branch = declaration.substring(0, declaration.length() - "Keys".length());
            List<String> declared = new ArrayList<>();
            List<String> validated = new ArrayList<>();
            defs.path(declaration).path("properties").fieldNames().forEachRemaining(declared::add);
            defs.path(branch).path("properties").fieldNames().forEachRemaining(validated::add);
            assertThat(declared).as(declaration).containsExactlyElementsOf(validated);
        }
    }
}
