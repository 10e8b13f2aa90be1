package io.leadhub.dispatch.hubspot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import org.springframework.http.HttpMethod;

/**
 * One HubSpot CRM v3 request as the connector sends it live or writes it in a dry run.
 *
 * @param purpose   dry-run file suffix: {@code search-phone}, {@code search-email}, {@code create}, {@code update}
 * @param operation human-readable operation for messages, e.g. {@code create contact}
 * @param method    HTTP method
 * @param path      request path below the base URL, already encoded, e.g. {@code /crm/v3/objects/contacts/151}
 * @param body      JSON body
 */
record HubSpotRequest(String purpose, String operation, HttpMethod method, String path, ObjectNode body) {

    /**
     * @param baseUrl the destination's base URL, with or without a trailing slash or path prefix
     * @return the absolute request URL
     */
    URI url(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    /** @return operation, method and path for messages, e.g. {@code create contact (POST /crm/v3/objects/contacts)} */
    String describe() {
        return "HubSpot " + operation + " (" + method.name() + " " + path + ")";
    }
}
