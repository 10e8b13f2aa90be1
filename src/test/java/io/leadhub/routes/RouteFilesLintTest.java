package io.leadhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints every {@code routes/**}/{@code *.camel.yaml} like camel-kamelets' validator: valid against Camel's own
 * YAML DSL schema ({@code schema/camelYamlDsl.json} in camel-yaml-dsl), one route / routeConfiguration /
 * routeTemplate per file, file named after its id, a description, a routeConfigurationId on routes, and route
 * template parameters declared == used.
 */
class RouteFilesLintTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9]*)}}");
    private static JsonSchema camelSchema;
    /** Option names the Camel schema types as string in every definition that has them. */
    private static final Set<String> STRING_OPTIONS = new TreeSet<>();

    @BeforeAll
    static void loadCamelSchema() throws IOException {
        try (InputStream in = RouteFilesLintTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("camelYamlDsl.json on the classpath").isNotNull();
            JsonNode schema = new ObjectMapper().readTree(in);
            camelSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
            Set<String> other = new TreeSet<>();
            schema.path("items").path("definitions").forEach(def -> def.path("properties").fields().forEachRemaining(p -> {
                if ("string".equals(p.getValue().path("type").asText())) {
                    STRING_OPTIONS.add(p.getKey());
                } else if (p.getValue().has("type")) {
                    other.add(p.getKey());
                }
            }));
            STRING_OPTIONS.removeAll(other);
        }
    }

    static Stream<Path> routeFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            files = walk.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void isValidAgainstCamelsYamlDslSchema(Path file) throws IOException {
        JsonNode doc = YAML.readTree(file.toFile());
        resolvePropertyPlaceholders(doc);
        Set<ValidationMessage> errors = camelSchema.validate(doc);
        assertThat(errors).as("schema errors in " + file).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void holdsOneDescribedElementNamedLikeTheFile(Path file) throws IOException {
        JsonNode doc = YAML.readTree(file.toFile());
        assertThat(doc.isArray() && doc.size() == 1).as(file + " holds exactly one element").isTrue();
        JsonNode element = doc.get(0);
        String kind = element.fieldNames().next();
        JsonNode body = element.get(kind);
        String fileId = file.getFileName().toString().replace(".camel.yaml", "");
        assertThat(fileId).as("no other dots in the file name").doesNotContain(".");
        assertThat(body.path("id").asText()).as("id of " + file).isEqualTo(fileId);
        assertThat(body.path("description").asText()).as("description of " + file).isNotBlank();
        if (kind.equals("route")) {
            assertThat(body.path("routeConfigurationId").asText()).as("routeConfigurationId of " + file).isNotBlank();
        }
        if (kind.equals("routeTemplate")) {
            assertThat(body.path("route").path("routeConfigurationId").asText()).isNotBlank();
            Set<String> declared = new TreeSet<>();
            body.path("parameters").forEach(p -> declared.add(p.path("name").asText()));
            Set<String> used = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(Files.readString(file));
            while (m.find()) {
                used.add(m.group(1));
            }
            assertThat(used).as("template parameters used in " + file).isEqualTo(declared);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyStepHasAnId(Path file) throws IOException {
        List<String> missing = new ArrayList<>();
        collectStepsWithoutId(YAML.readTree(file.toFile()), "", missing);
        assertThat(missing).as("steps without id in " + file).isEmpty();
    }

    /**
     * Replaces each string that is one {@code {{leadhub.x}}} property placeholder with the typed value the hub
     * resolves it to (from application.yaml), so numeric and boolean options are checked with their real values.
     */
    private static void resolvePropertyPlaceholders(JsonNode node) throws IOException {
        JsonNode config = YAML.readTree(Path.of("src/main/resources/application.yaml").toFile());
        replacePlaceholders(node, config);
    }

    private static void replacePlaceholders(JsonNode node, JsonNode config) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                JsonNode value = placeholderValue(child, config);
                if (value != null) {
                    object.set(name, typedLike(name, value));
                } else {
                    replacePlaceholders(child, config);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> replacePlaceholders(child, config));
        }
    }

    private static JsonNode placeholderValue(JsonNode node, JsonNode config) {
        if (!node.isTextual()) {
            return null;
        }
        Matcher m = Pattern.compile("\\{\\{((?:leadhub|camel)\\.[a-z0-9.-]+)}}").matcher(node.asText());
        if (!m.matches()) {
            return null;
        }
        JsonNode value = config;
        for (String part : m.group(1).split("\\.")) {
            value = value.path(part);
        }
        assertThat(value.isMissingNode()).as("property " + m.group(1) + " is defined in application.yaml").isFalse();
        return value;
    }

    /** Options the Camel schema declares as strings (durations such as redeliveryDelay) stay strings. */
    private static JsonNode typedLike(String option, JsonNode value) {
        return STRING_OPTIONS.contains(option) ? com.fasterxml.jackson.databind.node.TextNode.valueOf(value.asText()) : value;
    }

    private static final Set<String> STEP_KINDS = Set.of("to", "toD", "bean", "process", "setProperty", "setHeader",
            "setBody", "filter", "choice", "idempotentConsumer", "doTry", "log", "split", "marshal", "unmarshal",
            "removeHeaders", "circuitBreaker", "enrich");

    private static void collectStepsWithoutId(JsonNode node, String path, List<String> missing) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectStepsWithoutId(node.get(i), path + "[" + i + "]", missing);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (STEP_KINDS.contains(e.getKey()) && e.getValue().isObject() && path.endsWith("]")
                        && !e.getValue().has("id")) {
                    missing.add(path + "." + e.getKey());
                }
                collectStepsWithoutId(e.getValue(), path + "." + e.getKey(), missing);
            });
        }
    }
}
