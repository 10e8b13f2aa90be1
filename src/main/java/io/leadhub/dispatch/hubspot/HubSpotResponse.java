package io.leadhub.dispatch.hubspot;

import org.springframework.http.HttpHeaders;

/**
 * A HubSpot response, fully read.
 *
 * @param status  HTTP status code
 * @param headers response headers (a copy)
 * @param body    response body as text, empty when there was none
 */
record HubSpotResponse(int status, HttpHeaders headers, String body) {

    /** @return true for 2xx */
    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
