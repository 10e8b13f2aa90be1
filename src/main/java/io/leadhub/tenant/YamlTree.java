package io.leadhub.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.mapping.ExpressionIssue;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A tenant file parsed with SnakeYAML's composer into a Jackson tree, with placeholders resolved, secrets
 * extracted (and masked in the tree) and the source position of every key and value recorded.
 *
 * <p>Scalars are typed by the YAML 1.2 core schema (so {@code NO} and {@code yes} stay strings); quoted scalars
 * are strings. After placeholder substitution, a plain scalar that consisted only of placeholders is typed by
 * its resolved text.
 */
final class YamlTree {

    /**
     * Keys whose values are secrets when they occur anywhere under {@code sources}, {@code destinations},
     * {@code workflow} or {@code ai}.
     */
    static final Set<String> SECRET_KEYS = Set.of("signing_key", "token", "auth_token", "api_key", "api_token",
            "secret", "client_secret", "password", "webhook_secret", "refresh_token", "keystore_password",
            "slack_webhook_url");

    /** Top-level keys under which {@link #SECRET_KEYS} are secrets. */
    static final Set<String> SECRET_SECTIONS = Set.of("sources", "destinations", "workflow", "ai");

    /** Destination keys holding expressions; keys inside them are CRM property names, not secret keys. */
    static final Set<String> MAPPING_SECTIONS =
            Set.of("field_mappings", "custom_properties", "conditional", "computed");

    /** Text standing in for a secret in the validated tree. */
    static final String MASK = "****";

    /** Top-level key whose list items are secrets (the tenant's API keys). */
    static final String API_KEYS = "api_keys";

    static final String LITERAL_SECRET = "secret must be a ${ENV_VAR} placeholder, not a literal";

    private static final Pattern CORE_NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern CORE_BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern CORE_INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern CORE_OCT = Pattern.compile("0o[0-7]+");
    private static final Pattern CORE_HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern CORE_FLOAT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern CORE_INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern CORE_NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private static final Resolver RESOLVER = new Resolver();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A 1-based source position, (0, 0) when unknown.
     *
     * @param line   1-based line
     * @param column 1-based column
     */
    record Position(int line, int column) {
        static final Position UNKNOWN = new Position(0, 0);
        static final Position START = new Position(1, 1);

        static Position of(Mark mark) {
            return mark == null ? UNKNOWN : new Position(mark.getLine() + 1, mark.getColumn() + 1);
        }
    }

    /** How a scalar was written, to map positions inside it. */
    private record ScalarSource(DumperOptions.ScalarStyle style, boolean substituted, int[] raw, int indent) {
    }

    private record NodeInfo(Position start, ScalarSource scalar) {
    }

    private final JsonNode root;
    private final Map<KeyPath, NodeInfo> values;
    private final Map<KeyPath, Position> keys;
    private final Map<KeyPath, Secret> secrets;

    private YamlTree(JsonNode root, Map<KeyPath, NodeInfo> values, Map<KeyPath, Position> keys,
                     Map<KeyPath, Secret> secrets) {
        this.root = root;
        this.values = values;
        this.keys = keys;
        this.secrets = secrets;
    }

    /** @return the resolved tree; secrets appear as {@link #MASK} */
    JsonNode root() {
        return root;
    }

    /** @return the resolved secrets by location (unmodifiable) */
    Map<KeyPath, Secret> secrets() {
        return secrets;
    }

    /**
     * @param path a location
     * @return where its value starts, or that of the nearest ancestor with a known position
     */
    Position valuePosition(KeyPath path) {
        KeyPath p = path;
        while (true) {
            NodeInfo info = values.get(p);
            if (info != null) {
                return info.start();
            }
            if (p.isRoot()) {
                return Position.START;
            }
            p = p.parent();
        }
    }

    /**
     * @param path a location
     * @return where its key is written, else {@link #valuePosition(KeyPath)}
     */
    Position keyPosition(KeyPath path) {
        Position key = keys.get(path);
        return key != null ? key : valuePosition(path);
    }

