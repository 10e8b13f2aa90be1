package io.leadhub.dispatch.crmhttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.http.CrmUrls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;

/**
 * One HTTP request a CRM connector sends live, or writes as a file in a dry run. Immutable.
 *
 * <p>The request knows which of its parts are secret (an {@code Authorization} value, an {@code api_token} query
 * parameter, a {@code client_secret} form field), so that {@link #describe()} (used in exception messages and logs)
 * never contains them and {@link #toDryRunJson(ObjectMapper)} shows them as {@code ****}.
 */
public final class CrmRequest {

    /** Text shown instead of a secret. */
    public static final String MASK = "****";

    private final String crm;
    private final String purpose;
    private final String operation;
    private final HttpMethod method;
    private final URI url;
    private final Set<String> secretQueryParameters;
    private final Map<String, String> headers;
    private final Map<String, String> shownHeaders;
    private final JsonNode jsonBody;
    private final Map<String, String> formBody;
    private final Set<String> secretFormFields;

    private CrmRequest(Builder b) {
        this.crm = b.crm;
        this.purpose = b.purpose;
        this.operation = b.operation;
        this.method = b.method;
        this.url = b.url;
        this.secretQueryParameters = Set.copyOf(b.secretQueryParameters);
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.shownHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.shownHeaders));
        this.jsonBody = b.jsonBody;
        this.formBody = b.formBody == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.formBody));
        this.secretFormFields = Set.copyOf(b.secretFormFields);
    }

    /**
     * @param crm       the CRM's display name, e.g. {@code Pipedrive}; starts every {@link #describe()}
     * @param purpose   short name of the step, used as dry-run file suffix, e.g. {@code create-person}
     * @param operation what the request does, for messages, e.g. {@code create person}
     * @param method    HTTP method
     * @param url       absolute, already encoded URL (query parameters included)
     * @return a builder
     */
    public static Builder builder(String crm, String purpose, String operation, HttpMethod method, URI url) {
        return new Builder(crm, purpose, operation, method, url);
    }

    /** @return the CRM's display name */
    public String crm() {
        return crm;
    }

    /** @return dry-run file suffix, e.g. {@code create-person} */
    public String purpose() {
        return purpose;
    }

    /** @return HTTP method */
    public HttpMethod method() {
        return method;
    }

    /** @return the absolute URL as sent, secret query parameters included: never log it */
    public URI url() {
        return url;
    }

    /** @return request headers as sent (secrets included): never log them */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the JSON body, or null (form body or no body) */
    public JsonNode jsonBody() {
        return jsonBody;
    }

    /** @return the form fields ({@code application/x-www-form-urlencoded}), or null */
    public Map<String, String> formBody() {
        return formBody;
    }

    /**
     * @param mapper JSON writer
     * @return the body bytes as sent: JSON, or the form fields URL-encoded; an empty array without a body
     * @throws IllegalStateException when the JSON body cannot be serialised
     */
    public byte[] bodyBytes(ObjectMapper mapper) {
        if (jsonBody != null) {
            try {
                return mapper.writeValueAsBytes(jsonBody);
            } catch (Exception e) {
                throw new IllegalStateException(describe() + ": cannot serialise the request body", e);
            }
        }
        if (formBody != null) {
            return CrmUrls.formEncode(formBody).getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    /** @return the URL with every secret query parameter's value replaced by {@value #MASK} */
    public String shownUrl() {
        String query = url.getRawQuery();
        if (query == null || secretQueryParameters.isEmpty()) {
            return url.toString();
        }
        String masked = java.util.Arrays.stream(query.split("&")).map(pair -> {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            return secretQueryParameters.contains(name) ? name + "=" + MASK : pair;
        }).collect(Collectors.joining("&"));
        String text = url.toString();
        return text.substring(0, text.indexOf('?') + 1) + masked;
    }

    /**
     * @return {@code "<crm> <operation> (<METHOD> <path>)"}, e.g. {@code Pipedrive create person (POST /v1/persons)};
     *         the query string is left out, so tokens sent as query parameters never appear
     */
    public String describe() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return crm + " " + operation + " (" + method.name() + " " + path + ")";
    }

    /**
     * @param mapper JSON factory
     * @return the dry-run file content: {@code {"method", "url", "headers", "body"}} with every secret shown as
     *         {@value #MASK}; a form body is shown as a JSON object of its fields
     */
    public ObjectNode toDryRunJson(ObjectMapper mapper) {
        ObjectNode file = mapper.createObjectNode();
        file.put("method", method.name());
        file.put("url", shownUrl());
        ObjectNode h = file.putObject("headers");
        shownHeaders.forEach(h::put);
        if (jsonBody != null) {
            file.set("body", jsonBody);
        } else if (formBody != null) {
            ObjectNode form = file.putObject("body");
            formBody.forEach((k, v) -> form.put(k, secretFormFields.contains(k) ? MASK : v));
        }
        return file;
    }

    /** @return {@link #describe()}: never the URL's query, the headers or the body */
    @Override
    public String toString() {
        return describe();
    }

    /** Builds a {@link CrmRequest}. */
    public static final class Builder {
        private final String crm;
        private final String purpose;
        private final String operation;
        private final HttpMethod method;
        private final URI url;
        private final Set<String> secretQueryParameters = new LinkedHashSet<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> shownHeaders = new LinkedHashMap<>();
        private JsonNode jsonBody;
        private Map<String, String> formBody;
        private final Set<String> secretFormFields = new LinkedHashSet<>();

        private Builder(String crm, String purpose, String operation, HttpMethod method, URI url) {
            this.crm = Objects.requireNonNull(crm, "crm");
            this.purpose = Objects.requireNonNull(purpose, "purpose");
            this.operation = Objects.requireNonNull(operation, "operation");
            this.method = Objects.requireNonNull(method, "method");
            this.url = Objects.requireNonNull(url, "url");
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
         * @param body JSON body ({@code Content-Type} is not set here: add the header)
         * @return this
         */
        public Builder json(JsonNode body) {
            this.jsonBody = body;
            return this;
        }

        /**
         * @param fields       form fields in order ({@code application/x-www-form-urlencoded})
         * @param secretFields names of fields whose values are secrets (e.g. {@code client_secret})
         * @return this
         */
        public Builder form(Map<String, String> fields, Set<String> secretFields) {
            this.formBody = new LinkedHashMap<>(fields);
            this.secretFormFields.addAll(secretFields);
            return this;
        }

        /** @return the request */
        public CrmRequest build() {
            return new CrmRequest(this);
        }
    }
}
