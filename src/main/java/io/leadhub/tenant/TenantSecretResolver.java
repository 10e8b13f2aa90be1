package io.leadhub.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Resolves the placeholders of tenant files ({@code ${NAME}} and references), used by {@link TenantRegistry}:
 *
 * <ul>
 *   <li>{@code ${NAME}}: the Spring {@link Environment} (environment variables, system properties, application
 *       properties);</li>
 *   <li>{@code ${file:/run/secrets/acme_hubspot_token}}: the file's content, without trailing line breaks (Docker
 *       and Kubernetes secrets); a missing file resolves to nothing, which is a load error naming the reference;</li>
 *   <li>{@code ${hashicorp:secret:path#key}}, {@code ${aws:name}}, {@code ${gcp:name}}, {@code ${azure:name}},
 *       {@code ${kubernetes:...}}: Camel's vault property functions, with the vault configured as Camel documents
 *       ({@code camel.vault.*} settings and the matching {@code camel-<vault>} component on the classpath). These
 *       resolve once Camel has started: {@code TenantRouteRegistrar} hands the context over with
 *       {@link #camelStarted} and reloads the tenant files.</li>
 * </ul>
 * Values are returned to the loader only; nothing here logs them.
 */
@Component("tenantSecretResolver")
public class TenantSecretResolver implements Function<String, String> {

    private final Environment env;
    private volatile CamelContext camel;

    /** @param env the Spring environment */
    public TenantSecretResolver(Environment env) {
        this.env = env;
    }

    /** @param camelContext the started Camel context whose property functions resolve vault references */
    public void camelStarted(CamelContext camelContext) {
        this.camel = camelContext;
    }

    /**
     * @param name a variable name or a reference ({@code file:...}, {@code hashicorp:...}, ...)
     * @return the value, or null when it is not set
     * @throws IllegalStateException when a vault reference is used before Camel started, or Camel cannot resolve it
     */
    @Override
    public String apply(String name) {
        int colon = name.indexOf(':');
        String prefix = colon > 0 ? name.substring(0, colon) : "";
        if (prefix.equals("file")) {
            return readFile(Path.of(name.substring(colon + 1)));
        }
        if (colon > 0 && Placeholders.FUNCTIONS.contains(prefix)) {
            CamelContext context = camel;
            if (context == null) {
                throw new IllegalStateException("vault reference " + prefix + ":... resolves once Camel has started");
            }
            return context.resolvePropertyPlaceholders("{{" + name + "}}");
        }
        return env.getProperty(name);
    }

    private static String readFile(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            return content.replaceAll("[\\r\\n]+$", "");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file, e);
        }
    }
}