    /**
     * Maps a position inside an expression to the file: exact for single-line plain and quoted scalars and for
     * literal ({@code |}) blocks written without placeholders, else the scalar's start.
     *
     * @param path  the expression's location
     * @param issue the problem, with a position relative to the expression text
     * @return the file position
     */
    Position expressionPosition(KeyPath path, ExpressionIssue issue) {
        NodeInfo info = values.get(path);
        if (info == null) {
            return valuePosition(path);
        }
        Position start = info.start();
        ScalarSource s = info.scalar();
        if (s == null || s.substituted() || issue.line() <= 0 || issue.column() <= 0) {
            return start;
        }
        int target = issue.column() - 1;
        switch (s.style()) {
            case PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED -> {
                if (issue.line() != 1 || s.raw() == null) {
                    return start;
                }
                int offset = rawOffset(s.raw(), s.style(), target);
                return offset < 0 ? start : new Position(start.line(), start.column() + offset);
            }
            case LITERAL -> {
                return s.indent() < 0 ? start : new Position(start.line() + issue.line(), s.indent() + target + 1);
            }
            default -> {
                return start;
            }
        }
    }

    /** Offset (code points) in the raw single-line scalar text of the value's code point {@code target}. */
    private static int rawOffset(int[] raw, DumperOptions.ScalarStyle style, int target) {
        if (style == DumperOptions.ScalarStyle.PLAIN) {
            return target <= raw.length ? target : -1;
        }
        int i = 1;
        int valueIndex = 0;
        while (valueIndex < target) {
            if (i >= raw.length - 1) {
                return -1;
            }
            if (style == DumperOptions.ScalarStyle.SINGLE_QUOTED) {
                i += raw[i] == '\'' && i + 1 < raw.length && raw[i + 1] == '\'' ? 2 : 1;
            } else if (raw[i] == '\\' && i + 1 < raw.length) {
                i += switch (raw[i + 1]) {
                    case 'x' -> 4;
                    case 'u' -> 6;
                    case 'U' -> 10;
                    default -> 2;
                };
            } else {
                i++;
            }
            valueIndex++;
        }
        return i;
    }

    /**
     * Parses a tenant file's text.
     *
     * @param text     the file content
     * @param resolver placeholder variable resolver (null = unset)
     * @param problems receives every problem found
     * @return the tree, or null when the text is not a YAML mapping (problems hold why)
     */
    static YamlTree parse(String text, Function<String, String> resolver, Problems problems) {
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setMergeOnCompose(true);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(64);
        options.setAllowRecursiveKeys(false);
        Node rootNode;
        try {
            rootNode = new Yaml(options).compose(new StringReader(content));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String reason = e.getProblem() != null ? e.getProblem() : "syntax error";
            if (e.getContext() != null) {
                reason = e.getContext() + ": " + reason;
            }
            problems.addFileProblem(Position.of(mark), "invalid YAML: " + reason);
            return null;
        } catch (YAMLException e) {
            problems.addFileProblem(Position.UNKNOWN, "invalid YAML: " + e.getClass().getSimpleName());
            return null;
        }
        if (rootNode == null) {
            problems.addFileProblem(Position.START, "the file is empty (expected a mapping with tenant: ...)");
            return null;
        }
        if (!(rootNode instanceof MappingNode)) {
            problems.addFileProblem(Position.of(rootNode.getStartMark()),
                    "the top level must be a mapping (tenant: ..., destinations: ...)");
            return null;
        }
        Builder builder = new Builder(content.codePoints().toArray(), content.split("\r\n|\r|\n", -1), resolver,
                problems);
        JsonNode tree = builder.convert(rootNode, KeyPath.ROOT, false);
        return new YamlTree(tree, Collections.unmodifiableMap(builder.values),
                Collections.unmodifiableMap(builder.keys),
                Collections.unmodifiableMap(builder.secrets));
    }

