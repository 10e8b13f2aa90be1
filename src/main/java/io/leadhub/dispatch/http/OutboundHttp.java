package io.leadhub.dispatch.http;

import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.support.Masking;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Sends {@link OutboundRequest}s for every connector but HubSpot and Salesforce (Pipedrive, Zoho CRM, Dynamics 365,
 * monday.com, custom REST, LeadPro, Perfex, webhooks, OAuth token endpoints): Spring's {@link RestClient} over the
 * JDK {@link HttpClient} (connect timeout 5 s, redirects never followed, since a CRM or webhook subscriber
 * answering 3xx is a configuration error), one client per read timeout. Every answer, 2xx or not, is returned
 * fully read; only the absence of an answer (connection refused, reset, read timeout) is an exception. Thread-safe.
 */
@Component("outboundHttp")
public class OutboundHttp {

    /** TCP connect timeout of every request. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final RestClient.Builder restClientBuilder;
    private final HttpClient httpClient;
    private final ConcurrentMap<Duration, RestClient> clients = new ConcurrentHashMap<>();

    /** @param restClientBuilder Spring Boot's auto-configured builder; cloned, never modified */
    public OutboundHttp(RestClient.Builder restClientBuilder) {
        this.restClientBuilder = Objects.requireNonNull(restClientBuilder, "restClientBuilder");
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param request     the request (absolute URL, headers including {@code Content-Type}, body)
     * @param readTimeout how long to wait for the answer
     * @param maskPii     masks the lead's personal data in error messages (e.g. phone numbers echoed by a
     *                    connection error)
     * @return the answer, whatever its status
     * @throws TransientDeliveryException (status 0, no body) when no answer arrived: connection refused or reset,
     *                                    DNS failure, read timeout; its message never has a URL's query (tokens)
     */
    public OutboundResponse send(OutboundRequest request, Duration readTimeout, UnaryOperator<String> maskPii) {
        RestClient client = clients.computeIfAbsent(readTimeout, timeout -> {
            JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
            factory.setReadTimeout(timeout);
            return restClientBuilder.clone().requestFactory(factory).build();
        });
        try {
            RestClient.RequestBodySpec spec = client.method(request.method()).uri(request.url());
            request.headers().forEach(spec::header);
            if (request.body() != null) {
                spec.body(request.body());
            }
            return spec.exchange((req, res) -> {
                HttpHeaders headers = new HttpHeaders();
                headers.putAll(res.getHeaders());
                String text = StreamUtils.copyToString(res.getBody(), StandardCharsets.UTF_8);
                return new OutboundResponse(res.getStatusCode().value(), headers, text);
            });
        } catch (ResourceAccessException e) {
            Throwable cause = e.getMostSpecificCause();
            String reason = cause.getClass().getSimpleName() + (cause.getMessage() != null
                    ? ": " + Masking.text(maskPii.apply(stripQuery(cause.getMessage()))) : "");
            throw new TransientDeliveryException(request.describe() + ": no response (" + reason + ")", 0, null,
                    null, e);
        }
    }

    /** Drops anything after a {@code ?} in an I/O error message, in case a URL with a token query was echoed. */
    private static String stripQuery(String message) {
        int q = message.indexOf('?');
        return q < 0 ? message : message.substring(0, q) + "?...";
    }
}
