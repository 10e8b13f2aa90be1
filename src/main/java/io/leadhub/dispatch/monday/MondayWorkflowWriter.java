package io.leadhub.dispatch.monday;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.http.OutboundRequest;
import io.leadhub.dispatch.http.PiiMask;
import io.leadhub.dispatch.http.Settings;
import io.leadhub.tenant.DestinationConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * monday.com side of the workflow actions (destination type {@code monday}), on the board item the
 * {@link MondayConnector} created, through the same GraphQL endpoint, headers and error classification
 * ({@link MondayConnector#send}: errors inside HTTP 200, complexity/rate/daily limits transient with monday's wait,
 * 5xx and I/O transient, other errors permanent with monday's body):
 * <ul>
 *   <li>{@code create_task}: a subitem of the lead's item, {@code create_subitem(parent_item_id, item_name,
 *       column_values) { id }} with the task subject as its name; with setting {@value #SETTING_TASK_DATE_COLUMN}
 *       the due date goes into that date column of the subitems board as {@code {"date": "YYYY-MM-DD"}}
 *       (https://developer.monday.com/api-reference/reference/subitems, .../docs/date). The task body and
 *       priority are not written: a subitem has no description field.</li>
 *   <li>{@code assign_owner}: {@code change_column_value(board_id, item_id, column_id, value) { id }} on the item's
 *       people column named by setting {@value #SETTING_OWNER_COLUMN_ID}, value
 *       {@code {"personsAndTeams":[{"id":<user id>,"kind":"person"}]}} (replaces the column's people;
 *       https://developer.monday.com/api-reference/docs/people). Without the setting: permanent failure.</li>
 * </ul>
 * Values travel as GraphQL variables, {@code column_values} and {@code value} as JSON-encoded strings. The exact
 * error codes of an unknown parent item or of a date column on the wrong board are assumptions, not verified
 * against a live account; any error other than a limit is permanent with monday's body.
 */
@Component("mondayWorkflowWriter")
public class MondayWorkflowWriter implements CrmWorkflowWriter {

    /** Setting: id of the date column of the board's subitems that receives a task's due date (optional). */
    public static final String SETTING_TASK_DATE_COLUMN = "task_date_column";
    /** Setting: id of the board's people column that {@code assign_owner} writes (required for that action). */
    public static final String SETTING_OWNER_COLUMN_ID = "owner_column_id";

    static final String CREATE_SUBITEM = "mutation ($parent: ID!, $name: String!, $columns: JSON) "
            + "{ create_subitem(parent_item_id: $parent, item_name: $name, column_values: $columns) { id } }";
    static final String CHANGE_COLUMN = "mutation ($board: ID!, $item: ID!, $column: String!, $value: JSON!) "
            + "{ change_column_value(board_id: $board, item_id: $item, column_id: $column, value: $value) { id } }";

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final MondayConnector connector;
    private final ObjectMapper mapper;

    /**
     * @param connector the monday.com connector (GraphQL requests and error classification)
     * @param mapper    JSON writer
     */
    public MondayWorkflowWriter(MondayConnector connector, ObjectMapper mapper) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return {@value MondayConnector#TYPE} */
    @Override
    public String type() {
        return MondayConnector.TYPE;
    }

    /**
     * Creates a subitem of the lead's item (see the class comment).
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code monday} destination (live)
     * @param recordId    the item id the connector stored (a number)
     * @param task        subject (the subitem name) and due date (into {@value #SETTING_TASK_DATE_COLUMN} when set)
     * @return {@code "monday.com subitem <id> of item <id>"} plus {@code " due YYYY-MM-DD"} with a date column
     * @throws TransientDeliveryException on complexity, rate and daily limits (also inside a 200, with monday's
     *                                    wait), 408, 429, 5xx and I/O errors
     * @throws PermanentDeliveryException on other GraphQL errors and 4xx (with monday's body), a record id that is
     *                                    not a number, or an empty token
     */
    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        Settings settings = settings(destination);
        String item = number(destination, "record id (a monday.com item id)", recordId);
        String dateColumn = settings.string(SETTING_TASK_DATE_COLUMN, null);
        ObjectNode variables = mapper.createObjectNode();
        variables.put("parent", item);
        variables.put("name", task.subject());
        if (dateColumn != null) {
            variables.put("columns", json(Map.of(dateColumn, Map.of("date", task.dueDate().toString()))));
        }
        OutboundRequest request = connector.graphql(destination, "create-subitem", "create_subitem", CREATE_SUBITEM,
                variables);
        String id = MondayConnector.id(connector.send(request, settings.readTimeout(), PiiMask.of(null, null)),
                "create_subitem");
        return MondayConnector.CRM + " subitem " + id + " of item " + item
                + (dateColumn == null ? "" : " due " + task.dueDate());
    }

    /**
     * Writes the owner into the item's people column (see the class comment).
     *
     * @param tenant      the LeadHub tenant id of the destination
     * @param destination the {@code monday} destination (live)
     * @param recordId    the item id the connector stored
     * @param ownerId     the monday.com user id (a number)
     * @return {@code "monday.com owner <user> in column <column> of item <id>"}
     * @throws TransientDeliveryException on complexity, rate and daily limits (with monday's wait), 408, 429, 5xx
     *                                    and I/O errors
     * @throws PermanentDeliveryException without {@value #SETTING_OWNER_COLUMN_ID} or {@code board_id}, on ids
     *                                    that are not numbers, an empty token, other GraphQL errors and 4xx
     */
    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        Settings settings = settings(destination);
        String column = settings.string(SETTING_OWNER_COLUMN_ID, null);
        if (column == null) {
            throw new PermanentDeliveryException(MondayConnector.CRM + " destination " + destination.id()
                    + ": setting " + SETTING_OWNER_COLUMN_ID + " (the id of the board's people column) is required "
                    + "for assign_owner", 0, null, null);
        }
        String item = number(destination, "record id (a monday.com item id)", recordId);
        String owner = number(destination, "owner id (a monday.com user id)", ownerId);
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("id", Long.parseLong(owner));
        person.put("kind", "person");
        ObjectNode variables = mapper.createObjectNode();
        variables.put("board", MondayConnector.boardId(destination));
        variables.put("item", item);
        variables.put("column", column);
        variables.put("value", json(Map.of("personsAndTeams", List.of(person))));
        OutboundRequest request = connector.graphql(destination, "assign-owner", "change_column_value", CHANGE_COLUMN,
                variables);
        MondayConnector.id(connector.send(request, settings.readTimeout(), PiiMask.of(null, null)),
                "change_column_value");
        return MondayConnector.CRM + " owner " + owner + " in column " + column + " of item " + item;
    }

    private static Settings settings(DestinationConfig destination) {
        Objects.requireNonNull(destination, "destination");
        MondayConnector.requireToken(destination);
        return new Settings(MondayConnector.CRM, destination);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new PermanentDeliveryException(MondayConnector.CRM + ": cannot encode a column value", 0, null, e);
        }
    }

    private static String number(DestinationConfig destination, String what, String value) {
        String v = value == null ? "" : value.trim();
        if (!NUMBER.matcher(v).matches()) {
            throw new PermanentDeliveryException(MondayConnector.CRM + " destination " + destination.id() + ": "
                    + what + " must be a number, got '" + v + "'", 0, null, null);
        }
        return v;
    }
}
