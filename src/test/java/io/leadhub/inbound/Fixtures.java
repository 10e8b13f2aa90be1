package io.leadhub.inbound;

import io.leadhub.tenant.TenantConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The signed webhook fixtures under {@code src/test/resources/<source>/}: each body as the provider sends it and,
 * in {@code signatures.properties}, its signature header computed with openssl (so the verifiers are checked
 * against an independent implementation). The bodies are the same as the hand-run samples in
 * {@code samples/<source>/}.
 */
public final class Fixtures {

    /** Time every timestamped fixture signature was made at ({@code t=1763668800}). */
    public static final Instant SIGNED_AT = Instant.ofEpochSecond(1763668800L);

    private Fixtures() {
    }

    /**
     * @param source source folder, e.g. {@code perfex}
     * @param name   file name, e.g. {@code lead-created.json}
     * @return the fixture body, byte for byte
     */
    public static String body(String source, String name) {
        try {
            return Files.readString(dir(source).resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param source source folder
     * @param name   file name
     * @return the fixture's signature header value from {@code signatures.properties}
     */
    public static String signature(String source, String name) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir(source).resolve("signatures.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = p.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("no signature for " + source + "/" + name);
        }
        return value;
    }

    /**
     * @param source source folder
     * @return the names of its JSON fixtures, sorted
     */
    public static List<String> names(String source) {
        try (Stream<Path> files = Files.list(dir(source))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param source   source name
     * @param settings the source's settings ({@code sources.<source>} of a tenant file, secrets as
     *                 {@link io.leadhub.tenant.Secret})
     * @return a tenant {@code acme} (region US) with only that source and no destinations
     */
    public static TenantConfig tenant(String source, Map<String, Object> settings) {
        return new TenantConfig("acme", Path.of("acme.yaml"), "US", ZoneId.of("UTC"), Map.of(source, settings),
                Map.of(), List.of(), List.of(), Instant.EPOCH);
    }

    private static Path dir(String source) {
        return Path.of("src/test/resources", source);
    }
}