    /**
     * Types a plain scalar by the YAML 1.2 core schema.
     *
     * @param text the scalar text
     * @return null, boolean, integer, float or string node
     */
    static JsonNode coreScalar(String text) {
        if (CORE_NULL.matcher(text).matches()) {
            return NODES.nullNode();
        }
        if (CORE_BOOL.matcher(text).matches()) {
            return NODES.booleanNode(text.charAt(0) == 't' || text.charAt(0) == 'T');
        }
        if (CORE_INT.matcher(text).matches()) {
            return integer(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
        }
        if (CORE_OCT.matcher(text).matches()) {
            return integer(new BigInteger(text.substring(2), 8));
        }
        if (CORE_HEX.matcher(text).matches()) {
            return integer(new BigInteger(text.substring(2), 16));
        }
        if (CORE_FLOAT.matcher(text).matches()) {
            return NODES.numberNode(Double.parseDouble(text));
        }
        if (CORE_INF.matcher(text).matches()) {
            return NODES.numberNode(text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (CORE_NAN.matcher(text).matches()) {
            return NODES.numberNode(Double.NaN);
        }
        return NODES.textNode(text);
    }

    private static JsonNode integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return NODES.numberNode(value.intValue());
        }
        if (value.bitLength() < 64) {
            return NODES.numberNode(value.longValue());
        }
        return NODES.numberNode(value);
    }

    /** Walks the composed YAML nodes. */
    private static final class Builder {
        private final int[] codePoints;
        private final String[] lines;
        private final Function<String, String> resolver;
        private final Problems problems;
        private final Map<KeyPath, NodeInfo> values = new HashMap<>();
        private final Map<KeyPath, Position> keys = new HashMap<>();
        private final Map<KeyPath, Secret> secrets = new HashMap<>();
        private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();

        Builder(int[] codePoints, String[] lines, Function<String, String> resolver, Problems problems) {
            this.codePoints = codePoints;
            this.lines = lines;
            this.resolver = resolver;
            this.problems = problems;
        }

        JsonNode convert(Node node, KeyPath path, boolean secretScope) {
            if (inProgress.containsKey(node)) {
                problems.add(path, Position.of(node.getStartMark()), "recursive YAML alias");
                return NODES.nullNode();
            }
            inProgress.put(node, Boolean.TRUE);
            try {
                if (node instanceof MappingNode mapping) {
                    values.put(path, new NodeInfo(Position.of(node.getStartMark()), null));
                    return mapping(mapping, path, secretScope);
                }
                if (node instanceof SequenceNode sequence) {
                    values.put(path, new NodeInfo(Position.of(node.getStartMark()), null));
                    ArrayNode array = NODES.arrayNode();
                    int i = 0;
                    for (Node item : sequence.getValue()) {
                        array.add(convert(item, path.index(i++), secretScope));
                    }
                    return array;
                }
                return scalar((ScalarNode) node, path);
            } finally {
                inProgress.remove(node);
            }
        }

        private JsonNode mapping(MappingNode mapping, KeyPath path, boolean secretScope) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                Position keyPosition = Position.of(keyNode.getStartMark());
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    problems.add(path, keyPosition, "mapping keys must be strings");
                    continue;
                }
                String key = scalarKey.getValue();
                KeyPath child = path.child(key);
                Position first = keys.get(child);
                if (first != null && object.has(key)) {
                    problems.add(child, keyPosition, "duplicate key '" + key + "' (first defined at line "
                            + first.line() + ")");
                    continue;
                }
                keys.put(child, keyPosition);
                boolean childScope = (secretScope
                        || path.isRoot() && SECRET_SECTIONS.contains(key))
                        && !isMappingSection(path, key);
                JsonNode value = secretScope && SECRET_KEYS.contains(key)
                        ? secret(tuple.getValueNode(), child)
                        : path.isRoot() && API_KEYS.equals(key) && tuple.getValueNode() instanceof SequenceNode keyList
                        ? secretList(keyList, child)
                        : convert(tuple.getValueNode(), child, childScope);
                object.set(key, value);
            }
            return object;
        }

        /** Top-level {@code api_keys}: every item is a secret placeholder. */
        private JsonNode secretList(SequenceNode sequence, KeyPath path) {
            values.put(path, new NodeInfo(Position.of(sequence.getStartMark()), null));
            ArrayNode array = NODES.arrayNode();
            int i = 0;
            for (Node item : sequence.getValue()) {
                array.add(secret(item, path.index(i++)));
            }
            return array;
        }

        /** CEL sections of a destination hold CRM property names as keys, never secrets. */
        private static boolean isMappingSection(KeyPath path, String key) {
            return path.depth() == 2 && "destinations".equals(path.segment(0)) && MAPPING_SECTIONS.contains(key);
        }

        private JsonNode secret(Node node, KeyPath path) {
            Position position = Position.of(node.getStartMark());
            values.put(path, new NodeInfo(position, null));
            Matcher m = node instanceof ScalarNode scalar ? Placeholders.secret(scalar.getValue()) : null;
            if (m == null) {
                problems.add(path, position, LITERAL_SECRET);
                return NODES.textNode(MASK);
            }
            String name = m.group(1);
            boolean optional = m.group(2) != null;
            String value;
            try {
                value = resolver.apply(name);
            } catch (RuntimeException e) {
                problems.add(path, position, "cannot resolve environment variable " + name + " ("
                        + e.getClass().getSimpleName() + ")");
                return NODES.textNode(MASK);
            }
            if (value == null && !optional) {
                problems.add(path, position, "environment variable " + name + " is not set (use ${" + name
                        + ":} for an optional secret)");
                return NODES.textNode(MASK);
            }
            secrets.put(path, Secret.of(value));
            return NODES.textNode(MASK);
        }

        private JsonNode scalar(ScalarNode node, KeyPath path) {
            String raw = node.getValue();
            Position start = Position.of(node.getStartMark());
            boolean plain = node.isPlain();
            Tag implicit = plain ? RESOLVER.resolve(NodeId.scalar, raw, true) : Tag.STR;
            boolean explicitTag = !node.getTag().equals(implicit);
            Placeholders.Result resolved = Placeholders.resolve(raw, resolver);
            for (String problem : resolved.problems()) {
                problems.add(path, start, problem);
            }
            values.put(path, new NodeInfo(start, source(node, resolved.hadPlaceholders())));
            String value = resolved.value();
            if (explicitTag && Tag.STR.equals(node.getTag())) {
                return NODES.textNode(value);
            }
            if (!plain && !explicitTag) {
                return NODES.textNode(value);
            }
            if (resolved.hadPlaceholders() && !resolved.onlyPlaceholders()) {
                return NODES.textNode(value);
            }
            return coreScalar(value);
        }

        private ScalarSource source(ScalarNode node, boolean substituted) {
            Mark start = node.getStartMark();
            Mark end = node.getEndMark();
            DumperOptions.ScalarStyle style = node.getScalarStyle();
            int[] raw = null;
            int indent = -1;
            if (start != null && end != null) {
                if (start.getLine() == end.getLine() && start.getIndex() <= end.getIndex()
                        && end.getIndex() <= codePoints.length) {
                    raw = java.util.Arrays.copyOfRange(codePoints, start.getIndex(), end.getIndex());
                }
                if (style == DumperOptions.ScalarStyle.LITERAL) {
                    indent = blockIndent(start.getLine() + 1);
                }
            }
            return new ScalarSource(style, substituted, raw, indent);
        }

        /** @return indentation of the first non-blank line at or after the 0-based {@code line}, or -1 */
        private int blockIndent(int line) {
            for (int i = line; i < lines.length; i++) {
                String l = lines[i];
                if (!l.isBlank()) {
                    int n = 0;
                    while (n < l.length() && l.charAt(n) == ' ') {
                        n++;
                    }
                    return n;
                }
            }
            return -1;
        }
    }
}
