package io.leadhub.ops;

import io.leadhub.deadletter.DeadLetterService;
import io.leadhub.dispatch.DeliveryPreview;
import io.leadhub.enrich.LeadEnrichment;
import io.leadhub.event.EnrichedLead;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.callrail.CallRailWebhookParser;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' API under {@code /admin} (JSON; errors as {@code application/problem+json} naming the field;
 * lists paged with {@code page} (0-based) and {@code size} (1-500, default 50)).
 *
 * <ul>
 *   <li>{@code GET /admin/dead-letters?tenant&destination&status&from&to&error} — list (newest first)</li>
 *   <li>{@code GET /admin/dead-letters/{id}} — one, with the stored event</li>
 *   <li>{@code POST /admin/dead-letters/{id}/replay} — replay one through the normal path</li>
 *   <li>{@code POST /admin/dead-letters/replay?tenant&destination&from&to&error} — replay every open match</li>
 *   <li>{@code POST /admin/dead-letters/{id}/discard} {@code {"reason": "..."}} — discard with a reason</li>
 *   <li>{@code GET /admin/deliveries?tenant&destination&phone&email&crmRecordId&eventId} — delivery attempts</li>
 *   <li>{@code GET /admin/workflow-actions?tenant&status&action&trigger&eventId} — workflow-trigger actions</li>
 *   <li>{@code GET /admin/tenants}, {@code GET /admin/tenants/{tenant}} — file, last load, error, routes, lag</li>
 *   <li>{@code POST /admin/tenants/reload} — re-read the tenant files now</li>
 *   <li>{@code POST /admin/tenants/{tenant}/preview?source=callrail} with a webhook body — the enriched lead and the
 *       exact request each destination would receive, nothing sent or stored</li>
 * </ul>
 * Times are ISO-8601 instants ({@code 2026-11-21T10:00:00Z}).
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminController {

    private final DeadLetterService deadLetters;
    private final TenantStatus tenantStatus;
    private final TenantRegistry tenants;
    private final CallRailWebhookParser callRailParser;
    private final LeadEnrichment enrichment;
    private final DeliveryPreview preview;
    private final io.leadhub.enrich.PhoneNormalizer phones;
    private final JdbcTemplate jdbc;

    /**
     * @param deadLetters    dead letter operations
     * @param tenantStatus   per-tenant status
     * @param tenants        tenant files
     * @param callRailParser CallRail payload parser (preview)
     * @param enrichment     enrichment steps (preview, read-only)
     * @param preview        destination dry runs (preview)
     * @param phones         phone normaliser (delivery search)
     * @param jdbc           the hub's database
     */
    public AdminController(DeadLetterService deadLetters, TenantStatus tenantStatus, TenantRegistry tenants,
                           CallRailWebhookParser callRailParser, LeadEnrichment enrichment, DeliveryPreview preview,
                           io.leadhub.enrich.PhoneNormalizer phones, JdbcTemplate jdbc) {
        this.deadLetters = deadLetters;
        this.tenantStatus = tenantStatus;
        this.tenants = tenants;
        this.callRailParser = callRailParser;
        this.enrichment = enrichment;
        this.preview = preview;
        this.phones = phones;
        this.jdbc = jdbc;
    }

    /**
     * @return a page of dead letters
     */
    @GetMapping("/dead-letters")
    public DeadLetterService.Page listDeadLetters(@RequestParam(required = false) String tenant,
                                                  @RequestParam(required = false) String destination,
                                                  @RequestParam(required = false) String status,
                                                  @RequestParam(required = false) String from,
                                                  @RequestParam(required = false) String to,
                                                  @RequestParam(required = false) String error,
                                                  @RequestParam(defaultValue = "0") int page,
                                                  @RequestParam(defaultValue = "50") int size) {
        checkPage(page, size);
        if (status != null && !List.of("open", "replayed", "discarded").contains(status)) {
            throw problem(HttpStatus.BAD_REQUEST, "status", "status must be open, replayed or discarded");
        }
        return deadLetters.list(new DeadLetterService.Filter(tenant, destination, status, instant("from", from),
                instant("to", to), error), page, size);
    }

    /**
     * @param id dead letter id
     * @return the dead letter with its event
     */
    @GetMapping("/dead-letters/{id}")
    public Map<String, Object> deadLetter(@PathVariable long id) {
        return deadLetters.get(id).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "id", "no dead letter " + id));
    }

    /**
     * @param id dead letter id
     * @return 202 {@code {"replayed": 1}}
     */
    @PostMapping("/dead-letters/{id}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable long id) {
        Map<String, Object> row = deadLetter(id);
        if (!"open".equals(row.get("status"))) {
            throw problem(HttpStatus.CONFLICT, "status", "dead letter " + id + " is " + row.get("status") + ", not open");
        }
        boolean replayed = deadLetters.replay(id);
        return ResponseEntity.accepted().body(Map.of("replayed", replayed ? 1 : 0));
    }

    /**
     * @return 202 {@code {"replayed": n}}
     */
    @PostMapping("/dead-letters/replay")
    public ResponseEntity<Map<String, Object>> replayMatching(@RequestParam(required = false) String tenant,
                                                              @RequestParam(required = false) String destination,
                                                              @RequestParam(required = false) String from,
                                                              @RequestParam(required = false) String to,
                                                              @RequestParam(required = false) String error) {
        int replayed = deadLetters.replayMatching(new DeadLetterService.Filter(tenant, destination, "open",
                instant("from", from), instant("to", to), error));
        return ResponseEntity.accepted().body(Map.of("replayed", replayed));
    }

    /**
     * @param id   dead letter id
     * @param body {@code {"reason": "..."}}
     * @return {@code {"discarded": 1}}
     */
    @PostMapping(path = "/dead-letters/{id}/discard", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> discard(@PathVariable long id, @RequestBody(required = false) Map<String, Object> body) {
        Object reason = body == null ? null : body.get("reason");
        if (!(reason instanceof String text) || text.isBlank()) {
            throw problem(HttpStatus.BAD_REQUEST, "reason", "a non-empty 'reason' is required to discard a dead letter");
        }
        Map<String, Object> row = deadLetter(id);
        if (!"open".equals(row.get("status"))) {
            throw problem(HttpStatus.CONFLICT, "status", "dead letter " + id + " is " + row.get("status") + ", not open");
        }
        return Map.of("discarded", deadLetters.discard(id, text) ? 1 : 0);
    }

    /**
     * @return a page of delivery attempts, newest first
     */
    @GetMapping("/deliveries")
    public DeadLetterService.Page deliveries(@RequestParam(required = false) String tenant,
                                             @RequestParam(required = false) String destination,
                                             @RequestParam(required = false) String phone,
                                             @RequestParam(required = false) String email,
                                             @RequestParam(required = false) String crmRecordId,
                                             @RequestParam(required = false) String eventId,
                                             @RequestParam(defaultValue = "0") int page,
                                             @RequestParam(defaultValue = "50") int size) {
        checkPage(page, size);
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        if (tenant != null) {
            where.append(" AND d.tenant = ?");
            args.add(tenant);
        }
        if (destination != null) {
            where.append(" AND d.destination_id = ?");
            args.add(destination);
        }
        if (crmRecordId != null) {
            where.append(" AND d.crm_record_id = ?");
            args.add(crmRecordId);
        }
        if (eventId != null) {
            where.append(" AND d.event_id = ?");
            args.add(eventId);
        }
        if (phone != null) {
            String region = tenant == null ? "US" : tenants.find(tenant).map(TenantConfig::defaultRegion).orElse("US");
            String e164 = phones.toE164(phone, region).orElseThrow(() ->
                    problem(HttpStatus.BAD_REQUEST, "phone", "phone is not a valid phone number"));
            where.append(" AND c.phone_e164 = ?");
            args.add(e164);
        }
        if (email != null) {
            where.append(" AND c.email = ?");
            args.add(email.trim().toLowerCase());
        }
        String from = " FROM deliveries d LEFT JOIN contacts c ON c.id = d.contact_id";
        Long total = jdbc.queryForObject("SELECT COUNT(*)" + from + where, Long.class, args.toArray());
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT d.id, d.tenant, d.destination_id, d.event_id, "
                + "d.contact_id, d.attempt, d.outcome, d.http_status, d.crm_record_id, d.error, d.duration_ms, d.created_at"
                + from + where + " ORDER BY d.id DESC LIMIT " + size + " OFFSET " + ((long) page * size), args.toArray());
        return new DeadLetterService.Page(rows.stream().map(AdminController::lowerKeys).toList(), page, size,
                total == null ? 0 : total);
    }

    /**
     * Workflow-trigger actions (table {@code workflow_actions}), newest first: what ran, what failed and why, what
     * waits for the end of quiet hours. The stored message of a deferred SMS is not shown (it holds the lead's number).
     *
     * @param status {@code pending}, {@code sending}, {@code done}, {@code failed}, {@code skipped} or
     *               {@code deferred}
     * @return a page of rows {@code {tenant, event_id, trigger_name, action, status, detail, due_at, created_at,
     *         updated_at}}
     * @throws ErrorResponseException 400 (problem+json naming the field) for an unknown status or a bad page
     */
    @GetMapping("/workflow-actions")
    public DeadLetterService.Page workflowActions(@RequestParam(required = false) String tenant,
                                                  @RequestParam(required = false) String status,
                                                  @RequestParam(required = false) String action,
                                                  @RequestParam(required = false) String trigger,
                                                  @RequestParam(required = false) String eventId,
                                                  @RequestParam(defaultValue = "0") int page,
                                                  @RequestParam(defaultValue = "50") int size) {
        checkPage(page, size);
        if (status != null && !List.of("pending", "sending", "done", "failed", "skipped", "deferred").contains(status)) {
            throw problem(HttpStatus.BAD_REQUEST, "status",
                    "status must be pending, sending, done, failed, skipped or deferred");
        }
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        String[][] filters = {{"tenant", tenant}, {"status", status}, {"action", action}, {"trigger_name", trigger},
                {"event_id", eventId}};
        for (String[] f : filters) {
            if (f[1] != null) {
                where.append(" AND ").append(f[0]).append(" = ?");
                args.add(f[1]);
            }
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM workflow_actions" + where, Long.class, args.toArray());
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT tenant, event_id, trigger_name, action, status, "
                + "detail, due_at, created_at, updated_at FROM workflow_actions" + where
                + " ORDER BY updated_at DESC, event_id, trigger_name, action LIMIT " + size + " OFFSET "
                + ((long) page * size), args.toArray());
        return new DeadLetterService.Page(rows.stream().map(AdminController::lowerKeys).toList(), page, size,
                total == null ? 0 : total);
    }

    /** @return every tenant file's status */
    @GetMapping("/tenants")
    public List<Map<String, Object>> tenants() {
        return tenantStatus.all();
    }

    /**
     * @param tenant tenant id
     * @return its status
     */
    @GetMapping("/tenants/{tenant}")
    public Map<String, Object> tenant(@PathVariable String tenant) {
        return tenantStatus.one(tenant).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "tenant", "no tenant " + tenant));
    }

    /** @return every tenant file's status after re-reading the folder */
    @PostMapping("/tenants/reload")
    public List<Map<String, Object>> reload() {
        tenants.reload();
        return tenantStatus.all();
    }

    /**
     * @param tenant tenant id
     * @param source webhook source of the body (only {@code callrail} so far)
     * @param event  the source's event kind parameter, as on the webhook URL
     * @param body   a webhook body
     * @return {@code {"lead","call","ai","analysisReasons","destinations":[{id,type,enabled,properties,requests|error}]}}
     */
    @PostMapping(path = "/tenants/{tenant}/preview")
    public Map<String, Object> preview(@PathVariable String tenant, @RequestParam(defaultValue = "callrail") String source,
                                       @RequestParam(required = false) String event, @RequestBody String body) {
        TenantConfig config = tenants.find(tenant).orElseThrow(() ->
                problem(HttpStatus.NOT_FOUND, "tenant", "no tenant " + tenant));
        if (!"callrail".equals(source)) {
            throw problem(HttpStatus.BAD_REQUEST, "source", "preview supports source=callrail");
        }
        InboundEvent parsed;
        try {
            parsed = callRailParser.parse(config, body, event);
        } catch (WebhookRejectedException e) {
            throw problem(HttpStatus.BAD_REQUEST, e.field(), e.getMessage());
        }
        EnrichedLead lead = enrichment.preview(parsed);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lead", lead.lead());
        out.put("call", lead.call());
        out.put("ai", lead.ai());
        out.put("analysisReasons", lead.analysisReasons());
        out.put("destinations", preview.preview(config, lead));
        return out;
    }

    /**
     * Renders our problems (and Spring's) as problem+json.
     *
     * @param e the error
     * @return the problem
     */
    @ExceptionHandler(ErrorResponseException.class)
    public ResponseEntity<ProblemDetail> onProblem(ErrorResponseException e) {
        return ResponseEntity.status(e.getStatusCode()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(e.getBody());
    }

    private static void checkPage(int page, int size) {
        if (page < 0) {
            throw problem(HttpStatus.BAD_REQUEST, "page", "page must be 0 or more");
        }
        if (size < 1 || size > 500) {
            throw problem(HttpStatus.BAD_REQUEST, "size", "size must be between 1 and 500");
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw problem(HttpStatus.BAD_REQUEST, field, field + " must be an ISO-8601 instant such as 2026-11-21T10:00:00Z");
        }
    }

    static ErrorResponseException problem(HttpStatus status, String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        if (field != null) {
            problem.setProperty("field", field);
        }
        return new ErrorResponseException(status, problem, null);
    }

    private static Map<String, Object> lowerKeys(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(), v instanceof java.sql.Timestamp t ? t.toInstant().toString()
                : v instanceof java.time.OffsetDateTime o ? o.toInstant().toString() : v));
        return out;
    }
}
