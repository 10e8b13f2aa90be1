package io.leadhub.inbound.twilio;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/**
 * The URL Twilio requested, rebuilt as Twilio saw it, and the hub's public URLs handed to Twilio.
 *
 * <p>Twilio signs the <em>full URL it requested</em> (scheme, host, port, path and query string,
 * twilio.com/docs/usage/webhooks/webhooks-security). Behind a reverse proxy or ingress the hub sees another URL
 * ({@code http://leadhub:8080/...}), so the public origin is taken from, in this order:
 * <ol>
 *   <li>the tenant's {@code sources.twilio.public_base_url} (e.g. {@code https://hub.example.com}, optionally
 *       with a path prefix the proxy strips);</li>
 *   <li>the first value of {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (plus {@code X-Forwarded-Port}
 *       when the host has no port and the port is not the scheme's default), each falling back to the request's
 *       own scheme and host;</li>
 *   <li>the request URL as the servlet container saw it.</li>
 * </ol>
 * The path is the raw request path and the query string is kept byte for byte (it is part of the signed text).
 */
public final class TwilioPublicUrl {

    /** Name of the query parameter carrying the lead's phone on the callback URLs the hub hands to Twilio. */
    public static final String LEAD_PHONE_PARAM = "lead_phone";

    private TwilioPublicUrl() {
    }

    /**
     * What the hub knows about one HTTP request.
     *
     * @param requestUrl     the URL as the container saw it, without query ({@code http://host:port/path})
     * @param path           the raw request path ({@code /webhooks/twilio/acme/status})
     * @param rawQuery       the raw query string without {@code ?}, or null
     * @param forwardedProto {@code X-Forwarded-Proto}, or null
     * @param forwardedHost  {@code X-Forwarded-Host}, or null
     * @param forwardedPort  {@code X-Forwarded-Port}, or null
     */
    public record RequestFacts(String requestUrl, String path, String rawQuery, String forwardedProto,
                               String forwardedHost, String forwardedPort) {

        /**
         * Reads the facts from the servlet request behind a platform-http exchange (header
         * {@code CamelHttpServletRequest}), else from Camel's {@code CamelHttpUrl}/{@code CamelHttpUri}/
         * {@code CamelHttpQuery} headers. Real HTTP headers are read from the servlet request, so a form field or
         * query parameter named like a header cannot stand in for one.
         *
         * @param exchange a platform-http exchange
         * @return the facts
         */
        public static RequestFacts from(Exchange exchange) {
            HttpServletRequest request = exchange.getIn().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
            if (request != null) {
                return new RequestFacts(request.getRequestURL().toString(), request.getRequestURI(),
                        request.getQueryString(), request.getHeader("X-Forwarded-Proto"),
                        request.getHeader("X-Forwarded-Host"), request.getHeader("X-Forwarded-Port"));
            }
            return new RequestFacts(exchange.getIn().getHeader(Exchange.HTTP_URL, String.class),
                    exchange.getIn().getHeader(Exchange.HTTP_URI, String.class),
                    exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class),
                    exchange.getIn().getHeader("X-Forwarded-Proto", String.class),
                    exchange.getIn().getHeader("X-Forwarded-Host", String.class),
                    exchange.getIn().getHeader("X-Forwarded-Port", String.class));
        }
    }

    /**
     * @param request       the request
     * @param publicBaseUrl the tenant's {@code public_base_url}, or null
     * @return the hub's public origin (with the base URL's path prefix, no trailing slash), e.g.
     *         {@code https://hub.example.com}
     */
    public static String base(RequestFacts request, URI publicBaseUrl) {
        if (publicBaseUrl != null) {
            String text = publicBaseUrl.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }
        URI seen = URI.create(request.requestUrl());
        String proto = first(request.forwardedProto());
        String host = first(request.forwardedHost());
        if (proto == null && host == null) {
            return seen.getScheme() + "://" + seen.getRawAuthority();
        }
        String scheme = proto != null ? proto.toLowerCase() : seen.getScheme();
        String authority = host != null ? host : seen.getRawAuthority();
        String port = first(request.forwardedPort());
        if (host != null && port != null && !hasPort(authority) && !isDefaultPort(scheme, port)) {
            authority = authority + ":" + port;
        }
        return scheme + "://" + authority;
    }

    /**
     * @param request       the request
     * @param publicBaseUrl the tenant's {@code public_base_url}, or null
     * @return the full URL Twilio requested: public origin + raw path + {@code ?} + raw query (when there is one)
     */
    public static String of(RequestFacts request, URI publicBaseUrl) {
        String path = request.path() != null ? request.path() : URI.create(request.requestUrl()).getRawPath();
        String query = request.rawQuery();
        return base(request, publicBaseUrl) + path + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /**
     * @param base      the hub's public origin ({@link #base})
     * @param tenant    tenant id
     * @param callback  {@code voice}, {@code status}, {@code recording} or {@code transcription}
     * @param leadPhone the lead's phone to carry in {@value #LEAD_PHONE_PARAM} (for callbacks whose parameters do
     *                  not name the caller, such as recording status callbacks), or null
     * @return {@code <base>/webhooks/twilio/<tenant>/<callback>[?lead_phone=<url-encoded phone>]}
     */
    public static String callbackUrl(String base, String tenant, String callback, String leadPhone) {
        String url = base + "/webhooks/twilio/" + tenant + "/" + callback;
        return leadPhone == null || leadPhone.isBlank() ? url
                : url + "?" + LEAD_PHONE_PARAM + "=" + URLEncoder.encode(leadPhone, StandardCharsets.UTF_8);
    }

    /** The URL without its query string, for logs and error details (the query may carry a phone number). */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String first(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        String first = headerValue.split(",", 2)[0].trim();
        return first.isEmpty() ? null : first;
    }

    private static boolean hasPort(String authority) {
        int close = authority.lastIndexOf(']');
        return authority.indexOf(':', close + 1) >= 0;
    }

    private static boolean isDefaultPort(String scheme, String port) {
        return ("https".equals(scheme) && "443".equals(port)) || ("http".equals(scheme) && "80".equals(port));
    }
}
