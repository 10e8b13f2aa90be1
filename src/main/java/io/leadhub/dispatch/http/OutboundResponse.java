package io.leadhub.dispatch.http;

import org.springframework.http.HttpHeaders;

/**
 * An HTTP answer, fully read.
 *
 * @param status  HTTP status code
 * @param headers response headers (a copy; names case-insensitive)
 * @param body    response body as UTF-8 text, empty when there was none
 */
public record OutboundResponse(int status, HttpHeaders headers, String body) {

    /** @return true for 2xx */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /**
     * @param name header name (any case)
     * @return its first value, or null
     */
    public String header(String name) {
        return headers.getFirst(name);
    }
}
