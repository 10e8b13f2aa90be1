package io.leadhub.inbound.form;

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
 * Authenticates a web form submission on the raw body, before anything parses it, the way the tenant chose
 * ({@code sources.form.auth}):
 *
 * <ul>
 *   <li>{@code hmac} (default; for a server that posts the form, e.g. a WordPress plugin or a form backend):
 *       header {@value #SIGNATURE_HEADER} = {@code sha256=<hex HMAC-SHA256(sources.form.webhook_secret, raw
 *       body)>}, the same convention as GitHub's {@code X-Hub-Signature-256};</li>
 *   <li>{@code api_key} (for senders that cannot sign): header {@value #API_KEY_HEADER} equal to
 *       {@code sources.form.api_key}.</li>
 * </ul>
 * Both comparisons are constant-time; the API key comparison reveals neither a matching prefix nor the key's
 * length ({@link Hmac#secretEquals}).
 *
 * <p>Input: exchange body readable as {@code byte[]}, property {@value WebhookTenantResolver#TENANT_CONFIG}.
 *
 * @throws WebhookRejectedException 401 naming the header: no secret/key configured, header missing or not
 *                                  {@code sha256=<hex>}, or wrong
 */
@Component("formSignatureVerifier")
public class FormSignatureVerifier implements Processor {

    /** Header of the {@code hmac} mode. */
    public static final String SIGNATURE_HEADER = "X-LeadHub-Signature";
    /** Header of the {@code api_key} mode. */
    public static final String API_KEY_HEADER = "X-API-Key";

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        SourceSettings settings = SourceSettings.of(tenant, "form");
        if ("api_key".equals(settings.string("auth", "hmac"))) {
            apiKey(exchange, settings.secret("api_key"));
        } else {
            hmac(exchange, settings.secret("webhook_secret"));
        }
    }

    private static void apiKey(Exchange exchange, Secret key) {
        if (key.isEmpty()) {
            throw WebhookRejectedException.badSignature(API_KEY_HEADER, "no form API key is configured for this tenant");
        }
        String presented = exchange.getIn().getHeader(API_KEY_HEADER, String.class);
        if (presented == null || presented.isBlank()) {
            throw WebhookRejectedException.badSignature(API_KEY_HEADER, "missing " + API_KEY_HEADER + " header");
        }
        if (!Hmac.secretEquals(key.reveal(), presented.trim())) {
            throw WebhookRejectedException.badSignature(API_KEY_HEADER, API_KEY_HEADER + " is not this tenant's key");
        }
    }

    private static void hmac(Exchange exchange, Secret secret) {
        if (secret.isEmpty()) {
            throw WebhookRejectedException.badSignature(SIGNATURE_HEADER,
                    "no form webhook secret is configured for this tenant");
        }
        String value = exchange.getIn().getHeader(SIGNATURE_HEADER, String.class);
        if (value == null || value.isBlank()) {
            throw WebhookRejectedException.badSignature(SIGNATURE_HEADER, "missing " + SIGNATURE_HEADER + " header");
        }
        String v = value.trim();
        if (!v.regionMatches(true, 0, "sha256=", 0, 7)) {
            throw WebhookRejectedException.badSignature(SIGNATURE_HEADER,
                    SIGNATURE_HEADER + " must be sha256=<hex HMAC-SHA256 of the body>");
        }
        if (!Hmac.matchesHex(Hmac.sha256(secret.reveal(), exchange.getIn().getBody(byte[].class)), v.substring(7))) {
            throw WebhookRejectedException.badSignature(SIGNATURE_HEADER,
                    SIGNATURE_HEADER + " does not match the request body");
        }
    }
}
