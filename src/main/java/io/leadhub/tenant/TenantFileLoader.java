package io.leadhub.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadhub.mapping.CompiledExpression;
import io.leadhub.mapping.ExpressionCompileException;
import io.leadhub.mapping.ExpressionEnvironment;
import io.leadhub.mapping.ExpressionIssue;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.mapping.PropertyType;
import io.leadhub.mapping.WorkflowTrigger;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads and validates one tenant file ({@code mappings/<tenant>.yaml}) into a {@link TenantConfig}.
 *
 * <p>Steps: parse the YAML (SnakeYAML composer, keeping every key's and value's line/column; duplicate keys are
 * errors), resolve {@code ${NAME}}/{@code ${NAME:default}} placeholders, extract secrets, validate the resolved
 * tree against {@code tenant.schema.json}, check the rules the schema cannot express (tenant = file name, unique
 * destination ids, unique CRM properties, lookup names, conditional lists), and compile every CEL expression
 * once. Every problem found is reported together in one {@link TenantConfigException}; nothing is returned
 * partially. Thread-safe.
 */
public final class TenantFileLoader {

    /**
     * Default {@code base_url} per destination type. Types without an entry: {@code zoho} (the access token's
     * {@code api_domain}) and {@code dynamics} (required: the environment URL).
     */
    static final Map<String, String> DEFAULT_BASE_URLS = Map.of("hubspot", "https://api.hubapi.com",
            "pipedrive", "https://api.pipedrive.com", "monday", "https://api.monday.com");

    /**
     * Connector settings that are CEL expressions, per destination type, with the result they must have: compiled
     * at load like the mapping sections (errors name file, key, line and column) and handed to the connector as
     * {@link CompiledExpression} values of {@link DestinationConfig#settings()}.
     */
    static final Map<String, Map<String, ExpressionEnvironment.Expect>> EXPRESSION_SETTINGS = Map.of(
            "hubspot", Map.of("deal_when", ExpressionEnvironment.Expect.BOOL,
                    "deal_name", ExpressionEnvironment.Expect.ANY));

    /** Destination keys mapped to {@link DestinationConfig} fields; every other key goes to its settings. */
    private static final Set<String> DESTINATION_KEYS = Set.of("id", "type", "enabled", "base_url", "token",
            "dry_run", "duplicate_detection", "field_mappings", "custom_properties", "conditional", "computed");

