package io.leadhub.inbound.perfex;

import io.leadhub.inbound.signature.TimestampedHmacSignature;
import io.leadhub.inbound.signature.TimestampedSignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Verifies Perfex CRM webhooks (REST API module v3 "Webhooks 2.0", Themesic {@code docs/webhooks.md}):
 * {@code X-Perfex-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>}, keyed with the webhook's
 * {@code secret} = the tenant's {@code sources.perfex.webhook_secret}; {@code t} must be within
 * {@code sources.perfex.timestamp_tolerance_seconds} (default 300 = 5 minutes) of the hub's clock.
 *
 * @throws io.leadhub.inbound.WebhookRejectedException 401 naming {@code X-Perfex-Signature}
 */
@Component("perfexSignatureVerifier")
public class PerfexSignatureVerifier extends TimestampedSignatureVerifier {

    /** Perfex's scheme: header {@code X-Perfex-Signature}, version key {@code v1}. */
    public static final TimestampedHmacSignature SCHEME = new TimestampedHmacSignature("X-Perfex-Signature", "v1");
    /** Tolerance when the tenant sets none: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    /** @param clock optional clock (tests fix it) */
    public PerfexSignatureVerifier(Optional<Clock> clock) {
        super("perfex", SCHEME, DEFAULT_TOLERANCE, clock.orElse(Clock.systemUTC()));
    }
}
