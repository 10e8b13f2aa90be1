package io.leadhub.inbound.leadpro;

import io.leadhub.inbound.SourceSettings;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.inbound.signature.Hmac;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Verifies LeadPro webhooks on the raw body, before anything parses it.
 *
 * <p>LeadPro publishes no webhook documentation (see {@code reference/providers.md} §5), so LeadHub defines the
 * scheme a LeadPro installation (or the adapter in front of it) must use: header {@code X-LeadPro-Signature}
 * (another name with {@code sources.leadpro.signature_header}) = lower- or upper-case hex of
 * HMAC-SHA256({@code sources.leadpro.webhook_secret}, raw body bytes), optionally prefixed {@code sha256=}. The
 * comparison is constant-time. There is no timestamp in this scheme, so replays are stopped by the idempotent
 * consumer (same event id or body = duplicate), not by a time window.
 *
 * <p>Input: exchange body readable as {@code byte[]}, property {@value WebhookTenantResolver#TENANT_CONFIG}.
 *
 * @throws WebhookRejectedException 401 naming the header: no secret configured, header missing, or not the hex
 *                                  HMAC of the body
 */
@Component("leadProSignatureVerifier")
public class LeadProSignatureVerifier implements Processor {

    /** Header used when the tenant names none. */
    public static final String DEFAULT_HEADER = "X-LeadPro-Signature";
    /** Tenant setting naming the header. */
    public static final String HEADER_KEY = "signature_header";

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        SourceSettings settings = SourceSettings.of(tenant, "leadpro");
        String header = settings.string(HEADER_KEY, DEFAULT_HEADER);
        Secret secret = settings.secret("webhook_secret");
        if (secret.isEmpty()) {
            throw WebhookRejectedException.badSignature(header, "no LeadPro webhook secret is configured for this tenant");
        }
        String value = exchange.getIn().getHeader(header, String.class);
        if (value == null || value.isBlank()) {
            throw WebhookRejectedException.badSignature(header, "missing " + header + " header");
        }
        String hex = value.trim();
        if (hex.regionMatches(true, 0, "sha256=", 0, 7)) {
            hex = hex.substring(7);
        }
        if (!Hmac.matchesHex(Hmac.sha256(secret.reveal(), exchange.getIn().getBody(byte[].class)), hex)) {
            throw WebhookRejectedException.badSignature(header,
                    header + " is not the hex HMAC-SHA256 of the request body");
        }
    }
}
