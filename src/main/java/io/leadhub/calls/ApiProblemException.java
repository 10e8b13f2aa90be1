package io.leadhub.calls;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request to one of the hub's own APIs ({@code /api/**}) that failed, answered as {@code application/problem+json}
 * (RFC 9457) by the {@code api-errors} route configuration.
 */
public class ApiProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;
    private final Map<String, Object> extensions;

    /**
     * @param status     HTTP status: 400 (invalid request), 401 (credentials), 404 (tenant), 502 (provider failed)
     * @param title      short, fixed summary
     * @param detail     what exactly is wrong, naming the field; never secrets, phone numbers masked
     * @param field      JSON field, header or tenant-file key at fault, or null
     * @param extensions further problem members (e.g. the provider's error code), in order; may be empty
     */
    public ApiProblemException(int status, String title, String detail, String field, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * @param field  the invalid JSON field
     * @param detail what is wrong with it
     * @return a 400 naming the field
     */
    public static ApiProblemException invalidField(String field, String detail) {
        return new ApiProblemException(400, "Invalid request", detail, field, Map.of());
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the problem title */
    public String title() {
        return title;
    }

    /** @return the field at fault, or null */
    public String field() {
        return field;
    }

    /** @return extra problem members */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
