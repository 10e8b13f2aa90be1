package io.leadhub.inbound.twilio;

import com.twilio.security.RequestValidator;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.tenant.TenantConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Verifies Twilio's {@code X-Twilio-Signature} with twilio-java's {@link RequestValidator}, before anything else
 * reads the request.
 *
 * <p>Twilio (twilio.com/docs/usage/webhooks/webhooks-security) signs with HMAC-SHA1, keyed with the account's
 * Auth Token ({@code sources.twilio.auth_token}), Base64:
 * <ul>
 *   <li>form-encoded bodies ({@code application/x-www-form-urlencoded}, every voice webhook and callback, and a
 *       request without Content-Type): the full URL Twilio requested followed by each POST parameter, sorted by
 *       name, as {@code name + value}; checked with {@link RequestValidator#validate(String, Map, String)} over the
 *       parameters parsed from the raw body ({@link TwilioForm});</li>
 *   <li>any other body (JSON): the URL alone, which carries {@code bodySHA256=<hex SHA-256 of the body>} in its
 *       query; checked with {@link RequestValidator#validate(String, String, String)}, which also compares the
 *       body's SHA-256 ({@link RequestValidator#validateBody}).</li>
 * </ul>
 * The URL is rebuilt as Twilio saw it by {@link TwilioPublicUrl} (public base URL, forwarded headers); twilio-java
 * accepts it with and without the scheme's default port.
 *
 * <p>Input: raw body ({@code byte[]}), property {@value WebhookTenantResolver#TENANT_CONFIG}. Output: properties
 * {@value #PARAMS} (form parameters, empty for JSON), {@value #PUBLIC_URL} and {@value #PUBLIC_BASE}; the body is
 * untouched.
 *
 * @throws WebhookRejectedException 401 naming {@code X-Twilio-Signature} when the tenant has no auth token, the
 *                                  header is missing, or the signature does not match; 400 naming {@code body} when
 *                                  a form body cannot be parsed
 */
@Component("twilioSignatureVerifier")
public class TwilioSignatureVerifier implements Processor {

    /** Header carrying the signature. */
    public static final String HEADER = "X-Twilio-Signature";
    /** Exchange property: the verified form parameters ({@code Map<String, String>}; empty for JSON bodies). */
    public static final String PARAMS = "leadhubTwilioParams";
    /** Exchange property: the URL Twilio requested, as verified. */
    public static final String PUBLIC_URL = "leadhubTwilioUrl";
    /** Exchange property: the hub's public origin ({@link TwilioPublicUrl#base}). */
    public static final String PUBLIC_BASE = "leadhubTwilioBase";

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        TwilioSettings settings = TwilioSettings.of(tenant);
        TwilioPublicUrl.RequestFacts request = TwilioPublicUrl.RequestFacts.from(exchange);
        String url = TwilioPublicUrl.of(request, settings.publicBaseUrl());
        byte[] body = exchange.getIn().getBody(byte[].class);
        Map<String, String> params = verify(settings, url, contentType(exchange), body, signature(exchange));
        exchange.setProperty(PARAMS, params);
        exchange.setProperty(PUBLIC_URL, url);
        exchange.setProperty(PUBLIC_BASE, TwilioPublicUrl.base(request, settings.publicBaseUrl()));
    }

    /**
     * @param settings    the tenant's Twilio settings (auth token)
     * @param url         the full URL Twilio requested (with query)
     * @param contentType the request's Content-Type, or null
     * @param body        the raw body, or null
     * @param signature   the {@code X-Twilio-Signature} value, or null
     * @return the form parameters (empty for a non-form body)
     * @throws WebhookRejectedException 401 / 400 as described on the class
     */
    public static Map<String, String> verify(TwilioSettings settings, String url, String contentType, byte[] body,
                                             String signature) {
        if (settings.authToken().isEmpty()) {
            throw WebhookRejectedException.badSignature(HEADER, "no Twilio auth token is configured for this tenant");
        }
        if (signature == null || signature.isBlank()) {
            throw WebhookRejectedException.badSignature(HEADER, "missing X-Twilio-Signature header");
        }
        RequestValidator validator = new RequestValidator(settings.authToken().reveal());
        boolean valid;
        Map<String, String> params = Map.of();
        if (isForm(contentType)) {
            params = TwilioForm.parse(body);
            valid = validator.validate(url, params, signature.trim());
        } else {
            try {
                valid = validator.validate(url, body == null ? "" : new String(body, StandardCharsets.UTF_8),
                        signature.trim());
            } catch (URISyntaxException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw WebhookRejectedException.badSignature(HEADER, "X-Twilio-Signature does not match the request "
                    + "(URL checked: " + TwilioPublicUrl.withoutQuery(url) + ", with its query string; behind a proxy "
                    + "set sources.twilio.public_base_url or X-Forwarded-Proto/X-Forwarded-Host)");
        }
        return params;
    }

    /**
     * @param contentType a Content-Type header value, or null
     * @return true for {@code application/x-www-form-urlencoded} and for a missing Content-Type
     */
    static boolean isForm(String contentType) {
        return contentType == null || contentType.isBlank()
                || mime(contentType).equals("application/x-www-form-urlencoded");
    }

    /**
     * @param contentType a Content-Type header value
     * @return its lower-case media type without parameters
     */
    static String mime(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase();
    }

    private static String contentType(Exchange exchange) {
        HttpServletRequest request = exchange.getIn().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        return request != null ? request.getContentType() : exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
    }

    private static String signature(Exchange exchange) {
        HttpServletRequest request = exchange.getIn().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        return request != null ? request.getHeader(HEADER) : exchange.getIn().getHeader(HEADER, String.class);
    }
}
