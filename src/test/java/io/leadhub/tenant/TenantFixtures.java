package io.leadhub.tenant;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Shared test setup: fixture paths, a fixed clock and a map-backed placeholder resolver. */
final class TenantFixtures {

    /** 2026-11-21T02:30:00Z: already the 21st in UTC, still the 20th in New York. */
    static final Instant NOW = Instant.parse("2026-11-21T02:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TenantFixtures() {
    }

    static Path fixture(String relative) {
        URL url = TenantFixtures.class.getResource("/tenant-files/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Variables the fixtures need; secret values are recognisable so tests can check they never leak. */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("ACME_CALLRAIL_KEY", "callrail-signing-SECRET-1");
        env.put("ACME_HUBSPOT_TOKEN", "pat-na1-SECRET-2");
        return env;
    }

    static TenantFileLoader loader(Map<String, String> env) {
        return new TenantFileLoader(env::get, "GB", CLOCK, null);
    }

    static TenantFileLoader loader() {
        return loader(env());
    }
}
