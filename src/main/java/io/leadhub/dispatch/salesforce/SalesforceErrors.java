package io.leadhub.dispatch.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.leadhub.dispatch.DeliveryException;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;

/**
 * Maps Salesforce error answers to {@link DeliveryException}s, following the REST API's status codes and error
 * responses (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm): the body
 * is a JSON array {@code [{"message":"...","errorCode":"...","fields":[...]}]}.
 *
 * <ul>
 *   <li>{@value #REQUEST_LIMIT_EXCEEDED} (403 when the org's API request limit is used up): transient, retried
 *       after {@link #REQUEST_LIMIT_WAIT} (capped by {@code leadhub.retry.max-delay-ms});</li>
 *   <li>{@value #UNABLE_TO_LOCK_ROW} (another transaction holds the record): transient;</li>
 *   <li>408, 429, 5xx and no answer at all (status 0): transient;</li>
 *   <li>every other 4xx (validation errors, missing fields, bad SOQL, 401 after the one re-login camel-salesforce
 *       makes, 400 from the token endpoint): permanent, with Salesforce's body verbatim.</li>
 * </ul>
 */
final class SalesforceErrors {

    /** The org's API request limit is exceeded (HTTP 403). */
    static final String REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED";
    /** A record is locked by another transaction; retrying later succeeds. */
    static final String UNABLE_TO_LOCK_ROW = "UNABLE_TO_LOCK_ROW";
    /** The error of the other subrequests when one subrequest of an {@code allOrNone} composite fails. */
    static final String PROCESSING_HALTED = "PROCESSING_HALTED";
    /** Wait asked for after {@value #REQUEST_LIMIT_EXCEEDED}: the limit is a rolling 24-hour window. */
    static final Duration REQUEST_LIMIT_WAIT = Duration.ofMinutes(1);

    /** Longest Salesforce message kept in an exception message. */
    private static final int MAX_MESSAGE_CHARS = 300;

    private SalesforceErrors() {
    }

    /**
     * @param what    the failed request, e.g. {@code Salesforce query lead by phone (GET /services/data/v56.0/query)}
     * @param status  HTTP status of the answer
     * @param body    the answer's body, verbatim (may be empty)
     * @param mapper  JSON reader
     * @param maskPii masks personal data in Salesforce's messages
     * @return {@link TransientDeliveryException} or {@link PermanentDeliveryException} (see the class comment); the
     *         message names the request, status, first error code and (masked) message; the body is kept verbatim
     */
    static DeliveryException toException(String what, int status, String body, ObjectMapper mapper,
                                         UnaryOperator<String> maskPii) {
        List<JsonNode> errors = errors(body, mapper);
        String detail = detail(errors, maskPii);
        if (status == 401 && detail.isEmpty()) {
            // camel-salesforce re-logged in once already and does not pass the second 401's body on
            detail = "session refused again after a re-login";
        }
        String message = what + ": HTTP " + status + (detail.isEmpty() ? "" : " " + detail);
        if (hasCode(errors, REQUEST_LIMIT_EXCEEDED)) {
            return new TransientDeliveryException(message, status, body, REQUEST_LIMIT_WAIT, null);
        }
        if (hasCode(errors, UNABLE_TO_LOCK_ROW) || status == 408 || status == 429 || status >= 500 || status == 0) {
            return new TransientDeliveryException(message, status, body, null, null);
        }
        return new PermanentDeliveryException(message, status, body, null);
    }

    /**
     * Maps a failure camel-salesforce reported as an exception (its answer to a failed query, a failed token
     * request, or a request that got no answer).
     *
     * @param what    the failed request
     * @param e       camel-salesforce's exception
     * @param mapper  JSON reader/writer
     * @param maskPii masks personal data
     * @return as {@link #toException(String, int, String, ObjectMapper, UnaryOperator)}; status 0 (no answer,
     *         e.g. connection refused or timeout) is transient. camel-salesforce's exception is not attached as the
     *         cause: its message carries the unmasked body and request URL (with the SOQL's phone or e-mail)
     */
    static DeliveryException fromCamel(String what, SalesforceException e, ObjectMapper mapper,
                                       UnaryOperator<String> maskPii) {
        int status = e.getStatusCode();
        if (status == 0) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String reason = cause.getClass().getSimpleName()
                    + (cause.getMessage() != null ? ": " + maskPii.apply(cause.getMessage()) : "");
            return new TransientDeliveryException(what + ": no response (" + reason + ")", 0, null, null, null);
        }
        return toException(what, status, body(e, mapper), mapper, maskPii);
    }

    /**
     * @param body   a Salesforce error body: a JSON array of {@code {errorCode, message, fields}}, a single such
     *               object, or the token endpoint's {@code {error, error_description}}
     * @param mapper JSON reader
     * @return the errors as objects with {@code errorCode} and {@code message} (empty when the body is none of these)
     */
    static List<JsonNode> errors(String body, ObjectMapper mapper) {
        List<JsonNode> errors = new ArrayList<>();
        JsonNode json = readJson(body, mapper);
        if (json == null) {
            return errors;
        }
        if (json.isArray()) {
            json.forEach(e -> {
                if (e.isObject()) {
                    errors.add(e);
                }
            });
        } else if (json.isObject() && json.has("errorCode")) {
            errors.add(json);
        } else if (json.isObject() && json.has("error")) {
            errors.add(mapper.createObjectNode().put("errorCode", json.path("error").asText())
                    .put("message", json.path("error_description").asText("")));
        }
        return errors;
    }

    /**
     * @param errors errors as read by {@link #errors}
     * @return true when there is at least one and all are {@value #PROCESSING_HALTED} (a subrequest that failed only
     *         because another one did)
     */
    static boolean onlyHalted(List<JsonNode> errors) {
        return !errors.isEmpty() && errors.stream().allMatch(e -> PROCESSING_HALTED.equals(e.path("errorCode").asText()));
    }

    private static boolean hasCode(List<JsonNode> errors, String code) {
        return errors.stream().anyMatch(e -> code.equals(e.path("errorCode").asText()));
    }

    private static String detail(List<JsonNode> errors, UnaryOperator<String> maskPii) {
        if (errors.isEmpty()) {
            return "";
        }
        JsonNode first = errors.get(0);
        String code = first.path("errorCode").asText("");
        String message = maskPii.apply(first.path("message").asText(""));
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        String detail = code + (code.isEmpty() || message.isEmpty() ? "" : ": ") + message;
        return errors.size() > 1 ? detail + " (+" + (errors.size() - 1) + " more)" : detail;
    }

    /**
     * @param e      camel-salesforce's exception for an HTTP error
     * @param mapper JSON writer
     * @return the body camel-salesforce read, else its parsed errors written back as Salesforce's JSON array
     *         {@code [{"errorCode","message","fields"}]}, else null
     */
    static String body(SalesforceException e, ObjectMapper mapper) {
        InputStream content = e.getResponseContent();
        if (content != null) {
            try {
                content.reset();
            } catch (IOException ignored) {
                // a stream that cannot be reset is read from where it is
            }
            try {
                String text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                    return text;
                }
            } catch (IOException ignored) {
                // fall back to the parsed errors
            }
        }
        if (e.getErrors().isEmpty()) {
            return null;
        }
        ArrayNode array = mapper.createArrayNode();
        for (RestError error : e.getErrors()) {
            var node = array.addObject().put("errorCode", error.getErrorCode()).put("message", error.getMessage());
            if (error.getFields() != null) {
                error.getFields().forEach(node.putArray("fields")::add);
            }
        }
        return array.toString();
    }

    private static JsonNode readJson(String body, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
