package io.leadhub.inbound.signature;

import io.leadhub.inbound.SourceSettings;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.TenantConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The {@code <source>-verify-signature} step of a source that signs with {@link TimestampedHmacSignature}: reads the
 * tenant's {@code sources.<source>.webhook_secret} and {@code sources.<source>.timestamp_tolerance_seconds}
 * (default per source) and verifies the raw body before anything parses it. The Perfex and ElevenLabs verifier
 * beans are instances of this class.
 *
 * <p>Input: exchange body readable as {@code byte[]} (the request body), the scheme's header, property
 * {@value WebhookTenantResolver#TENANT_CONFIG}. Output: none (the body is untouched).
 *
 * @throws WebhookRejectedException 401 naming the header, as {@link TimestampedHmacSignature#verify} describes
 */
public class TimestampedSignatureVerifier implements Processor {

    /** Tenant setting: the shared secret (a {@code ${ENV_VAR}} placeholder). */
    public static final String SECRET_KEY = "webhook_secret";
    /** Tenant setting: the accepted distance between the signature's {@code t} and the hub's clock, in seconds. */
    public static final String TOLERANCE_KEY = "timestamp_tolerance_seconds";

    private final String source;
    private final TimestampedHmacSignature scheme;
    private final Duration defaultTolerance;
    private final Clock clock;

    /**
     * @param source           source name, the key under {@code sources} in the tenant file
     * @param scheme           the provider's header and version key
     * @param defaultTolerance tolerance when the tenant sets none
     * @param clock            the hub's clock
     */
    protected TimestampedSignatureVerifier(String source, TimestampedHmacSignature scheme, Duration defaultTolerance,
                                           Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.defaultTolerance = Objects.requireNonNull(defaultTolerance, "defaultTolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        SourceSettings settings = SourceSettings.of(tenant, source);
        scheme.verify(exchange.getIn().getHeader(scheme.header(), String.class), exchange.getIn().getBody(byte[].class),
                settings.secret(SECRET_KEY), settings.seconds(TOLERANCE_KEY, defaultTolerance), clock.instant());
    }

    /** @return the scheme this verifier checks */
    public TimestampedHmacSignature scheme() {
        return scheme;
    }
}
