package io.leadhub.tenant;

import io.leadhub.config.LeadHubProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The tenants LeadHub serves: every {@code *.yaml} file of the mappings folder ({@code leadhub.mappings-dir}),
 * loaded at construction.
 *
 * <p>A file that fails to load is logged at ERROR with the full {@link TenantConfigException} message (one
 * {@code <file>:<line>:<column>: <key>: <reason>} line per problem), recorded in {@link #errors()} and skipped;
 * the other tenants load and the application starts. A missing mappings folder logs a warning and yields zero
 * tenants. Reads are lock-free and see a consistent snapshot; {@link #reload()} is serialized.
 */
@Component("tenantRegistry")
public class TenantRegistry {

    private static final Logger log = LoggerFactory.getLogger(TenantRegistry.class);

    /** File name of the schema inside the mappings folder. */
    public static final String SCHEMA_FILE = "tenant.schema.json";

    private record Entry(TenantConfig config, String fingerprint) {
    }

    private record State(Map<String, Entry> tenants, Map<Path, TenantConfigException> errors) {
    }

    private final Path mappingsDir;
    private final TenantFileLoader loader;
    private final List<Consumer<TenantChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile State state = new State(Map.of(), Map.of());

    /**
     * Placeholders resolve through {@link TenantSecretResolver} (the Spring environment, {@code ${file:...}} and
     * Camel vault references), the default region is {@code leadhub.phone.default-region}, the schema is
     * {@code <mappingsDir>/tenant.schema.json} when present, else the built-in copy; a tenant that enables the LLM
     * ({@code ai.llm.enabled: true}) must name {@code base_url} and {@code model} itself.
     *
     * @param props LeadHub settings ({@code mappingsDir()}, {@code phone().defaultRegion()})
     * @param secrets placeholder resolver
     * @throws IllegalStateException when the schema cannot be loaded
     */
    public TenantRegistry(LeadHubProperties props, TenantSecretResolver secrets) {
        this(props, secrets, (TenantLlmSettings.GlobalDefaults) null);
    }

    /**
     * Spring constructor: as {@link #TenantRegistry(LeadHubProperties, TenantSecretResolver)}, and a tenant's
     * {@code ai.llm} block is checked against the global LLM settings ({@code leadhub.ai.llm.*}, the
     * {@code LlmProperties} bean) when there is such a bean.
     *
     * @param props       LeadHub settings ({@code mappingsDir()}, {@code phone().defaultRegion()})
     * @param secrets     placeholder resolver
     * @param llmDefaults the global LLM settings, if any
     * @throws IllegalStateException when the schema cannot be loaded
     */
    @Autowired
    public TenantRegistry(LeadHubProperties props, TenantSecretResolver secrets,
                          ObjectProvider<TenantLlmSettings.GlobalDefaults> llmDefaults) {
        this(props, secrets, llmDefaults.getIfAvailable());
    }

    private TenantRegistry(LeadHubProperties props, TenantSecretResolver secrets,
                           TenantLlmSettings.GlobalDefaults llmDefaults) {
        this(props.mappingsDir(), new TenantFileLoader(secrets, props.phone().defaultRegion(),
                Clock.systemUTC(), props.mappingsDir().resolve(SCHEMA_FILE), llmDefaults));
    }

    /**
     * Loads every {@code *.yaml} of {@code mappingsDir} with {@code loader}.
     *
     * @param mappingsDir folder of the tenant files
     * @param loader      the loader
     */
    public TenantRegistry(Path mappingsDir, TenantFileLoader loader) {
        this.mappingsDir = Objects.requireNonNull(mappingsDir, "mappingsDir");
        this.loader = Objects.requireNonNull(loader, "loader");
        reload();
    }

    /**
     * @param tenant tenant id
     * @return its configuration, if the tenant is served
     */
    public Optional<TenantConfig> find(String tenant) {
        Entry entry = tenant == null ? null : state.tenants().get(tenant);
        return entry == null ? Optional.empty() : Optional.of(entry.config());
    }

    /** @return the served tenants, sorted by id (an unmodifiable snapshot) */
    public Collection<TenantConfig> tenants() {
        return state.tenants().values().stream().map(Entry::config).toList();
    }

    /**
     * @return the files that failed at the last (re)load with their problems (an unmodifiable snapshot); a tenant
     *         listed here may still be served with its previous configuration
     */
    public Map<Path, TenantConfigException> errors() {
        return state.errors();
    }

    /** @return the mappings folder */
    public Path mappingsDir() {
        return mappingsDir;
    }

    /**
     * Re-scans the mappings folder and loads every {@code *.yaml}. A tenant whose file now fails keeps its previous
     * configuration (and the failure is in {@link #errors()}); a tenant whose file is gone is removed; a tenant
     * whose file and resolved placeholders are unchanged keeps the same {@link TenantConfig} instance.
     * Listeners are called afterwards, on this thread, when something was added, changed or removed.
     */
    public synchronized void reload() {
        State previous = state;
        Map<String, Entry> tenants = new LinkedHashMap<>();
        Map<Path, TenantConfigException> errors = new LinkedHashMap<>();
        List<Path> files = scan();
        if (files == null) {
            return;
        }
        for (Path file : files) {
            String stem = TenantFileLoader.stem(file);
            try {
                TenantFileLoader.Loaded loaded = loader.loadWithFingerprint(file);
                Entry before = previous.tenants().get(loaded.config().tenant());
                boolean same = before != null && before.fingerprint().equals(loaded.fingerprint())
                        && before.config().file().equals(file);
                tenants.put(loaded.config().tenant(), same ? before : new Entry(loaded.config(), loaded.fingerprint()));
            } catch (TenantConfigException e) {
                fail(file, stem, e, previous, tenants, errors);
            } catch (RuntimeException e) {
                fail(file, stem, new TenantConfigException(file, TenantConfigError.FILE_KEY, 0, 0,
                        "unexpected error while loading: " + e.getClass().getName()), previous, tenants, errors);
                log.error("unexpected error loading {}", file, e);
            }
        }
        rejectDispatchIdCollisions(previous, tenants, errors);
        Map<String, Entry> sorted = new LinkedHashMap<>();
        new TreeSet<>(tenants.keySet()).forEach(t -> sorted.put(t, tenants.get(t)));
        state = new State(Collections.unmodifiableMap(sorted), Collections.unmodifiableMap(errors));

        Set<String> added = new TreeSet<>();
        Set<String> changed = new TreeSet<>();
        Set<String> removed = new TreeSet<>(previous.tenants().keySet());
        removed.removeAll(sorted.keySet());
        sorted.forEach((tenant, entry) -> {
            Entry before = previous.tenants().get(tenant);
            if (before == null) {
                added.add(tenant);
            } else if (before != entry) {
                changed.add(tenant);
            }
        });
        log.info("tenants loaded from {} (schema {}): {} served {}, {} file(s) with errors", mappingsDir,
                loader.schemaOrigin(), sorted.size(), sorted.keySet(), errors.size());
        TenantChange change = new TenantChange(added, changed, removed);
        if (!change.isEmpty()) {
            for (Consumer<TenantChange> listener : listeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    log.error("tenant change listener {} failed", listener, e);
                }
            }
        }
    }

    /**
     * Tenant and destination ids may contain '-', so {@code acme} + {@code west-x} and {@code acme-west} + {@code x}
     * would share the dispatch route id {@code crm-dispatch-acme-west-x} and its consumer group. Tenants already
     * served keep their destinations; of two new ones, the first in alphabetical order keeps them. The other tenant
     * file is rejected like any invalid file (previous configuration kept, error in {@link #errors()}).
     */
    private void rejectDispatchIdCollisions(State previous, Map<String, Entry> tenants,
                                            Map<Path, TenantConfigException> errors) {
        List<String> order = new java.util.ArrayList<>(new TreeSet<>(tenants.keySet()));
        order.sort(java.util.Comparator.comparing((String t) -> !(previous.tenants().get(t) != null
                && previous.tenants().get(t) == tenants.get(t))));
        Map<String, String[]> owners = new java.util.HashMap<>();
        for (String tenant : order) {
            TenantConfig config = tenants.get(tenant).config();
            TenantConfigException clash = null;
            for (int i = 0; i < config.destinations().size() && clash == null; i++) {
                String key = tenant + "-" + config.destinations().get(i).id();
                String[] owner = owners.get(key);
                if (owner != null && !owner[0].equals(tenant)) {
                    clash = new TenantConfigException(config.file(), "destinations[" + i + "].id", 0, 0,
                            "dispatch route id crm-dispatch-" + key + " (and consumer group leadhub-dispatch-" + key
                                    + ") is already that of tenant '" + owner[0] + "' destination '" + owner[1]
                                    + "'; rename one of the two destinations");
                }
            }
            if (clash != null) {
                tenants.remove(tenant);
                fail(config.file(), tenant, clash, previous, tenants, errors);
            }
            if (tenants.containsKey(tenant)) {
                // served (possibly with its previous configuration): its dispatch ids are taken
                tenants.get(tenant).config().destinations().forEach(d -> owners.putIfAbsent(tenant + "-" + d.id(),
                        new String[] {tenant, d.id()}));
            }
        }
    }

    private void fail(Path file, String stem, TenantConfigException e, State previous, Map<String, Entry> tenants,
                      Map<Path, TenantConfigException> errors) {
        errors.put(file, e);
        Entry before = previous.tenants().get(stem);
        if (before != null) {
            tenants.put(stem, before);
            log.error("invalid tenant file, keeping the previous configuration of tenant '{}': {}", stem,
                    e.getMessage());
        } else {
            log.error("invalid tenant file, skipped: {}", e.getMessage());
        }
    }

    /** @return the tenant files, sorted; empty when the folder is missing; null when it cannot be listed */
    private List<Path> scan() {
        if (!Files.isDirectory(mappingsDir)) {
            log.warn("mappings folder {} does not exist: no tenants are served", mappingsDir);
            return List.of();
        }
        try (Stream<Path> stream = Files.list(mappingsDir)) {
            List<Path> files = new ArrayList<>(stream
                    .filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList());
            return files;
        } catch (IOException e) {
            log.error("cannot list mappings folder {} ({}); keeping the current tenants", mappingsDir,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * Registers a listener called after each {@link #reload()} that added, changed or removed tenants.
     *
     * @param listener receives the changed tenant ids; exceptions it throws are logged and ignored
     */
    public void addListener(Consumer<TenantChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
