package io.leadhub.dispatch.salesforce;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Salesforce REST request as the connector sends it through camel-salesforce or writes it in a dry run.
 *
 * @param purpose   dry-run file suffix: {@code query-phone}, {@code query-email} or {@code composite}
 * @param operation human-readable operation for messages, e.g. {@code upsert lead and task}
 * @param method    HTTP method, {@code GET} or {@code POST}
 * @param path      path below the instance URL as camel-salesforce sends it, e.g.
 *                  {@code /services/data/v56.0/composite}; for a query the path without its {@code ?q=} part
 * @param soql      the SOQL text of a query (sent URL-encoded as {@code ?q=}), else null
 * @param body      JSON body of a composite request, else null
 */
record SalesforceRequest(String purpose, String operation, String method, String path, String soql, ObjectNode body) {

    /** @return operation, method and path for messages, e.g. {@code Salesforce query lead by phone (GET /services/data/v56.0/query)} */
    String describe() {
        return "Salesforce " + operation + " (" + method + " " + path + ")";
    }
}
