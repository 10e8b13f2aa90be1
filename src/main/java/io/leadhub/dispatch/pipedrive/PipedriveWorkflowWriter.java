package io.leadhub.dispatch.pipedrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.CrmUrls;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.tenant.DestinationConfig;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Pipedrive side of the workflow actions (destination type {@code pipedrive}), on the person the
 * {@link PipedriveConnector} wrote (the contact index keeps the person id), through the v1 API
 * (https://developers.pipedrive.com/docs/api/v1/Activities, .../Persons):
 * <ul>
 *   <li>{@code create_task}: {@code POST /v1/activities} {@code {subject, type, due_date, note, person_id}}:
 *       {@code due_date} the task's due date ({@code YYYY-MM-DD}, the tenant's time zone; no {@code due_time}, so an
 *       all-day activity), {@code note} the task body as HTML (escaped, line breaks as {@code <br>}), {@code type}
 *       the setting {@value #SETTING_TASK_ACTIVITY_TYPE} (the {@code key_string} of an activity type), default
 *       {@value #DEFAULT_TASK_ACTIVITY_TYPE} (one of Pipedrive's default activity types);</li>
 *   <li>{@code assign_owner}: {@code PUT /v1/persons/{id}} {@code {owner_id}} (a Pipedrive user id).</li>
 * </ul>
 * The task priority is not sent: Pipedrive's activity priority is the id of a company-defined option, with no
 * values that mean high/normal/low everywhere.
 *
 * <p>Requests, authentication ({@code api_token} query parameter), the burst window of the token and the error
 * classification are the connector's ({@link PipedriveConnector} class comment): 429 transient with
 * {@code Retry-After} or {@code x-ratelimit-reset}, 408/5xx/I/O transient, other 4xx and {@code success:false}
 * permanent with Pipedrive's body. The token never appears in messages.
 */
@Component("pipedriveWorkflowWriter")
public class PipedriveWorkflowWriter implements CrmWorkflowWriter {

    /** Setting: {@code key_string} of the activity type of created tasks. */
    public static final String SETTING_TASK_ACTIVITY_TYPE = "task_activity_type";
    /** Activity type without {@value #SETTING_TASK_ACTIVITY_TYPE}. */
    public static final String DEFAULT_TASK_ACTIVITY_TYPE = "task";

    static final String ACTIVITIES = "/v1/activities";

    private final PipedriveConnector connector;
    private final ObjectMapper mapper;

    /**
     * @param connector the Pipedrive connector, whose requests and rate-limit windows this writer shares
     * @param mapper    JSON writer
     */
    public PipedriveWorkflowWriter(PipedriveConnector connector, ObjectMapper mapper) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return {@value PipedriveConnector#TYPE} */
    @Override
    public String type() {
        return PipedriveConnector.TYPE;
    }

    /**
     * Creates an activity for the person.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code pipedrive} destination (live)
     * @param recordId    the Pipedrive person id
     * @param task        subject, body, due date (priority is not sent, see class comment)
     * @return e.g. {@code "Pipedrive activity 901 (task) on person 17 due 2026-03-04"}
     * @throws TransientDeliveryException on 429 (with the wait), an exhausted burst window, 408, 5xx, I/O errors
     * @throws PermanentDeliveryException on other 4xx or {@code success:false} (with Pipedrive's body), an answer
     *                                    without {@code data.id}, or an empty {@code api_token} / bad setting
     */
    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        PipedriveConnector.Api api = live(destination);
        String type = api.settings().string(SETTING_TASK_ACTIVITY_TYPE, DEFAULT_TASK_ACTIVITY_TYPE);
        ObjectNode body = mapper.createObjectNode();
        body.put("subject", task.subject());
        body.put("type", type);
        body.put("due_date", task.dueDate().toString());
        if (!task.body().isBlank()) {
            body.put("note", HtmlUtils.htmlEscape(task.body().strip()).replace("\r\n", "\n").replace("\n", "<br>"));
        }
        PipedriveConnector.putId(body, "person_id", recordId);
        OutboundRequest create = api.request("create-activity", "create activity", HttpMethod.POST, ACTIVITIES,
                Map.of(), body);
        String id = api.idOf(create, api.send(create));
        return "Pipedrive activity " + id + " (" + type + ") on person " + recordId + " due " + task.dueDate();
    }

    /**
     * Sets the person's owner.
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code pipedrive} destination (live)
     * @param recordId    the Pipedrive person id
     * @param ownerId     a Pipedrive user id (digits)
     * @return e.g. {@code "Pipedrive owner 11 on person 17"}
     * @throws TransientDeliveryException on 429 (with the wait), an exhausted burst window, 408, 5xx, I/O errors
     * @throws PermanentDeliveryException on other 4xx or {@code success:false} (with Pipedrive's body), an owner id
     *                                    that is not a number, or an empty {@code api_token} / bad setting
     */
    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        PipedriveConnector.Api api = live(destination);
        String owner = ownerId == null ? "" : ownerId.trim();
        if (!owner.matches("\\d{1,17}")) {
            throw new PermanentDeliveryException(PipedriveConnector.CRM + " destination " + destination.id()
                    + ": owner '" + owner + "' is not a Pipedrive user id (a number)", 0, null, null);
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("owner_id", Long.parseLong(owner));
        OutboundRequest update = api.request("assign-owner", "assign owner", HttpMethod.PUT,
                PipedriveConnector.PERSONS + "/" + CrmUrls.segment(recordId), Map.of(), body);
        api.send(update);
        return "Pipedrive owner " + owner + " on person " + recordId;
    }

    private PipedriveConnector.Api live(DestinationConfig destination) {
        PipedriveConnector.Api api = connector.api(destination, PiiMask.of(null, null));
        api.requireLive();
        return api;
    }
}
