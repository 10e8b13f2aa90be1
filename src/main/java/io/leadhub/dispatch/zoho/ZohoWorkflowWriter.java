package io.leadhub.dispatch.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.CrmUrls;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.tenant.DestinationConfig;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Zoho CRM side of the workflow actions (destination type {@code zoho}), on the record the {@link ZohoConnector}
 * wrote (a record of the destination's {@code module}, default {@code Leads}), through the REST API version the
 * connector uses ({@code api_version}, default v8; https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html
 * and .../update-records.html):
 * <ul>
 *   <li>{@code create_task}: {@code POST /crm/{version}/Tasks} {@code {"data":[{Subject, Due_Date (YYYY-MM-DD),
 *       Description, Priority (High|Normal|Low), <link>}], "trigger":[...]}}; the link to a {@code Contacts}
 *       record is {@code Who_Id: {id}}, to a record of any other module (Leads, Accounts, Deals, custom)
 *       {@code What_Id: {id}} with {@code $se_module: <module>}. These field names follow Zoho's Tasks module
 *       field reference and public client code; assumption, not verified against a live account.</li>
 *   <li>{@code assign_owner}: {@code PUT /crm/{version}/{module}/{id}} {@code {"data":[{"Owner":{"id"}}],
 *       "trigger":[...]}} (a Zoho user id).</li>
 * </ul>
 * {@code trigger} is the destination's {@code trigger} setting, as on the connector's writes.
 *
 * <p>Authentication, API domain, the one token refresh on 401 {@code INVALID_TOKEN} and the error classification are
 * the connector's ({@link ZohoConnector} class comment; the access token is the connector's cached one): 429
 * transient with {@code Retry-After}, 408/5xx/I/O transient, other 4xx permanent, and a record result with
 * {@code status: error} inside a 2xx answer permanent with Zoho's code and message.
 */
@Component("zohoWorkflowWriter")
public class ZohoWorkflowWriter implements CrmWorkflowWriter {

    /** Module API name of tasks. */
    static final String TASKS = "Tasks";

    private final ZohoConnector connector;
    private final ObjectMapper mapper;

    /**
     * @param connector the Zoho connector, whose access tokens and request handling this writer shares
     * @param mapper    JSON writer
     */
    public ZohoWorkflowWriter(ZohoConnector connector, ObjectMapper mapper) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return {@value ZohoConnector#TYPE} */
    @Override
    public String type() {
        return ZohoConnector.TYPE;
    }

    /**
     * Inserts a task linked to the record.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code zoho} destination (live)
     * @param recordId    the Zoho record id in the destination's module
     * @param task        subject, body, due date and priority
     * @return e.g. {@code "Zoho CRM task 5725767000000524157 on Leads record 5725767000000411001 due 2026-03-04"}
     * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408, 5xx, I/O errors, token endpoint
     *                                    trouble
     * @throws PermanentDeliveryException on other 4xx, a record result with {@code status: error} (code and
     *                                    message in the text, Zoho's body attached), or missing settings
     */
    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        ZohoConnector.Session session = session(destination);
        String module = session.module();
        ObjectNode record = mapper.createObjectNode();
        record.put("Subject", task.subject());
        record.put("Due_Date", task.dueDate().toString());
        if (!task.body().isBlank()) {
            record.put("Description", task.body());
        }
        record.put("Priority", switch (task.priority()) {
            case HIGH -> "High";
            case LOW -> "Low";
            case NORMAL -> "Normal";
        });
        if ("Contacts".equals(module)) {
            record.putObject("Who_Id").put("id", recordId);
        } else {
            record.putObject("What_Id").put("id", recordId);
            record.put("$se_module", module);
        }
        ObjectNode body = mapper.createObjectNode();
        body.putArray("data").add(record);
        session.putTrigger(body);
        ZohoConnector.Sent sent = session.send(() -> session.apiRequest("create-task", "insert " + TASKS,
                HttpMethod.POST, CrmUrls.url(session.api(), "/crm/" + session.version() + "/" + TASKS, Map.of()),
                body));
        JsonNode created = session.successRecord(sent);
        return "Zoho CRM task " + created.path("details").path("id").asText() + " on " + module + " record "
                + recordId + " due " + task.dueDate();
    }

    /**
     * Sets the record's {@code Owner}.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code zoho} destination (live)
     * @param recordId    the Zoho record id in the destination's module
     * @param ownerId     a Zoho user id (digits)
     * @return e.g. {@code "Zoho CRM owner 5725767000000411002 on Leads record 5725767000000411001"}
     * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408, 5xx, I/O errors, token endpoint
     *                                    trouble
     * @throws PermanentDeliveryException on other 4xx, a record result with {@code status: error}, an owner id that
     *                                    is not a number, or missing settings
     */
    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        String owner = ownerId == null ? "" : ownerId.trim();
        if (!owner.matches("\\d+")) {
            throw new PermanentDeliveryException(ZohoConnector.CRM + " destination " + destination.id()
                    + ": owner '" + owner + "' is not a Zoho user id (a number)", 0, null, null);
        }
        ZohoConnector.Session session = session(destination);
        String module = session.module();
        ObjectNode body = mapper.createObjectNode();
        body.putArray("data").addObject().putObject("Owner").put("id", owner);
        session.putTrigger(body);
        ZohoConnector.Sent sent = session.send(() -> session.apiRequest("assign-owner", "assign owner of " + module,
                HttpMethod.PUT, CrmUrls.url(session.api(), "/crm/" + session.version() + "/" + module + "/"
                        + CrmUrls.segment(recordId), Map.of()), body));
        session.successRecord(sent);
        return "Zoho CRM owner " + owner + " on " + module + " record " + recordId;
    }

    private ZohoConnector.Session session(DestinationConfig destination) {
        ZohoConnector.Session session = connector.session(destination, PiiMask.of(null, null),
                "destination=" + destination.id() + " (workflow action)");
        session.authorize();
        return session;
    }
}
