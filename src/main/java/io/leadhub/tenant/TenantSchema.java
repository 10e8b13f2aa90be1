package io.leadhub.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JSON Schema ({@code tenant.schema.json}, draft 2020-12) every resolved tenant file must satisfy. */
final class TenantSchema {

    /** Classpath location of the built-in copy of the schema. */
    static final String CLASSPATH_LOCATION = "/tenant.schema.json";

    /**
     * Schema definition that lets editors accept an unresolved {@code ${...}} where a boolean or enum is
     * expected; its failures are not reported (the loader validates resolved values).
     */
    static final String EDITOR_ONLY = "/$defs/placeholderOnly";

    private final JsonSchema schema;
    private final String origin;

    private TenantSchema(JsonSchema schema, String origin) {
        this.schema = schema;
        this.origin = origin;
    }

    /**
     * @param schemaFileOrNull {@code tenant.schema.json} of the mappings folder; used when it exists, else the
     *                         classpath copy
     * @return the compiled schema
     * @throws IllegalStateException when the schema cannot be read or compiled
     */
    static TenantSchema load(Path schemaFileOrNull) {
        boolean useFile = schemaFileOrNull != null && Files.isRegularFile(schemaFileOrNull);
        String origin = useFile ? schemaFileOrNull.toString() : "classpath:" + CLASSPATH_LOCATION;
        InputStream in;
        try {
            in = useFile ? Files.newInputStream(schemaFileOrNull)
                    : TenantSchema.class.getResourceAsStream(CLASSPATH_LOCATION);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tenant schema " + origin + ": " + e.getMessage(), e);
        }
        if (in == null) {
            throw new IllegalStateException("tenant schema not found: " + origin);
        }
        try (in) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().build());
            schema.initializeValidators();
            return new TenantSchema(schema, origin);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("invalid tenant schema " + origin + ": " + e.getMessage(), e);
        }
    }

    /** @return where the schema was loaded from */
    String origin() {
        return origin;
    }

    /**
     * One schema violation.
     *
     * @param path       the offending location (for unknown and missing keys: that key)
     * @param atKey      true when the position should be the key's (unknown key), false for the value's
     * @param atParent   true when the location does not exist (missing key): report at the parent's position
     * @param reason     the description
     */
    record Violation(KeyPath path, boolean atKey, boolean atParent, String reason) {
    }

    /**
     * @param tree resolved tenant tree (secrets masked)
     * @return the violations, in no particular order
     */
    List<Violation> validate(JsonNode tree) {
        List<Violation> out = new ArrayList<>();
        for (ValidationMessage m : schema.validate(tree)) {
            if (m.getSchemaLocation() != null && m.getSchemaLocation().toString().contains(EDITOR_ONLY)) {
                continue; // the placeholder alternative of an anyOf; the other alternative's message says enough
            }
            KeyPath location = path(m.getInstanceLocation());
            String type = m.getType() == null ? "" : m.getType();
            String property = m.getProperty();
            switch (type) {
                case "additionalProperties", "unevaluatedProperties" -> {
                    if (property != null) {
                        out.add(new Violation(location.child(property), true, false,
                                "unknown key '" + property + "'"));
                    } else {
                        out.add(new Violation(location, false, false, m.getError()));
                    }
                }
                case "required" -> {
                    if (property != null) {
                        out.add(new Violation(location.child(property), false, true,
                                "required key '" + property + "' is missing"));
                    } else {
                        out.add(new Violation(location, false, false, m.getError()));
                    }
                }
                case "propertyNames" -> out.add(property != null
                        ? new Violation(location.child(property), true, false, "invalid key '" + property + "': "
                                + m.getError().replaceFirst("^property '.*' name is not valid: ", ""))
                        : new Violation(location, false, false, m.getError()));
                // a key declared "false" by a type's branch, e.g. base_url of a salesforce destination
                case "false" -> out.add(new Violation(location, true, false, "key '"
                        + (location.isRoot() ? "" : location.segment(location.depth() - 1))
                        + "' is not used by this destination type"));
                default -> out.add(new Violation(location, false, false, m.getError()));
            }
        }
        return out;
    }

    private static KeyPath path(JsonNodePath p) {
        List<Object> elements = new ArrayList<>();
        if (p != null) {
            for (int i = 0; i < p.getNameCount(); i++) {
                elements.add(p.getElement(i));
            }
        }
        return KeyPath.of(elements);
    }
}
