package io.leadhub.dispatch.perfex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.OutboundResponse;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.tenant.DestinationConfig;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Perfex CRM side of the workflow actions (destination type {@code perfex}), on the lead the {@link PerfexConnector}
 * found or created (the contact index keeps the Perfex lead id), through the "REST API for Perfex CRM" module,
 * following its OpenAPI 3.1.0 ({@code contracts/perfex/perfex-rest-api.openapi.json}: {@code POST /tasks},
 * {@code PUT /leads/{id}}) and the open module's {@code api/controllers/Tasks.php} and {@code Leads.php}:
 * <ul>
 *   <li>{@code create_task}: {@code POST /api/tasks} as {@code multipart/form-data} (what every module version
 *       reads) with the required {@code name} (the subject), {@code startdate} (today in the tenant's time zone, or
 *       the due date when that is earlier), {@code rel_type=lead} and {@code rel_id} (the lead id), plus
 *       {@code duedate}, {@code priority} and {@code description} (the task body as HTML, escaped, line breaks as
 *       {@code <br>}). The new task's id is read from {@code record_id} (v3 module) or {@code id}/{@code data.id};
 *       the old module returns none.</li>
 *   <li>{@code assign_owner}: {@code PUT /api/leads/{id}} {@code {"assigned": "<staff id>"}} (JSON, a partial
 *       update). The module answers 404 {@code Lead Update Fail.} both for an unknown lead and for an update that
 *       changes nothing, so a 404 is followed by {@code GET /api/leads/{id}}: a lead already assigned to that staff
 *       member counts as done, anything else fails with the PUT's answer (or the GET's 404).</li>
 * </ul>
 *
 * <p>Assumptions, not verified against a live installation: dates are sent as {@code YYYY-MM-DD} (the OpenAPI's
 * {@code format: date}; the old module's example uses the installation's display format, which Perfex converts
 * with {@code to_sql_date}); task priorities are Perfex's default ids 1 = Low, 2 = Medium, 3 = High (4 = Urgent),
 * which the setting {@value #SETTING_TASK_PRIORITIES} can override ({@code {high: 4, normal: 2, low: 1}}).
 *
 * <p>Authentication ({@code authtoken} header), timeouts and error classification are the connector's: statuses in
 * {@code retry_on} (default 408, 429 with {@code Retry-After}, 5xx) and no answer are transient, other non-2xx
 * answers and a 2xx {@code {"status": false}} permanent with Perfex's body.
 */
@Component("perfexWorkflowWriter")
public class PerfexWorkflowWriter implements CrmWorkflowWriter {

    /** Setting: map of {@code high}/{@code normal}/{@code low} to the Perfex task priority id. */
    public static final String SETTING_TASK_PRIORITIES = "task_priorities";
    /** Default task priority ids (Perfex's defaults: 1 Low, 2 Medium, 3 High, 4 Urgent; an assumption). */
    public static final Map<CrmTask.Priority, String> DEFAULT_PRIORITIES = Map.of(
            CrmTask.Priority.HIGH, "3", CrmTask.Priority.NORMAL, "2", CrmTask.Priority.LOW, "1");

    static final String TASKS = "/api/tasks";

    private static final Logger log = LoggerFactory.getLogger(PerfexWorkflowWriter.class);

    private final PerfexConnector connector;
    private final ObjectMapper mapper;
    private final Clock clock;

    /**
     * @param connector the Perfex connector, whose request handling this writer shares
     * @param mapper    JSON reader
     */
    @Autowired
    public PerfexWorkflowWriter(PerfexConnector connector, ObjectMapper mapper) {
        this(connector, mapper, Clock.systemUTC());
    }

    /**
     * @param connector the Perfex connector
     * @param mapper    JSON reader
     * @param clock     clock of the task's start date
     */
    PerfexWorkflowWriter(PerfexConnector connector, ObjectMapper mapper, Clock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return {@value PerfexConnector#TYPE} */
    @Override
    public String type() {
        return PerfexConnector.TYPE;
    }

    /**
     * Creates a task related to the lead.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code perfex} destination (live)
     * @param recordId    the Perfex lead id
     * @param task        subject, body, due date and priority
     * @return e.g. {@code "Perfex task 42 on lead 7 due 2026-03-04"} ({@code "Perfex task on lead 7 due ..."} when
     *         the module returns no id)
     * @throws TransientDeliveryException on {@code retry_on} statuses (429 with {@code Retry-After}) and I/O errors
     * @throws PermanentDeliveryException on other non-2xx answers or {@code "status": false} (with Perfex's body), a
     *                                    lead id that is not a number, or missing/invalid settings
     */
    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        PerfexConnector.Api api = connector.api(destination, PiiMask.of(null, null));
        String leadId = numeric(destination, "lead id", recordId);
        LocalDate today = LocalDate.now(clock.withZone(task.zone()));
        LocalDate start = task.dueDate().isBefore(today) ? task.dueDate() : today;
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", task.subject());
        form.put("startdate", start.toString());
        form.put("duedate", task.dueDate().toString());
        form.put("priority", priority(api, task.priority()));
        form.put("rel_type", "lead");
        form.put("rel_id", leadId);
        if (!task.body().isBlank()) {
            form.put("description", HtmlUtils.htmlEscape(task.body().strip()).replace("\r\n", "\n")
                    .replace("\n", "<br>"));
        }
        OutboundRequest create = api.multipart("create-task", "create task", TASKS, form);
        OutboundResponse response = api.send(create);
        if (!response.isSuccess()) {
            throw api.error(create, response);
        }
        api.refuseStatusFalse(create, response);
        String id = api.createdId(response.body());
        return "Perfex task" + (id == null ? "" : " " + id) + " on lead " + leadId + " due " + task.dueDate();
    }

    /**
     * Assigns the lead to a staff member.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code perfex} destination (live)
     * @param recordId    the Perfex lead id
     * @param ownerId     a Perfex staff id (digits)
     * @return e.g. {@code "Perfex lead 7 assigned to staff 5"} (or {@code "... already assigned ..."})
     * @throws TransientDeliveryException on {@code retry_on} statuses (429 with {@code Retry-After}) and I/O errors
     * @throws PermanentDeliveryException on other non-2xx answers or {@code "status": false} (with Perfex's body),
     *                                    an unknown lead, ids that are not numbers, or missing/invalid settings
     */
    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        PerfexConnector.Api api = connector.api(destination, PiiMask.of(null, null));
        String leadId = numeric(destination, "lead id", recordId);
        String staff = numeric(destination, "owner (staff id)", ownerId);
        ObjectNode body = mapper.createObjectNode().put("assigned", staff);
        String path = PerfexConnector.LEADS + "/" + PerfexConnector.segment(leadId);
        OutboundRequest update = api.json("assign-owner", "assign lead", HttpMethod.PUT, path, body);
        OutboundResponse response = api.send(update);
        if (response.status() == 404 && alreadyAssigned(api, path, staff)) {
            log.info("perfex destination={}: lead {} is already assigned to staff {} (update answered 404)",
                    destination.id(), leadId, staff);
            return "Perfex lead " + leadId + " already assigned to staff " + staff;
        }
        if (!response.isSuccess()) {
            throw api.error(update, response);
        }
        api.refuseStatusFalse(update, response);
        return "Perfex lead " + leadId + " assigned to staff " + staff;
    }

    /**
     * @return true when the lead exists and its {@code assigned} is {@code staff}; false when it exists with another
     *         owner
     * @throws RuntimeException the GET's error when the lead is not found (404) or the GET fails
     */
    private boolean alreadyAssigned(PerfexConnector.Api api, String path, String staff) {
        OutboundRequest get = api.get("get-lead", "get lead", path, path);
        OutboundResponse response = api.send(get);
        if (!response.isSuccess()) {
            throw api.error(get, response);
        }
        JsonNode json = api.readJson(get, response);
        JsonNode lead = json.isArray() ? json.path(0) : json.has("assigned") ? json : json.path("data");
        if (lead.isArray()) {
            lead = lead.path(0);
        }
        return staff.equals(lead.path("assigned").asText("").trim());
    }

    private String priority(PerfexConnector.Api api, CrmTask.Priority priority) {
        String key = priority.name().toLowerCase(Locale.ROOT);
        Map<String, Object> configured = api.settings().map(api.settings().all(), SETTING_TASK_PRIORITIES,
                SETTING_TASK_PRIORITIES);
        Object value = configured.get(key);
        if (value == null) {
            return DEFAULT_PRIORITIES.get(priority);
        }
        String id = value instanceof Number n ? Long.toString(n.longValue()) : value.toString().trim();
        if (!id.matches("\\d+")) {
            throw api.settings().invalid(SETTING_TASK_PRIORITIES + "." + key,
                    "must be the numeric id of a Perfex task priority, got '" + value + "'");
        }
        return id;
    }

    private static String numeric(DestinationConfig destination, String what, String value) {
        String v = value == null ? "" : value.trim();
        if (!v.matches("\\d+")) {
            throw new PermanentDeliveryException("Perfex destination " + destination.id() + ": " + what + " '" + v
                    + "' is not a Perfex id (a number)", 0, null, null);
        }
        return v;
    }
}
