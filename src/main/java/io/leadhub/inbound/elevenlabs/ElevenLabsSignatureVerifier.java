package io.leadhub.inbound.elevenlabs;

import io.leadhub.inbound.signature.TimestampedHmacSignature;
import io.leadhub.inbound.signature.TimestampedSignatureVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Verifies ElevenLabs Agents post-call webhooks (elevenlabs-docs {@code fern/snippets/webhook-hmac-authentication.mdx}):
 * {@code ElevenLabs-Signature: t=<unix>,v0=<hex HMAC-SHA256(secret, t + "." + raw body)>}, keyed with the
 * workspace webhook's HMAC secret = the tenant's {@code sources.elevenlabs.webhook_secret}; {@code t} must be
 * within {@code sources.elevenlabs.timestamp_tolerance_seconds} (default 1800 = the 30 minutes of ElevenLabs'
 * own examples) of the hub's clock.
 *
 * @throws io.leadhub.inbound.WebhookRejectedException 401 naming {@code ElevenLabs-Signature}
 */
@Component("elevenLabsSignatureVerifier")
public class ElevenLabsSignatureVerifier extends TimestampedSignatureVerifier {

    /** ElevenLabs' scheme: header {@code ElevenLabs-Signature}, version key {@code v0}. */
    public static final TimestampedHmacSignature SCHEME = new TimestampedHmacSignature("ElevenLabs-Signature", "v0");
    /** Tolerance when the tenant sets none: 30 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(30);

    /** @param clock optional clock (tests fix it) */
    public ElevenLabsSignatureVerifier(Optional<Clock> clock) {
        super("elevenlabs", SCHEME, DEFAULT_TOLERANCE, clock.orElse(Clock.systemUTC()));
    }
}