    private static final Set<String> ISO_REGIONS =
            Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));

    private final Function<String, String> placeholderResolver;
    private final String defaultRegion;
    private final Clock clock;
    private final TenantSchema schema;
    private final TenantLlmSettings.GlobalDefaults llmDefaults;

    /**
     * @param placeholderResolver variable name → value, null when unset (in the app: Spring
     *                            {@code Environment::getProperty}, so environment variables and system properties
     *                            both work)
     * @param defaultRegion       ISO 3166-1 alpha-2 region for tenants without {@code default_region}
     *                            ({@code leadhub.phone.default-region})
     * @param clock               clock of {@code today()}/{@code now()} in expressions and of
     *                            {@link TenantConfig#loadedAt()}
     * @param schemaFileOrNull    {@code tenant.schema.json} to validate against when that file exists; otherwise (or
     *                            when null) the copy on the classpath
     * @throws IllegalStateException when the schema cannot be read or is not a valid JSON Schema
     */
    public TenantFileLoader(Function<String, String> placeholderResolver, String defaultRegion, Clock clock,
                            Path schemaFileOrNull) {
        this(placeholderResolver, defaultRegion, clock, schemaFileOrNull, null);
    }

    /**
     * A loader that knows the global LLM settings, so that {@code ai.llm.enabled: true} without {@code base_url} or
     * {@code model} in the file is accepted when the global settings provide them.
     *
     * @param placeholderResolver variable name → value, null when unset
     * @param defaultRegion       ISO 3166-1 alpha-2 region for tenants without {@code default_region}
     * @param clock               clock of expressions and of {@link TenantConfig#loadedAt()}
     * @param schemaFileOrNull    {@code tenant.schema.json} to validate against when that file exists, else the
     *                            classpath copy
     * @param llmDefaults         the global {@code leadhub.ai.llm.base-url} and {@code model}; null when unknown, and
     *                            then a tenant that enables the LLM must name both itself
     * @throws IllegalStateException when the schema cannot be read or is not a valid JSON Schema
     */
    public TenantFileLoader(Function<String, String> placeholderResolver, String defaultRegion, Clock clock,
                            Path schemaFileOrNull, TenantLlmSettings.GlobalDefaults llmDefaults) {
        this.placeholderResolver = Objects.requireNonNull(placeholderResolver, "placeholderResolver");
        this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schema = TenantSchema.load(schemaFileOrNull);
        this.llmDefaults = llmDefaults;
    }

    /** @return where the schema the files are validated against was loaded from (file path or classpath) */
    public String schemaOrigin() {
        return schema.origin();
    }

    /**
     * Loads one tenant file.
     *
     * @param file path of {@code <tenant>.yaml}
     * @return the validated configuration with every expression compiled
     * @throws TenantConfigException listing every problem of the file, each as
     *                               {@code <file>:<line>:<column>: <key>: <reason>}
     */
    public TenantConfig load(Path file) {
        return loadWithFingerprint(file).config();
    }

    /**
     * A loaded tenant and a digest of everything it was built from (resolved tree and secret values), used to
     * tell whether a reload changed anything.
     *
     * @param config      the configuration
     * @param fingerprint SHA-256 hex digest
     */
    record Loaded(TenantConfig config, String fingerprint) {
    }

    Loaded loadWithFingerprint(Path file) {
        Objects.requireNonNull(file, "file");
        Problems problems = new Problems(file);
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TenantConfigException(file, TenantConfigError.FILE_KEY, 0, 0, "the file is not UTF-8 text");
        } catch (IOException e) {
            throw new TenantConfigException(file, TenantConfigError.FILE_KEY, 0, 0, "cannot read the file ("
                    + e.getClass().getSimpleName() + ")");
        }
        YamlTree tree = YamlTree.parse(text, placeholderResolver, problems);
        if (tree == null) {
            problems.throwIfAny();
            throw new IllegalStateException("YAML parse failed without a recorded problem");
        }
        for (TenantSchema.Violation v : schema.validate(tree.root())) {
            if (problems.covers(v.path())) {
                continue; // already reported, e.g. an unresolved placeholder
            }
            YamlTree.Position position = v.atKey() ? tree.keyPosition(v.path())
                    : v.atParent() ? tree.valuePosition(v.path().parent()) : tree.valuePosition(v.path());
            problems.add(v.path(), position, v.reason());
        }
        problems.throwIfAny();
        TenantConfig config = new Build(file, tree, problems).build();
        problems.throwIfAny();
        return new Loaded(config, fingerprint(tree));
    }

    private static String fingerprint(YamlTree tree) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(tree.root().toString().getBytes(StandardCharsets.UTF_8));
            Map<String, String> sorted = new TreeMap<>();
            tree.secrets().forEach((path, secret) -> sorted.put(path.dotted(), secret.reveal()));
            sorted.forEach((path, value) -> {
                digest.update((byte) 0);
                digest.update(path.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Semantic checks and construction of one validated tree. */
    private final class Build {
        private final Path file;
        private final YamlTree tree;
        private final Problems problems;
        private final JsonNode root;

        Build(Path file, YamlTree tree, Problems problems) {
            this.file = file;
            this.tree = tree;
            this.problems = problems;
            this.root = tree.root();
        }

        private void problem(KeyPath path, String reason) {
            problems.add(path, tree.valuePosition(path), reason);
        }

        private void keyProblem(KeyPath path, String reason) {
            problems.add(path, tree.keyPosition(path), reason);
        }

        TenantConfig build() {
            KeyPath tenantPath = KeyPath.ROOT.child("tenant");
            String tenant = root.path("tenant").asText();
            String stem = stem(file);
            if (!tenant.equals(stem)) {
                problem(tenantPath, "tenant '" + tenant + "' must equal the file name without .yaml ('" + stem + "')");
            }

            String region = defaultRegion;
            if (root.hasNonNull("default_region")) {
                region = root.get("default_region").asText();
                if (!ISO_REGIONS.contains(region)) {
                    problem(KeyPath.ROOT.child("default_region"),
                            "'" + region + "' is not an ISO 3166-1 alpha-2 region code");
                }
            }

            ZoneId zone = ZoneOffset.UTC;
            if (root.hasNonNull("timezone")) {
                String id = root.get("timezone").asText();
                try {
                    zone = ZoneId.of(id);
                } catch (DateTimeException e) {
                    problem(KeyPath.ROOT.child("timezone"),
                            "'" + id + "' is not a time zone (use an IANA id such as America/New_York)");
                }
            }

            Map<String, Map<String, Object>> lookups = lookups();
            ExpressionEnvironment env = ExpressionEnvironment.create(lookups, zone, clock);
            Map<String, Map<String, Object>> sources = sources();
            List<DestinationConfig> destinations = destinations(env, zone);
            List<WorkflowTrigger> triggers = triggers(env);
            TenantLlmSettings llm = llm();
            if (!problems.isEmpty()) {
                return null;
            }
            List<Secret> apiKeys = new ArrayList<>();
            for (int i = 0; i < root.path(YamlTree.API_KEYS).size(); i++) {
                Secret key = tree.secrets().get(KeyPath.ROOT.child(YamlTree.API_KEYS).index(i));
                if (key != null) {
                    apiKeys.add(key);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> workflow = root.has("workflow")
                    ? (Map<String, Object>) toJava(root.get("workflow"), KeyPath.ROOT.child("workflow")) : Map.of();
            return new TenantConfig(tenant, file, region, zone, sources, lookups, destinations, triggers,
                    clock.instant(), apiKeys, workflow, llm);
        }

        /**
         * The {@code ai.llm} block (its types and ranges are checked by the schema); null when absent. Checks that
         * the base URL is an absolute http(s) URL and that a tenant enabling the LLM has a base URL and a model,
         * from the file or from the global settings.
         */
        private TenantLlmSettings llm() {
            JsonNode node = root.path("ai").path("llm");
            if (!node.isObject()) {
                return null;
            }
            KeyPath base = KeyPath.ROOT.child("ai").child("llm");
            Boolean enabled = node.hasNonNull("enabled") ? node.get("enabled").booleanValue() : null;
            String baseUrl = node.hasNonNull("base_url") ? node.get("base_url").asText() : null;
            if (baseUrl != null) {
                try {
                    URI uri = new URI(baseUrl);
                    if (uri.getHost() == null
                            || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                        problem(base.child("base_url"), "base_url must be an absolute http(s) URL with a host");
                    }
                } catch (URISyntaxException e) {
                    problem(base.child("base_url"), "base_url is not a valid URL: " + e.getReason());
                }
            }
            String model = node.hasNonNull("model") ? node.get("model").asText() : null;
            Secret apiKey = node.has("api_key") ? tree.secrets().get(base.child("api_key")) : null;
            Long timeoutMs = node.hasNonNull("timeout_ms") ? node.get("timeout_ms").longValue() : null;
            String responseFormat = node.hasNonNull("response_format") ? node.get("response_format").asText() : null;
            Double promptPrice = node.hasNonNull("prompt_price_per_1k")
                    ? node.get("prompt_price_per_1k").doubleValue() : null;
            Double completionPrice = node.hasNonNull("completion_price_per_1k")
                    ? node.get("completion_price_per_1k").doubleValue() : null;
            if (Boolean.TRUE.equals(enabled)) {
                List<String> missing = new ArrayList<>();
                if (baseUrl == null && (llmDefaults == null || isBlank(llmDefaults.baseUrl()))) {
                    missing.add("base_url");
                }
                if (model == null && (llmDefaults == null || isBlank(llmDefaults.model()))) {
                    missing.add("model");
                }
                if (!missing.isEmpty()) {
                    problem(base.child("enabled"), "enabled: true needs " + String.join(" and ", missing)
                            + " in ai.llm, because the global leadhub.ai.llm." + String.join("/", missing.stream()
                            .map(k -> k.replace('_', '-')).toList()) + " is not set");
                }
            }
            return new TenantLlmSettings(enabled, baseUrl, model, apiKey, timeoutMs, responseFormat, promptPrice,
                    completionPrice);
        }

        private static boolean isBlank(String value) {
            return value == null || value.isBlank();
        }

        private Map<String, Map<String, Object>> lookups() {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            JsonNode node = root.path("lookups");
            KeyPath base = KeyPath.ROOT.child("lookups");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                KeyPath path = base.child(name);
                if (ExpressionEnvironment.RESERVED_NAMES.contains(name)) {
                    keyProblem(path, "lookup name '" + name + "' clashes with the built-in CEL name '" + name
                            + "' (reserved: lead, call, ai, now, today, addDays, math)");
                    continue;
                }
                if (ExpressionEnvironment.CEL_KEYWORDS.contains(name)) {
                    keyProblem(path, "lookup name '" + name + "' is a CEL keyword");
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> table = (Map<String, Object>) toJava(entry.getValue(), path);
                out.put(name, table);
            }
            return out;
        }

        private Map<String, Map<String, Object>> sources() {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            KeyPath base = KeyPath.ROOT.child("sources");
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("sources").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                @SuppressWarnings("unchecked")
                Map<String, Object> settings =
                        (Map<String, Object>) toJava(entry.getValue(), base.child(entry.getKey()));
                out.put(entry.getKey(), settings);
            }
            return out;
        }

        private List<DestinationConfig> destinations(ExpressionEnvironment env, ZoneId zone) {
            List<DestinationConfig> out = new ArrayList<>();
            Map<String, KeyPath> ids = new HashMap<>();
            JsonNode list = root.path("destinations");
            for (int i = 0; i < list.size(); i++) {
                JsonNode d = list.get(i);
                KeyPath path = KeyPath.ROOT.child("destinations").index(i);
                String id = d.path("id").asText();
                String type = d.path("type").asText();
                KeyPath first = ids.putIfAbsent(id, path);
                if (first != null) {
                    problem(path.child("id"), "duplicate destination id '" + id + "' (also used by "
                            + first.dotted() + ")");
                }
                boolean enabled = !d.hasNonNull("enabled") || d.get("enabled").asBoolean(true);
                if (d.hasNonNull("enabled") && !d.get("enabled").isBoolean()) {
                    problem(path.child("enabled"), "enabled must be true or false");
                }
                if (d.hasNonNull("dry_run") && !d.get("dry_run").isBoolean()
                        && !"auto".equals(d.get("dry_run").asText())) {
                    problem(path.child("dry_run"), "dry_run must be true, false or auto");
                }
                URI baseUrl = baseUrl(d, type, path.child("base_url"));
                Secret token = tree.secrets().getOrDefault(path.child("token"), Secret.empty());
                DryRun dryRun = dryRun(d.get("dry_run"));
                DuplicateDetection duplicates = duplicateDetection(d.get("duplicate_detection"));
                LeadMapping mapping = mapping(env, zone, d, path);
                Map<String, Object> settings = new LinkedHashMap<>();
                Map<String, ExpressionEnvironment.Expect> expressions = EXPRESSION_SETTINGS.getOrDefault(type, Map.of());
                for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    if (expressions.containsKey(entry.getKey())) {
                        CompiledExpression expression = compile(env, path.child(entry.getKey()), entry.getValue(),
                                expressions.get(entry.getKey()));
                        if (expression != null) {
                            settings.put(entry.getKey(), expression);
                        }
                    } else if (!DESTINATION_KEYS.contains(entry.getKey())) {
                        Object value = toJava(entry.getValue(), path.child(entry.getKey()));
                        if (value != null) {
                            settings.put(entry.getKey(), value);
                        }
                    }
                }
                out.add(new DestinationConfig(id, type, enabled, baseUrl, token, dryRun, duplicates, mapping,
                        settings));
            }
            return out;
        }

        private URI baseUrl(JsonNode destination, String type, KeyPath path) {
            String text = destination.hasNonNull("base_url") ? destination.get("base_url").asText()
                    : DEFAULT_BASE_URLS.get(type);
            if (text == null) {
                return null;
            }
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    problem(path, "base_url must be an absolute http(s) URL with a host");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(path, "base_url is not a valid URL: " + e.getReason());
                return null;
            }
        }

        private DryRun dryRun(JsonNode node) {
            if (node == null || node.isNull()) {
                return DryRun.OFF;
            }
            if (node.isBoolean()) {
                return node.booleanValue() ? DryRun.ON : DryRun.OFF;
            }
            return DryRun.AUTO; // the schema allows only true, false and "auto"
        }

        private DuplicateDetection duplicateDetection(JsonNode node) {
            if (node == null || node.isNull()) {
                return DuplicateDetection.DEFAULT;
            }
            List<String> fields = new ArrayList<>();
            node.path("match_fields").forEach(f -> fields.add(f.asText()));
            if (fields.isEmpty()) {
                fields.addAll(DuplicateDetection.DEFAULT.matchFields());
            }
            DuplicateAction action = node.hasNonNull("action")
                    ? DuplicateAction.fromConfig(node.get("action").asText())
                    : DuplicateDetection.DEFAULT.action();
            return new DuplicateDetection(fields, action);
        }

        private LeadMapping mapping(ExpressionEnvironment env, ZoneId zone, JsonNode d, KeyPath path) {
            LeadMapping.Builder builder = LeadMapping.builder(zone);
            Map<String, KeyPath> defined = new HashMap<>();

            KeyPath fieldsPath = path.child("field_mappings");
            for (Iterator<Map.Entry<String, JsonNode>> it = d.path("field_mappings").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                KeyPath p = fieldsPath.child(entry.getKey());
                CompiledExpression expr = compile(env, p, entry.getValue(), ExpressionEnvironment.Expect.ANY);
                if (claim(defined, entry.getKey(), p, true) && expr != null) {
                    builder.fieldMapping(entry.getKey(), expr);
                }
            }

            JsonNode customs = d.path("custom_properties");
            for (int j = 0; j < customs.size(); j++) {
                JsonNode c = customs.get(j);
                KeyPath p = path.child("custom_properties").index(j);
                String name = c.path("name").asText();
                CompiledExpression expr = compile(env, p.child("value"), c.get("value"),
                        ExpressionEnvironment.Expect.ANY);
                PropertyType type = PropertyType.fromConfig(c.hasNonNull("type") ? c.get("type").asText() : null);
                if (claim(defined, name, p.child("name"), false) && expr != null) {
                    builder.customProperty(name, expr, type);
                }
            }

            KeyPath conditionalPath = path.child("conditional");
            for (Iterator<Map.Entry<String, JsonNode>> it = d.path("conditional").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                KeyPath listPath = conditionalPath.child(name);
                JsonNode entries = entry.getValue();
                List<LeadMapping.Branch> branches = new ArrayList<>();
                CompiledExpression otherwise = null;
                boolean ok = true;
                for (int k = 0; k < entries.size(); k++) {
                    JsonNode e = entries.get(k);
                    KeyPath entryPath = listPath.index(k);
                    boolean last = k == entries.size() - 1;
                    if (e.has("default")) {
                        if (e.has("if") || e.has("then")) {
                            problem(entryPath, "an entry has either if/then or default, not both");
                            ok = false;
                        }
                        if (!last) {
                            problem(entryPath.child("default"), "default must be the last entry of the list");
                            ok = false;
                        }
                        CompiledExpression expr = compile(env, entryPath.child("default"), e.get("default"),
                                ExpressionEnvironment.Expect.ANY);
                        if (last) {
                            otherwise = expr;
                        }
                        ok &= expr != null;
                    } else {
                        CompiledExpression condition = compile(env, entryPath.child("if"), e.get("if"),
                                ExpressionEnvironment.Expect.BOOL);
                        CompiledExpression then = compile(env, entryPath.child("then"), e.get("then"),
                                ExpressionEnvironment.Expect.ANY);
                        if (last) {
                            problem(entryPath, "the last entry of a conditional list must be {default: <expression>}");
                            ok = false;
                        }
                        if (condition != null && then != null) {
                            branches.add(new LeadMapping.Branch(condition, then));
                        } else {
                            ok = false;
                        }
                    }
                }
                if (claim(defined, name, listPath, true) && ok && otherwise != null) {
                    builder.conditional(name, branches, otherwise);
                }
            }

            KeyPath computedPath = path.child("computed");
            for (Iterator<Map.Entry<String, JsonNode>> it = d.path("computed").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                KeyPath p = computedPath.child(entry.getKey());
                CompiledExpression expr = compile(env, p, entry.getValue(), ExpressionEnvironment.Expect.ANY);
                if (claim(defined, entry.getKey(), p, true) && expr != null) {
                    builder.computed(entry.getKey(), expr);
                }
            }
            return builder.build();
        }

        /** @return false (and a problem) when the CRM property is already defined in this destination */
        private boolean claim(Map<String, KeyPath> defined, String property, KeyPath path, boolean atKey) {
            KeyPath first = defined.putIfAbsent(property, path);
            if (first == null) {
                return true;
            }
            String reason = "CRM property '" + property + "' is defined twice (also at " + first.dotted() + ")";
            if (atKey) {
                keyProblem(path, reason);
            } else {
                problem(path, reason);
            }
            return false;
        }

        private List<WorkflowTrigger> triggers(ExpressionEnvironment env) {
            List<WorkflowTrigger> out = new ArrayList<>();
            Map<String, KeyPath> names = new HashMap<>();
            JsonNode list = root.path("workflow_triggers");
            for (int i = 0; i < list.size(); i++) {
                JsonNode t = list.get(i);
                KeyPath path = KeyPath.ROOT.child("workflow_triggers").index(i);
                String name = t.path("name").asText();
                KeyPath first = names.putIfAbsent(name, path);
                if (first != null) {
                    problem(path.child("name"), "duplicate workflow trigger name '" + name + "' (also used by "
                            + first.dotted() + ")");
                }
                CompiledExpression when = compile(env, path.child("when"), t.get("when"),
                        ExpressionEnvironment.Expect.BOOL);
                List<String> actions = new ArrayList<>();
                t.path("actions").forEach(a -> actions.add(a.asText()));
                @SuppressWarnings("unchecked")
                Map<String, Object> params = t.has("params")
                        ? (Map<String, Object>) toJava(t.get("params"), path.child("params")) : Map.of();
                List<WorkflowTrigger.OwnerRule> rules = new ArrayList<>();
                JsonNode ruleList = t.path("params").path("rules");
                for (int r = 0; r < ruleList.size(); r++) {
                    KeyPath rulePath = path.child("params").child("rules").index(r);
                    CompiledExpression condition = compile(env, rulePath.child("if"), ruleList.get(r).get("if"),
                            ExpressionEnvironment.Expect.BOOL);
                    if (condition != null) {
                        rules.add(new WorkflowTrigger.OwnerRule(condition, ruleList.get(r).path("owner").asText()));
                    }
                }
                if (when != null) {
                    out.add(new WorkflowTrigger(name, when, actions, params, rules));
                }
            }
            return out;
        }

        private CompiledExpression compile(ExpressionEnvironment env, KeyPath path, JsonNode node,
                                           ExpressionEnvironment.Expect expect) {
            if (node == null || node.isNull() || node.isContainerNode()) {
                problem(path, "expected a CEL expression");
                return null;
            }
            try {
                return env.compile(path.dotted(), node.asText(), expect);
            } catch (ExpressionCompileException e) {
                for (ExpressionIssue issue : e.issues()) {
                    problems.add(path, tree.expressionPosition(path, issue), issue.message());
                }
                return null;
            }
        }

        /** Converts a validated subtree to plain Java, secrets as {@link Secret}; collections are unmodifiable. */
        private Object toJava(JsonNode node, KeyPath path) {
            Secret secret = tree.secrets().get(path);
            if (secret != null) {
                return secret;
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue(), path.child(e.getKey()))));
                return Collections.unmodifiableMap(map);
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    list.add(toJava(node.get(i), path.index(i)));
                }
                return Collections.unmodifiableList(list);
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isIntegralNumber()) {
                return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
            }
            if (node.isNumber()) {
                return node.doubleValue();
            }
            return node.asText();
        }
    }

    /**
     * @param file a tenant file
     * @return its name without {@code .yaml}
     */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") ? name.substring(0, name.length() - ".yaml".length()) : name;
    }
}
