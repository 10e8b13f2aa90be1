package io.leadhub.dispatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.dispatch.PermanentDeliveryException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;

/**
 * One HTTP request a connector sends live ({@link OutboundHttp}) or writes as a dry-run file ({@link DryRunFiles}).
 * Immutable; built with {@link #builder}.
 *
 * <p>The request knows which of its parts are secret (an {@code Authorization} value, an {@code api_token} query
 * parameter, a {@code client_secret} form field), so that {@link #describe()} (used in exception messages and logs)
 * never contains them and a dry-run file shows them as {@value #MASK}: {@link #shownUrl()},
 * {@link #shownHeaders()} and {@link #displayBody()} are what a person may see, {@link #url()}, {@link #headers()}
 * and {@link #body()} what goes on the wire.
 */
public final class OutboundRequest {

    /** Text shown instead of a secret. */
    public static final String MASK = "****";

    private final String system;
    private final String purpose;
    private final String operation;
    private final HttpMethod method;
    private final URI url;
    private final String displayTarget;
    private final Set<String> secretQueryParameters;
    private final Map<String, String> headers;
    private final Map<String, String> shownHeaders;
    private final byte[] body;
    private final Object displayBody;

    private OutboundRequest(String system, String purpose, String operation, HttpMethod method, URI url,
                            String displayTarget, Set<String> secretQueryParameters, Map<String, String> headers,
                            Map<String, String> shownHeaders, byte[] body, Object displayBody) {
        this.system = system;
        this.purpose = purpose;
        this.operation = operation;
        this.method = method;
        this.url = url;
        this.displayTarget = displayTarget;
        this.secretQueryParameters = Set.copyOf(secretQueryParameters);
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.shownHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(shownHeaders));
        this.body = body;
        this.displayBody = displayBody;
    }

    /**
     * @param system    the system addressed, for messages, e.g. {@code Pipedrive}, {@code Perfex}, {@code webhook};
     *                  starts every {@link #describe()}
     * @param purpose   short name of the request, used in dry-run file names, e.g. {@code search-phone},
     *                  {@code create-person}
     * @param operation what the request does, for messages, e.g. {@code create person}
     * @param method    HTTP method
     * @param url       absolute, already encoded URL (query parameters included)
     * @return a builder
     */
    public static Builder builder(String system, String purpose, String operation, HttpMethod method, URI url) {
        return new Builder(system, purpose, operation, method, url);
    }

    /** @return the system's display name */
    public String system() {
        return system;
    }

    /** @return dry-run file suffix, e.g. {@code create-person} */
    public String purpose() {
        return purpose;
    }

    /** @return what the request does, e.g. {@code create lead} */
    public String operation() {
        return operation;
    }

    /** @return HTTP method */
    public HttpMethod method() {
        return method;
    }

    /** @return the absolute URL as sent, secret query parameters included: never log it */
    public URI url() {
        return url;
    }

    /**
     * @return the request target as shown in messages and logs: by default the URL's path without the query, or
     *         what {@link Builder#displayTarget} set (e.g. a path with the lead's phone masked)
     */
    public String displayTarget() {
        return displayTarget;
    }

    /**
     * @return request headers (name → value) in sending order, {@code Content-Type} and secrets included: never log
     *         them
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the headers as a dry-run file shows them: the same names and order, secret values masked */
    public Map<String, String> shownHeaders() {
        return shownHeaders;
    }

    /** @return the body bytes as sent, or null for none */
    public byte[] body() {
        return body;
    }

    /** @return the body as a dry-run file shows it (a Jackson tree, a map of form fields or text), or null */
    public Object displayBody() {
        return displayBody;
    }

    /** @return the URL with every secret query parameter's value replaced by {@value #MASK} */
    public String shownUrl() {
        String query = url.getRawQuery();
        if (query == null || secretQueryParameters.isEmpty()) {
            return url.toString();
        }
        String masked = Arrays.stream(query.split("&")).map(pair -> {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            return secretQueryParameters.contains(name) ? name + "=" + MASK : pair;
        }).collect(Collectors.joining("&"));
        String text = url.toString();
        return text.substring(0, text.indexOf('?') + 1) + masked;
    }

    /**
     * @return {@code "<system> <operation> (<METHOD> <target>)"}, e.g. {@code Pipedrive create person (POST
     *         /v1/persons)}: the target is {@link #displayTarget()}, so query strings (tokens sent as query
     *         parameters) never appear unless a connector shows a masked one on purpose
     */
    public String describe() {
        return system + " " + operation + " (" + method.name() + " " + displayTarget + ")";
    }

    /**
     * @param name  header name
     * @param value header value (not secret)
     * @return a copy of this request with the header added (or replaced, keeping its place)
     */
    public OutboundRequest withHeader(String name, String value) {
        return with(name, value, value);
    }

    /**
     * A copy with a header carrying a secret, e.g. {@code Authorization: Bearer <token>}, added (or replaced).
     *
     * @param name   header name
     * @param prefix text before the secret, e.g. {@code "Bearer "} or {@code ""}
     * @param secret the secret (null = empty)
     * @return the copy; its dry-run file shows {@code prefix + "****"}
     */
    public OutboundRequest withSecretHeader(String name, String prefix, String secret) {
        return with(name, prefix + (secret == null ? "" : secret), prefix + MASK);
    }

    private OutboundRequest with(String name, String value, String shown) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        Map<String, String> s = new LinkedHashMap<>(shownHeaders);
        s.put(name, shown);
        return new OutboundRequest(system, purpose, operation, method, url, displayTarget, secretQueryParameters, h,
                s, body, displayBody);
    }

    /** Equal when purpose, method, URL, headers and body bytes are: the same request on the wire. */
    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundRequest r && purpose.equals(r.purpose) && method.equals(r.method)
                && url.equals(r.url) && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(purpose, method, url, headers, Arrays.hashCode(body));
    }

    /** @return {@link #describe()}: never the URL's query, the header values or the body */
    @Override
    public String toString() {
        return describe();
    }

    /** Builds an {@link OutboundRequest}; headers keep the order in which they are added. */
    public static final class Builder {
        private final String system;
        private final String purpose;
        private final String operation;
        private final HttpMethod method;
        private final URI url;
        private String displayTarget;
        private final Set<String> secretQueryParameters = new LinkedHashSet<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> shownHeaders = new LinkedHashMap<>();
        private byte[] body;
        private Object displayBody;

        private Builder(String system, String purpose, String operation, HttpMethod method, URI url) {
            this.system = Objects.requireNonNull(system, "system");
            this.purpose = Objects.requireNonNull(purpose, "purpose");
            this.operation = Objects.requireNonNull(operation, "operation");
            this.method = Objects.requireNonNull(method, "method");
            this.url = Objects.requireNonNull(url, "url");
        }

        /**
         * @param target the request target as shown in messages and logs instead of the URL's path, e.g. a path
         *               with the lead's phone masked ({@code /api/leads/search/%2B1404*****14}) or a host name
         * @return this
         */
        public Builder displayTarget(String target) {
            this.displayTarget = target;
            return this;
        }

        /**
         * @param name  header name
         * @param value header value (not secret)
         * @return this
         */
        public Builder header(String name, String value) {
            headers.put(name, value);
            shownHeaders.put(name, value);
            return this;
        }

        /**
         * A header carrying a secret, e.g. {@code Authorization: Bearer <token>}.
         *
         * @param name   header name
         * @param prefix text before the secret, e.g. {@code "Bearer "} or {@code ""}
         * @param secret the secret (null = empty)
         * @return this; the dry-run file shows {@code prefix + "****"}
         */
        public Builder secretHeader(String name, String prefix, String secret) {
            headers.put(name, prefix + (secret == null ? "" : secret));
            shownHeaders.put(name, prefix + MASK);
            return this;
        }

        /**
         * @param name name of a query parameter of the URL whose value is a secret (e.g. {@code api_token})
         * @return this
         */
        public Builder secretQueryParameter(String name) {
            secretQueryParameters.add(name);
            return this;
        }

        /**
         * A body as given; adds (or replaces, keeping its place) the {@code Content-Type} header.
         *
         * @param contentType media type of the bytes, e.g. {@code multipart/form-data;boundary=...}
         * @param bytes       the body as sent
         * @param display     the body as a dry-run file shows it (a Jackson tree, a map of fields or text), or null
         * @return this
         */
        public Builder body(String contentType, byte[] bytes, Object display) {
            header("Content-Type", Objects.requireNonNull(contentType, "contentType"));
            this.body = Objects.requireNonNull(bytes, "bytes");
            this.displayBody = display;
            return this;
        }

        /**
         * A JSON body ({@code Content-Type: application/json}), shown as is in a dry-run file.
         *
         * @param json   the body
         * @param mapper serialises it
         * @return this
         * @throws PermanentDeliveryException (status 0) when the body cannot be serialised
         */
        public Builder json(JsonNode json, ObjectMapper mapper) {
            byte[] bytes;
            try {
                bytes = mapper.writeValueAsBytes(json);
            } catch (Exception e) {
                throw new PermanentDeliveryException(system + " " + operation + ": cannot serialise the request body",
                        0, null, e);
            }
            return body("application/json", bytes, json);
        }

        /**
         * An {@code application/x-www-form-urlencoded} body, encoded by {@link CrmUrls#formEncode}; a dry-run file
         * shows it as a JSON object of the fields, secret ones as {@value #MASK}.
         *
         * @param fields       form fields in order
         * @param secretFields names of fields whose values are secrets (e.g. {@code client_secret})
         * @return this
         */
        public Builder form(Map<String, String> fields, Set<String> secretFields) {
            Map<String, String> shown = new LinkedHashMap<>();
            fields.forEach((k, v) -> shown.put(k, secretFields.contains(k) ? MASK : v));
            return body("application/x-www-form-urlencoded",
                    CrmUrls.formEncode(fields).getBytes(StandardCharsets.UTF_8), shown);
        }

        /** @return the request */
        public OutboundRequest build() {
            String target = displayTarget;
            if (target == null) {
                target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            }
            return new OutboundRequest(system, purpose, operation, method, url, target, secretQueryParameters,
                    headers, shownHeaders, body, displayBody);
        }
    }
}
