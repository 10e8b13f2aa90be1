package io.leadhub.dispatch.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.salesforce.SalesforceConnector.CompositeAnswer;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Salesforce side of the workflow actions (destination type {@code salesforce}), on the Lead the
 * {@link SalesforceConnector} wrote, through the same camel-salesforce component, JWT bearer login and token
 * ({@link SalesforceOrgs}) and the same error mapping ({@link SalesforceErrors}: {@code REQUEST_LIMIT_EXCEEDED},
 * {@code UNABLE_TO_LOCK_ROW}, 408, 429, 5xx and no answer transient; other 4xx permanent with Salesforce's body).
 *
 * <p>Each action is one composite request ({@code POST /services/data/vNN.N/composite}, the connector's write path;
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm)
 * with a single subrequest, whose own status and errors decide the outcome:
 * <ul>
 *   <li>{@code create_task}: {@code POST /sobjects/Task} with {@code Subject}, {@code Description} (when the task has
 *       a body), {@code ActivityDate} ({@code YYYY-MM-DD}, the due date in the tenant's time zone), {@code Priority}
 *       ({@code High|Normal|Low}), {@code Status} (the destination's {@code task.status}, default
 *       {@value SalesforceSettings.TaskSettings#DEFAULT_STATUS}) and {@code WhoId} = the Lead id (standard Task
 *       fields, Salesforce Object Reference "Task");</li>
 *   <li>{@code assign_owner}: {@code PATCH /sobjects/Lead/<id>} with {@code {"OwnerId": <user or queue id>}}.</li>
 * </ul>
 */
@Component("salesforceWorkflowWriter")
public class SalesforceWorkflowWriter implements CrmWorkflowWriter {

    /** A Salesforce record id: 15 (case-sensitive) or 18 characters. */
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
    private static final String TASK_REF = "task";
    private static final String LEAD_REF = "lead";

    private final SalesforceOrgs orgs;
    private final ObjectMapper mapper;

    /**
     * @param orgs   the per-destination camel-salesforce components (shared with the connector)
     * @param mapper JSON reader and writer
     */
    public SalesforceWorkflowWriter(SalesforceOrgs orgs, ObjectMapper mapper) {
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return {@value SalesforceConnector#TYPE} */
    @Override
    public String type() {
        return SalesforceConnector.TYPE;
    }

    /**
     * Creates a Task on the lead's Lead (see the class comment).
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code salesforce} destination (live)
     * @param recordId    the Lead id the connector stored ({@code 00Q...})
     * @param task        subject, body, due date and priority
     * @return {@code "Salesforce Task <id> on Lead <id> due YYYY-MM-DD"}
     * @throws TransientDeliveryException on {@code REQUEST_LIMIT_EXCEEDED} (with a wait), {@code UNABLE_TO_LOCK_ROW},
     *                                    408, 429, 5xx and no answer, also from the login
     * @throws PermanentDeliveryException on other 4xx (with Salesforce's body), a refused login, a record id that is
     *                                    not a Salesforce id, or a missing credential or malformed setting
     */
    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        SalesforceSettings settings = settings(destination);
        String lead = recordId(destination, "record id (a Lead id)", recordId);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Subject", task.subject());
        if (!task.body().isBlank()) {
            fields.put("Description", task.body());
        }
        fields.put("ActivityDate", task.dueDate().toString());
        fields.put("Priority", switch (task.priority()) {
            case HIGH -> "High";
            case NORMAL -> "Normal";
            case LOW -> "Low";
        });
        fields.put("Status", settings.task().status());
        fields.put("WhoId", lead);
        JsonNode created = send(tenant, destination, settings, "create task on lead " + lead, "POST",
                settings.dataPath() + "/sobjects/Task", TASK_REF, fields);
        return "Salesforce Task " + created.path("body").path("id").asText("?") + " on Lead " + lead + " due "
                + task.dueDate();
    }

    /**
     * Makes a user (or queue) the owner of the lead's Lead (see the class comment).
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code salesforce} destination (live)
     * @param recordId    the Lead id
     * @param ownerId     a user ({@code 005...}) or queue ({@code 00G...}) id
     * @return {@code "Salesforce owner <id> on Lead <id>"}
     * @throws TransientDeliveryException as {@link #createTask}
     * @throws PermanentDeliveryException as {@link #createTask}; also an owner id that is not a Salesforce id
     */
    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        SalesforceSettings settings = settings(destination);
        String lead = recordId(destination, "record id (a Lead id)", recordId);
        String owner = recordId(destination, "owner id (a user or queue id)", ownerId);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("OwnerId", owner);
        send(tenant, destination, settings, "assign owner of lead " + lead, "PATCH",
                settings.dataPath() + "/sobjects/Lead/" + SalesforceConnector.encode(lead), LEAD_REF, fields);
        return "Salesforce owner " + owner + " on Lead " + lead;
    }

    private static SalesforceSettings settings(DestinationConfig destination) {
        Objects.requireNonNull(destination, "destination");
        SalesforceSettings settings = SalesforceSettings.of(destination);
        SalesforceConnector.requireCredentials(destination, settings);
        return settings;
    }

    /** Sends a composite with one subrequest; returns that subresponse when it succeeded. */
    private JsonNode send(String tenant, DestinationConfig destination, SalesforceSettings settings, String operation,
                          String method, String url, String referenceId, Map<String, Object> fields) {
        ObjectNode body = mapper.createObjectNode();
        body.put("allOrNone", true);
        SalesforceConnector.subrequest(mapper, body.putArray("compositeRequest"), method, url, referenceId, fields);
        SalesforceRequest composite = new SalesforceRequest("composite", operation, "POST",
                settings.dataPath() + "/composite", null, body);
        CompositeAnswer answer = SalesforceConnector.sendComposite(orgs.org(tenant, destination.id(), settings),
                composite, mapper, Masking::text);
        JsonNode failed = SalesforceConnector.firstFailure(answer.results(), mapper);
        if (failed != null) {
            String errorBody = failed.path("body").isMissingNode() ? "" : failed.path("body").toString();
            throw SalesforceErrors.toException(composite.describe() + ", subrequest '" + referenceId + "'",
                    failed.path("httpStatusCode").asInt(), errorBody, mapper, Masking::text);
        }
        JsonNode result = answer.results().get(referenceId);
        if (result == null) {
            throw new PermanentDeliveryException(composite.describe() + ": HTTP " + answer.response().status()
                    + " without the '" + referenceId + "' subresponse", answer.response().status(),
                    answer.response().body(), null);
        }
        return result;
    }

    private static String recordId(DestinationConfig destination, String what, String value) {
        String v = value == null ? "" : value.trim();
        if (!RECORD_ID.matcher(v).matches()) {
            throw new PermanentDeliveryException("Salesforce destination " + destination.id() + ": " + what
                    + " must be a 15- or 18-character Salesforce id, got '" + Masking.text(v) + "'", 0, null, null);
        }
        return v;
    }
}
