package io.leadhub.dispatch.dynamics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.dynamics.DynamicsConnector.Sent;
import io.leadhub.dispatch.dynamics.DynamicsConnector.Session;
import io.leadhub.dispatch.http.CrmUrls;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.tenant.DestinationConfig;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * Dynamics 365 / Dataverse side of the workflow actions (destination type {@code dynamics}), on the row the
 * {@link DynamicsConnector} wrote: a row of the destination's entity set ({@code leads} by default, setting
 * {@value DynamicsConnector#SETTING_ENTITY_SET}, e.g. {@code contacts}), identified by its GUID.
 * <ul>
 *   <li>{@code create_task}: {@code POST {base_url}/api/data/v9.2/tasks} with {@code subject},
 *       {@code description} (when the task has a body), {@code scheduledend} (due, ISO-8601 instant in UTC),
 *       {@code prioritycode} (0 Low, 1 Normal, 2 High) and
 *       {@code "regardingobjectid_<entity>_task@odata.bind": "/<entity set>(<guid>)"}, e.g.
 *       {@code regardingobjectid_lead_task} → {@code /leads(<guid>)}; Dataverse answers 204 with the new task's
 *       URL in {@code OData-EntityId}
 *       (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api, "Associate
 *       table rows on create"; task table reference .../reference/entities/task). The binding key is the task's
 *       single-valued navigation property of the polymorphic {@code regardingobjectid} lookup, which is named after
 *       the target table <em>and</em> the activity table ({@code regardingobjectid_lead_task}); the entity is the
 *       entity set without its final s, as the connector derives its id column. The navigation property names
 *       follow public Web API client code, not verified against a live environment.</li>
 *   <li>{@code assign_owner}: {@code PATCH /<entity set>(<guid>)} with {@code If-Match: *} (update only: a deleted
 *       row answers 404 instead of being re-created) and {@code {"ownerid@odata.bind": "/systemusers(<owner>)"}}
 *       (task table's Assign message = update {@code ownerid}; .../webapi/update-delete-entities-using-web-api).
 *       The owner id is a system user's GUID.</li>
 * </ul>
 * Authentication, headers and errors are the connector's ({@link DynamicsConnector.Session}): the cached
 * client-credentials token (shared with the deliveries), one new token after a 401, 429 transient with
 * {@code Retry-After}, 408/5xx/I-O transient, other 4xx permanent with Dataverse's {@code {"error":{code,message}}}.
 */
@Component("dynamicsWorkflowWriter")
public class DynamicsWorkflowWriter implements CrmWorkflowWriter {

    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final DynamicsConnector connector;
    private final ObjectMapper mapper;

    /**
     * @param connector the Dynamics connector (Web API access and its token cache)
     * @param mapper    JSON writer
     */
    public DynamicsWorkflowWriter(DynamicsConnector connector, ObjectMapper mapper) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return {@value DynamicsConnector#TYPE} */
    @Override
    public String type() {
        return DynamicsConnector.TYPE;
    }

    /**
     * Creates a Dataverse task regarding the lead's row (see the class comment).
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code dynamics} destination (live)
     * @param recordId    the row's GUID, as the connector stored it
     * @param task        subject, body, due instant ({@code scheduledend}) and priority
     * @return {@code "Dynamics 365 task <guid> regarding lead <guid> due <instant>"}
     * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408, 5xx and I/O errors, also from the
     *                                    token endpoint
     * @throws PermanentDeliveryException on other 4xx (with Dataverse's body), a record id that is not a GUID, or
     *                                    missing settings ({@code base_url}, credentials)
     */
    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        Session session = session(destination);
        String row = guid(destination, "record id", recordId);
        ObjectNode body = mapper.createObjectNode();
        body.put("subject", task.subject());
        if (!task.body().isBlank()) {
            body.put("description", task.body());
        }
        body.put("scheduledend", task.dueAt().toString());
        body.put("prioritycode", switch (task.priority()) {
            case LOW -> 0;
            case NORMAL -> 1;
            case HIGH -> 2;
        });
        body.put("regardingobjectid_" + session.entity + "_task@odata.bind", "/" + session.entitySet + "(" + row + ")");
        session.login();
        Sent sent = session.check(session.send(() -> session.api("create-task", "create task", HttpMethod.POST,
                "/tasks", Map.of(), body).build()));
        String taskId = DynamicsConnector.guidFromHeader(sent.response());
        return DynamicsConnector.CRM + " task " + (taskId == null ? "?" : taskId) + " regarding " + session.entity
                + " " + row + " due " + task.dueAt();
    }

    /**
     * Makes a system user the owner of the lead's row (see the class comment).
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code dynamics} destination (live)
     * @param recordId    the row's GUID
     * @param ownerId     the system user's GUID ({@code systemuserid})
     * @return {@code "Dynamics 365 owner <user guid> on lead <guid>"}
     * @throws TransientDeliveryException on 429 (with {@code Retry-After}), 408, 5xx and I/O errors
     * @throws PermanentDeliveryException on other 4xx (404: the row is gone), an id that is not a GUID, or missing
     *                                    settings
     */
    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        Session session = session(destination);
        String row = guid(destination, "record id", recordId);
        String owner = guid(destination, "owner id (a system user's GUID)", ownerId);
        ObjectNode body = mapper.createObjectNode();
        body.put("ownerid@odata.bind", "/systemusers(" + owner + ")");
        session.login();
        session.check(session.send(() -> session.api("assign-owner", "assign owner of " + session.entitySet,
                        HttpMethod.PATCH, "/" + session.entitySet + "(" + CrmUrls.segment(row) + ")", Map.of(), body)
                .header("If-Match", "*").build()));
        return DynamicsConnector.CRM + " owner " + owner + " on " + session.entity + " " + row;
    }

    private Session session(DestinationConfig destination) {
        Objects.requireNonNull(destination, "destination");
        // the writer has no lead phone or e-mail at hand; Masking.text still masks any phone or e-mail echoed
        return connector.session(destination, PiiMask.of(null, null), "workflow destination=" + destination.id());
    }

    private static String guid(DestinationConfig destination, String what, String value) {
        String v = value == null ? "" : value.trim();
        if (!GUID.matcher(v).matches()) {
            throw new PermanentDeliveryException(DynamicsConnector.CRM + " destination " + destination.id() + ": "
                    + what + " must be a GUID, got '" + v + "'", 0, null, null);
        }
        return v.toLowerCase();
    }
}
