package io.leadhub.dispatch.customrest;

import com.jayway.jsonpath.JsonPath;
import java.util.Map;
import org.springframework.http.HttpMethod;

/**
 * One configured request of a REST destination ({@code search[]}, {@code create}, {@code update}).
 *
 * @param key    tenant-file key for messages, e.g. {@code search[1]}, {@code create}
 * @param method HTTP method
 * @param path   path below {@code base_url}, with {@code {placeholders}}
 * @param idPath JSONPath of the record id in the answer (e.g. {@code $.data[0].id}), or null
 * @param body   for a search: a JSON body template whose string values may contain {@code {placeholders}};
 *               null = no body
 */
public record RestEndpoint(String key, HttpMethod method, PathTemplate path, JsonPath idPath, Map<String, Object> body) {

    /** @return e.g. {@code GET /leads?phone={phone}} */
    @Override
    public String toString() {
        return method.name() + " " + path;
    }
}
