package io.leadhub.dispatch.http;

import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * One HTTP request a connector sends live or writes as a dry-run file.
 *
 * @param system        the system addressed, for messages, e.g. {@code Perfex}, {@code custom REST}, {@code webhook}
 * @param purpose       short name of the request, used in dry-run file names, e.g. {@code search-1}, {@code create}
 * @param operation     human-readable operation for messages, e.g. {@code create lead}
 * @param method        HTTP method
 * @param url           absolute, already encoded request URL
 * @param displayTarget the request target as shown in messages and logs: path and query with the lead's phone
 *                      and e-mail masked, e.g. {@code /api/leads/search/%2B1404*****14}
 * @param headers       request headers (name → value) in sending order, including authentication
 * @param secretHeaders names of {@code headers} whose values are secrets: shown as {@code ****} in dry-run files
 * @param contentType   media type of {@code body}, or null when there is no body
 * @param body          the body bytes as sent, or null for none
 * @param displayBody   the body as shown in a dry-run file (a Jackson tree, a map of form fields or text), or null
 */
public record OutboundRequest(String system, String purpose, String operation, HttpMethod method, URI url,
                              String displayTarget, Map<String, String> headers, Set<String> secretHeaders,
                              String contentType, byte[] body, Object displayBody) {

    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        secretHeaders = secretHeaders == null ? Set.of() : Set.copyOf(secretHeaders);
    }

    /** @return e.g. {@code Perfex create lead (POST /api/leads)}: system, operation, method and masked target */
    public String describe() {
        return system + " " + operation + " (" + method.name() + " " + displayTarget + ")";
    }

    /**
     * @param name    header name
     * @param value   header value
     * @param secret  true when the value must not appear in dry-run files
     * @return a copy of this request with the header added (or replaced)
     */
    public OutboundRequest withHeader(String name, String value, boolean secret) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        Set<String> secrets = new HashSet<>(secretHeaders);
        if (secret) {
            secrets.add(name);
        }
        return new OutboundRequest(system, purpose, operation, method, url, displayTarget, copy, secrets, contentType,
                body, displayBody);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundRequest r && purpose.equals(r.purpose) && method.equals(r.method)
                && url.equals(r.url) && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(purpose, method, url, headers, Arrays.hashCode(body));
    }

    /** @return {@link #describe()}; never header values or the body */
    @Override
    public String toString() {
        return describe();
    }
}
