package io.leadhub.dispatch.crmhttp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
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
 * Sends {@link CrmRequest}s for the Pipedrive, Zoho, Dynamics and monday.com connectors: Spring's {@link RestClient}
 * over the JDK {@link HttpClient} (connect timeout 5 s, no redirects), like the HubSpot connector. Every answer,
 * whatever its status, is returned as a {@link CrmResponse}; only a missing answer (connection refused, reset,
 * timeout) is an exception. Thread-safe: its only state is one RestClient per read timeout.
 */
@Component("crmHttpClient")
public class CrmHttpClient {

    /** TCP connect timeout of every request. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final RestClient.Builder restClientBuilder;
    private final ObjectMapper objectMapper;
    private final HttpClient httpClient;
    private final ConcurrentMap<Duration, RestClient> clients = new ConcurrentHashMap<>();

    /**
     * @param restClientBuilder Spring Boot's auto-configured builder; cloned, never modified
     * @param objectMapper      writes JSON request bodies
     */
    public CrmHttpClient(RestClient.Builder restClientBuilder, ObjectMapper objectMapper) {
        this.restClientBuilder = Objects.requireNonNull(restClientBuilder, "restClientBuilder");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param request     the request (absolute URL, headers, body)
     * @param readTimeout how long to wait for the answer
     * @param maskPii     masks the lead's phone number and e-mail in texts that go into exception messages
     * @return the answer, any status
     * @throws TransientDeliveryException (status 0) when no answer came: connection refused or reset, timeout
     * @throws PermanentDeliveryException (status 0) when the JSON body cannot be serialised
     */
    public CrmResponse send(CrmRequest request, Duration readTimeout, UnaryOperator<String> maskPii) {
        byte[] body;
        try {
            body = request.bodyBytes(objectMapper);
        } catch (IllegalStateException e) {
            throw new PermanentDeliveryException(request.describe() + ": cannot serialise the request body", 0, null, e);
        }
        RestClient client = clients.computeIfAbsent(readTimeout, timeout -> {
            JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
            factory.setReadTimeout(timeout);
            return restClientBuilder.clone().requestFactory(factory).build();
        });
        try {
            RestClient.RequestBodySpec spec = client.method(request.method()).uri(request.url());
            request.headers().forEach(spec::header);
            if (request.jsonBody() != null || request.formBody() != null) {
                spec.body(body);
            }
            return spec.exchange((req, res) -> {
                HttpHeaders headers = new HttpHeaders();
                headers.putAll(res.getHeaders());
                String text = StreamUtils.copyToString(res.getBody(), StandardCharsets.UTF_8);
                return new CrmResponse(res.getStatusCode().value(), headers, text);
            });
        } catch (ResourceAccessException e) {
            Throwable cause = e.getMostSpecificCause();
            String reason = cause.getClass().getSimpleName()
                    + (cause.getMessage() != null ? ": " + maskPii.apply(stripQuery(cause.getMessage())) : "");
            throw new TransientDeliveryException(request.describe() + ": no response (" + reason + ")", 0, null, null, e);
        }
    }

    /** Drops anything after a {@code ?} in an I/O error message, in case a URL with a token query was echoed. */
    private static String stripQuery(String message) {
        int q = message.indexOf('?');
        return q < 0 ? message : message.substring(0, q) + "?...";
    }
}
