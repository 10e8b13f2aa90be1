package io.leadhub.contact;

import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.net.URI;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant API for voice agents and CRMs: contact lookup by phone and the call context injected before a call.
 *
 * <p>Every request names its tenant in the path and carries one of the tenant file's {@code api_keys} in header
 * {@value #API_KEY_HEADER} (compared in constant time). Errors are {@code application/problem+json} with a
 * {@code field} property: 404 unknown tenant ({@code tenant}), 401 missing or wrong key ({@code X-API-Key}), 400 bad
 * phone ({@code phone}), 404 unknown contact ({@code phone} or {@code id}).
 */
@RestController
@RequestMapping(path = "/api/tenants/{tenant}/contacts")
public class ContactApiController {

    /** The header carrying the tenant's API key. */
    public static final String API_KEY_HEADER = "X-API-Key";

    private static final int INTERACTIONS = 10;
    private static final int CALLS = 5;

    private final TenantRegistry tenants;
    private final PhoneNormalizer phones;
    private final JdbcTemplate jdbc;
    private final ContactCalls calls;

    /**
     * @param tenants loaded tenants (API keys, phone region)
     * @param phones  phone normaliser (E.164)
     * @param jdbc    the hub database (contact index, deliveries)
     * @param calls   the call history
     */
    public ContactApiController(TenantRegistry tenants, PhoneNormalizer phones, JdbcTemplate jdbc, ContactCalls calls) {
        this.tenants = tenants;
        this.phones = phones;
        this.jdbc = jdbc;
        this.calls = calls;
    }

    /**
     * {@code GET /api/tenants/{tenant}/contacts/lookup?phone=...}: the contact with this phone number.
     *
     * @param tenant tenant id
     * @param apiKey header {@value #API_KEY_HEADER}
     * @param phone  the phone number, E.164 or national in the tenant's {@code default_region}
     * @return JSON {@code {contact: {id, phone, email, firstName, lastName, interactions, createdAt, updatedAt},
     *         crmIds: {destinationId: recordId}, lastInteractions: [{eventId, destinationId, attempt, outcome,
     *         httpStatus, crmRecordId, at}] (newest first, at most 10), latestAnalysis: {ai map} or null,
     *         scheduledCalls: [{dueAt, trigger, eventId}] (follow-up calls booked by workflow triggers, soonest
     *         first, at most 10)}}
     * @throws ErrorResponseException 404 tenant, 401 key, 400 phone, 404 contact
     */
    @GetMapping(path = "/lookup", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> lookup(@PathVariable String tenant,
                                      @RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
                                      @RequestParam(required = false) String phone) {
        TenantConfig config = authenticate(tenant, apiKey);
        if (phone == null || phone.isBlank()) {
            throw problem(HttpStatus.BAD_REQUEST, "phone", "query parameter phone is required");
        }
        String e164 = phones.toE164(phone, config.defaultRegion()).orElseThrow(() ->
                problem(HttpStatus.BAD_REQUEST, "phone", "phone is not a valid phone number"));
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM contacts WHERE tenant = ? AND phone_e164 = ?"
                + " ORDER BY created_at FETCH FIRST 1 ROWS ONLY", tenant, e164);
        if (rows.isEmpty()) {
            throw problem(HttpStatus.NOT_FOUND, "phone", "no contact with this phone number");
        }
        Map<String, Object> contact = contact(rows.get(0));
        String id = (String) contact.get("id");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contact", contact);
        out.put("crmIds", crmIds(id));
        out.put("lastInteractions", interactions(id));
        List<ContactCalls.Call> latest = calls.latest(id, 1);
        out.put("latestAnalysis", latest.isEmpty() ? null : latest.get(0).ai());
        out.put("scheduledCalls", scheduledCalls(tenant, id));
        return out;
    }

    /**
     * {@code GET /api/tenants/{tenant}/contacts/{id}/context}: what a voice agent needs before calling the contact,
     * as JSON (default) or as ready text ({@code ?format=text} or {@code Accept: text/plain}).
     *
     * @param tenant tenant id
     * @param id     contact index id
     * @param apiKey header {@value #API_KEY_HEADER}
     * @param format {@code json} (default) or {@code text}
     * @param accept the Accept header
     * @return JSON {@link CallContext#toMap()} or {@code text/plain} {@link CallContext#text()}
     * @throws ErrorResponseException 404 tenant, 401 key, 404 contact, 400 format
     */
    @GetMapping(path = "/{id}/context", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    public ResponseEntity<?> context(@PathVariable String tenant, @PathVariable String id,
                                     @RequestHeader(name = API_KEY_HEADER, required = false) String apiKey,
                                     @RequestParam(required = false) String format,
                                     @RequestHeader(name = "Accept", required = false) String accept) {
        authenticate(tenant, apiKey);
        if (format != null && !"json".equals(format) && !"text".equals(format)) {
            throw problem(HttpStatus.BAD_REQUEST, "format", "format must be json or text");
        }
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM contacts WHERE tenant = ? AND id = ?",
                tenant, id);
        if (rows.isEmpty()) {
            throw problem(HttpStatus.NOT_FOUND, "id", "no contact " + id);
        }
        CallContext context = CallContext.of(contact(rows.get(0)), calls.latest(id, CALLS));
        boolean text = "text".equals(format) || (format == null && accept != null
                && accept.contains(MediaType.TEXT_PLAIN_VALUE) && !accept.contains(MediaType.APPLICATION_JSON_VALUE));
        if (text) {
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
                    .body(context.text());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(context.toMap());
    }

    /**
     * Renders the API's problems as problem+json.
     *
     * @param e the error
     * @return the problem response
     */
    @ExceptionHandler(ErrorResponseException.class)
    public ResponseEntity<ProblemDetail> onProblem(ErrorResponseException e) {
        return ResponseEntity.status(e.getStatusCode()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(e.getBody());
    }

    private TenantConfig authenticate(String tenant, String apiKey) {
        TenantConfig config = tenants.find(tenant).orElseThrow(() ->
                problem(HttpStatus.NOT_FOUND, "tenant", "no tenant " + tenant));
        if (!config.acceptsApiKey(apiKey)) {
            throw problem(HttpStatus.UNAUTHORIZED, API_KEY_HEADER, apiKey == null
                    ? "header " + API_KEY_HEADER + " is required" : "the API key is not valid for this tenant");
        }
        return config;
    }

    private static Map<String, Object> contact(Map<String, Object> row) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", value(row, "id"));
        c.put("phone", value(row, "phone_e164"));
        c.put("email", value(row, "email"));
        c.put("firstName", value(row, "first_name"));
        c.put("lastName", value(row, "last_name"));
        c.put("interactions", value(row, "interactions"));
        c.put("createdAt", value(row, "created_at"));
        c.put("updatedAt", value(row, "updated_at"));
        return c;
    }

    /** Column lookup tolerant of the database's identifier case (H2 upper, PostgreSQL lower). */
    private static Object value(Map<String, Object> row, String column) {
        Object v = row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase(java.util.Locale.ROOT));
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.time.OffsetDateTime t) {
            return t.toInstant().toString();
        }
        return v;
    }

    private Map<String, String> crmIds(String contactId) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.query("SELECT destination_id, crm_record_id FROM contact_crm_ids WHERE contact_id = ? ORDER BY destination_id",
                rs -> {
                    out.put(rs.getString(1), rs.getString(2));
                }, contactId);
        return out;
    }

    private List<Map<String, Object>> scheduledCalls(String tenant, String contactId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("SELECT due_at, trigger_name, event_id FROM scheduled_calls"
                + " WHERE tenant = ? AND contact_id = ? ORDER BY due_at, id FETCH FIRST " + INTERACTIONS + " ROWS ONLY",
                tenant, contactId)) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("dueAt", value(row, "due_at"));
            c.put("trigger", value(row, "trigger_name"));
            c.put("eventId", value(row, "event_id"));
            out.add(c);
        }
        return out;
    }

    private List<Map<String, Object>> interactions(String contactId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("SELECT event_id, destination_id, attempt, outcome, http_status,"
                + " crm_record_id, created_at FROM deliveries WHERE contact_id = ? ORDER BY created_at DESC, id DESC"
                + " FETCH FIRST " + INTERACTIONS + " ROWS ONLY", contactId)) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("eventId", value(row, "event_id"));
            i.put("destinationId", value(row, "destination_id"));
            i.put("attempt", value(row, "attempt"));
            i.put("outcome", value(row, "outcome"));
            i.put("httpStatus", value(row, "http_status"));
            i.put("crmRecordId", value(row, "crm_record_id"));
            i.put("at", value(row, "created_at"));
            out.add(i);
        }
        return out;
    }

    private static ErrorResponseException problem(HttpStatus status, String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        problem.setProperty("field", field);
        return new ErrorResponseException(status, problem, null);
    }
}
