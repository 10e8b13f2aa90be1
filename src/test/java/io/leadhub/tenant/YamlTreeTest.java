package io.leadhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTreeTest {

    private static JsonNode parse(String yaml, Map<String, String> env) {
        Problems problems = new Problems(Path.of("t.yaml"));
        YamlTree tree = YamlTree.parse(yaml, env::get, problems);
        problems.throwIfAny();
        return tree.root();
    }

    @Test
    void plainScalarsFollowTheYamlCoreSchemaNotYaml11() {
        JsonNode root = parse("""
                a: NO
                b: yes
                c: on
                d: 0x1F
                e: 1.5e3
                f: ~
                g: 2026-01-01
                h: TRUE
                i: 0o17
                j: 007
                """, Map.of());

        assertThat(root.get("a").isTextual()).isTrue();
        assertThat(root.get("b").textValue()).isEqualTo("yes");
        assertThat(root.get("c").textValue()).isEqualTo("on");
        assertThat(root.get("d").intValue()).isEqualTo(31);
        assertThat(root.get("e").doubleValue()).isEqualTo(1500.0);
        assertThat(root.get("f").isNull()).isTrue();
        assertThat(root.get("g").textValue()).isEqualTo("2026-01-01");
        assertThat(root.get("h").booleanValue()).isTrue();
        assertThat(root.get("i").intValue()).isEqualTo(15);
        assertThat(root.get("j").intValue()).isEqualTo(7);
    }

    @Test
    void plainScalarsMadeOnlyOfPlaceholdersAreRetypedAfterSubstitution() {
        JsonNode root = parse("""
                flag: ${FLAG:true}
                count: ${COUNT:42}
                both: ${A:1}${B:2}
                mode: ${MODE:auto}
                empty: ${EMPTY:}
                set: ${SET_FLAG:true}
                """, Map.of("SET_FLAG", "false"));

        assertThat(root.get("flag").isBoolean()).isTrue();
        assertThat(root.get("flag").booleanValue()).isTrue();
        assertThat(root.get("count").isInt()).isTrue();
        assertThat(root.get("count").intValue()).isEqualTo(42);
        assertThat(root.get("both").intValue()).isEqualTo(12);
        assertThat(root.get("mode").textValue()).isEqualTo("auto");
        assertThat(root.get("empty").isNull()).isTrue();
        assertThat(root.get("set").booleanValue()).isFalse();
    }

    @Test
    void quotedScalarsAndMixedTextStayStrings() {
        JsonNode root = parse("""
                a: "${FLAG:true}"
                b: '${COUNT:42}'
                c: v${COUNT:42}
                d: !!str 123
                e: "${HOST:localhost}:${PORT:8080}"
                """, Map.of("HOST", "crm.example"));

        assertThat(root.get("a").textValue()).isEqualTo("true");
        assertThat(root.get("b").textValue()).isEqualTo("42");
        assertThat(root.get("c").textValue()).isEqualTo("v42");
        assertThat(root.get("d").textValue()).isEqualTo("123");
        assertThat(root.get("e").textValue()).isEqualTo("crm.example:8080");
    }

    @Test
    void anchorsAndMergeKeysAreSupported() {
        JsonNode root = parse("""
                x-defaults: &defaults { type: hubspot, enabled: false }
                destinations:
                  - <<: *defaults
                    id: crm
                    enabled: true
                """, Map.of());

        JsonNode destination = root.get("destinations").get(0);
        assertThat(destination.get("type").textValue()).isEqualTo("hubspot");
        assertThat(destination.get("enabled").booleanValue()).isTrue();
        assertThat(destination.get("id").textValue()).isEqualTo("crm");
    }

    @Test
    void secretsAreMaskedInTheTreeAndKeptAside() {
        Problems problems = new Problems(Path.of("t.yaml"));
        YamlTree tree = YamlTree.parse("""
                sources:
                  callrail: { signing_key: "${KEY}" }
                destinations:
                  - { token: "${TOKEN:}", field_mappings: { token: lead.token } }
                """, Map.of("KEY", "s3cr3t")::get, problems);
        problems.throwIfAny();

        assertThat(tree.root().toString()).doesNotContain("s3cr3t");
        KeyPath signingKey = KeyPath.ROOT.child("sources").child("callrail").child("signing_key");
        assertThat(tree.secrets().get(signingKey).reveal()).isEqualTo("s3cr3t");
        assertThat(tree.secrets().get(KeyPath.ROOT.child("destinations").index(0).child("token")).isEmpty()).isTrue();
        // a CRM property called "token" inside field_mappings is an expression, not a secret
        assertThat(tree.root().at("/destinations/0/field_mappings/token").textValue()).isEqualTo("lead.token");
    }
}
