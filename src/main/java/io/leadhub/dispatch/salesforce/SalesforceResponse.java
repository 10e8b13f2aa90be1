package io.leadhub.dispatch.salesforce;

/**
 * A Salesforce HTTP answer, fully read.
 *
 * @param status HTTP status code
 * @param body   response body as text, empty when there was none
 */
record SalesforceResponse(int status, String body) {

    /** @return true for 2xx */
    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
