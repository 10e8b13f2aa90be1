package io.leadhub.dispatch.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.salesforce.SalesforceOrgs.Org;
import io.leadhub.dispatch.salesforce.SalesforceOrgs.SalesforceCallException;
import io.leadhub.dispatch.salesforce.SalesforceSettings.TaskSettings;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DuplicateAction;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Delivers leads to Salesforce as a Lead plus a follow-up Task (destination type {@code salesforce}), through
 * Apache Camel's camel-salesforce component with the OAuth 2.0 JWT bearer flow (one component per destination,
 * see {@link SalesforceOrgs}).
 *
 * <p>The mapped properties ({@link DeliveryRequest#properties()}) are Lead fields, except those named
 * {@code Task.<Field>}, which are fields of the Task (e.g. {@code Task.Description: call.transcription},
 * {@code Task.ActivityDate: "addDays(today(), 2)"}); they override the Task defaults of the destination's
 * {@code task} setting ({@code Subject}, {@code Status}, {@code Priority}, {@code ActivityDate} = today in the
 * tenant's time zone + {@code task.due_in_days}). {@code WhoId} is always the Lead's id.
 *
 * <p>Salesforce REST API requests (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/),
 * below the instance URL:
 * <ul>
 *   <li>lookup (camel-salesforce {@code query}): {@code GET /services/data/vNN.N/query/?q=SELECT Id FROM Lead WHERE
 *       <phone_field> = '<E.164>' AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1}, then the same
 *       on {@code Email}, in the order of {@code duplicate_detection.match_fields};</li>
 *   <li>the writes, as ONE composite request (camel-salesforce {@code composite}, raw payload) with
 *       {@code "allOrNone": true}: {@code POST /services/data/vNN.N/composite} with the Lead subrequest and the Task
 *       subrequest ({@code WhoId} = {@code @{lead.id}} or the known id). Either both are written or neither, so a
 *       redelivery after a failure never leaves a Task without its Lead update or a Task twice; the composite counts
 *       as one API call. The Lead subrequest is one of:
 *       <ul>
 *         <li>update by id: {@code PATCH /sobjects/Lead/<id>} (the contact index knows the record, or a lookup
 *             found it);</li>
 *         <li>upsert by external id ({@code external_id_field}): {@code PATCH /sobjects/Lead/<field>/<E.164 phone>}
 *             (the external-id field itself is left out of the body, as Salesforce requires), followed by
 *             {@code GET /sobjects/Lead/<field>/<phone>?fields=Id} so the Task can reference the Lead whether
 *             the upsert created it (201) or updated it;</li>
 *         <li>create: {@code POST /sobjects/Lead}.</li>
 *       </ul>
 *       The Task subrequest is {@code POST /sobjects/Task}, or, with {@code task.external_id_field}, the upsert
 *       {@code PATCH /sobjects/Task/<field>/<LeadHub event id>}, which makes the Task idempotent even when a
 *       composite's answer is lost after Salesforce committed it.</li>
 * </ul>
 *
 * <p>Per {@link #deliver}: the request's {@code knownRecordId} means update by id (404: the Lead was deleted or
 * merged, the lookup runs instead); else, with {@code external_id_field} set, a phone known and duplicate action
 * {@code update_existing}, the upsert; else the lookup, and on a match the duplicate action ({@code update_existing}:
 * update; {@code skip}: nothing is written; {@code create}: create anyway), without a match the create.
 *
 * <p>Errors: see {@link SalesforceErrors}. A composite answered 200 with a failed subrequest is mapped from that
 * subrequest's status and errors (the subrequests that only failed because of it, {@code PROCESSING_HALTED}, are
 * skipped). A 401 is handled inside camel-salesforce (one re-login and one retry); the token endpoint's 400
 * ({@code invalid_grant}) is permanent. Messages never contain the keystore password or unmasked phone numbers
 * and e-mail addresses.
 *
 * <p>Dry run ({@code dry_run: true}, or {@code auto} while a credential is empty): nothing is sent, not even the
 * token request; the requests are written as JSON files {@code <eventId>-NN-<purpose>.json} to the request's
 * dry-run folder.
 */
@Component("salesforceConnector")
public class SalesforceConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "salesforce";

    /** Prefix of mapped properties that are Task fields. */
    public static final String TASK_PREFIX = "Task.";

    /** Composite reference of the Lead subrequest. */
    static final String LEAD_REF = "lead";
    /** Composite reference of the Lead read-back after an upsert. */
    static final String LEAD_ID_REF = "leadId";
    /** Composite reference of the Task subrequest. */
    static final String TASK_REF = "task";

    private static final Logger log = LoggerFactory.getLogger(SalesforceConnector.class);

    private final SalesforceOrgs orgs;
    private final ObjectMapper objectMapper;
    private final Function<String, ZoneId> tenantZones;
    private final Clock clock;

    /**
     * @param orgs         the per-destination camel-salesforce components
     * @param objectMapper JSON mapper for request and response bodies
     * @param tenants      tenant files, for the tenant's time zone ({@code today()} of the Task's due date)
     */
    @Autowired
    public SalesforceConnector(SalesforceOrgs orgs, ObjectMapper objectMapper, TenantRegistry tenants) {
        this(orgs, objectMapper, tenant -> tenants.find(tenant).map(TenantConfig::timezone).orElse(ZoneOffset.UTC),
                Clock.systemUTC());
    }

    /**
     * @param orgs         the per-destination camel-salesforce components
     * @param objectMapper JSON mapper
     * @param tenantZones  time zone of a tenant id
     * @param clock        clock of the Task's due date
     */
    SalesforceConnector(SalesforceOrgs orgs, ObjectMapper objectMapper, Function<String, ZoneId> tenantZones,
                        Clock clock) {
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        this.tenantZones = Objects.requireNonNull(tenantZones, "tenantZones");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Writes one lead to Salesforce as a Lead and a follow-up Task (see the class comment for the algorithm and
     * requests).
     *
     * @param request the mapped lead and its {@code salesforce} destination
     * @return {@code CREATED} or {@code UPDATED} with the Lead id ({@code 00Q...}), {@code SKIPPED} with the matched
     *         Lead id, or {@code DRY_RUN} with the request's {@code knownRecordId} (possibly null)
     * @throws TransientDeliveryException on {@code REQUEST_LIMIT_EXCEEDED} (with a wait), {@code UNABLE_TO_LOCK_ROW},
     *                                    408, 429, 5xx, no answer (status 0, also from the token endpoint), or when
     *                                    dry-run files cannot be written
     * @throws PermanentDeliveryException on any other 4xx (with Salesforce's body), a 300 (several Leads with the
     *                                    same external id), a refused login (400), an unusable keystore, a missing
     *                                    credential or a malformed setting (status 0)
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        Objects.requireNonNull(request, "request");
        DestinationConfig destination = Objects.requireNonNull(request.destination(), "destination");
        SalesforceSettings settings = SalesforceSettings.of(destination);
        Delivery delivery = new Delivery(request, settings);
        if (settings.isDryRun(destination)) {
            return delivery.dryRun();
        }
        requireCredentials(destination, settings);
        DeliveryResult result = delivery.live(orgs.org(request.tenant(), destination.id(), settings));
        if (log.isDebugEnabled()) {
            log.debug("salesforce delivery tenant={} destination={} event={}: {} lead {}", request.tenant(),
                    destination.id(), request.eventId(), result.outcome(), result.crmRecordId());
        }
        return result;
    }

    /** How the Lead subrequest addresses the record. */
    private enum LeadWrite {
        /** {@code POST /sobjects/Lead} */
        CREATE,
        /** {@code PATCH /sobjects/Lead/<id>} */
        UPDATE,
        /** {@code PATCH /sobjects/Lead/<external_id_field>/<phone>} */
        UPSERT
    }

    /** One {@code deliver} call: its request, settings and the requests it builds. */
    private final class Delivery {

        private final DeliveryRequest request;
        private final DestinationConfig destination;
        private final SalesforceSettings settings;
        private final DuplicateAction action;
        private final List<String> matchFields;
        private final Map<String, Object> leadFields = new LinkedHashMap<>();
        private final Map<String, Object> taskFields = new LinkedHashMap<>();

        Delivery(DeliveryRequest request, SalesforceSettings settings) {
            this.request = request;
            this.destination = request.destination();
            this.settings = settings;
            DuplicateDetection detection = destination.duplicateDetection() != null
                    ? destination.duplicateDetection() : DuplicateDetection.DEFAULT;
            this.action = detection.action() != null ? detection.action() : DuplicateAction.UPDATE_EXISTING;
            this.matchFields = detection.matchFields();
            if (request.properties() != null) {
                request.properties().forEach((name, value) -> {
                    if (name.startsWith(TASK_PREFIX)) {
                        taskFields.put(name.substring(TASK_PREFIX.length()), value);
                    } else {
                        leadFields.put(name, value);
                    }
                });
            }
        }

        private boolean upserts() {
            return settings.externalIdField() != null && !isBlank(request.phone())
                    && action == DuplicateAction.UPDATE_EXISTING;
        }

        // ---- dry run -------------------------------------------------------------------------------

        /** Writes the requests a live delivery would send, without an org to answer the lookups. */
        DeliveryResult dryRun() {
            String known = blankToNull(request.knownRecordId());
            List<SalesforceRequest> requests = new ArrayList<>();
            if (known != null && action == DuplicateAction.UPDATE_EXISTING) {
                requests.add(composite(LeadWrite.UPDATE, known));
            } else if (known != null && action == DuplicateAction.CREATE) {
                requests.add(composite(LeadWrite.CREATE, null));
            } else if (known == null && upserts()) {
                requests.add(composite(LeadWrite.UPSERT, null));
            } else if (known == null) {
                requests.addAll(lookups());
                requests.add(composite(LeadWrite.CREATE, null));
            }
            Path dir = request.dryRunDir();
            if (dir == null) {
                throw new PermanentDeliveryException("Salesforce dry run: destination " + destination.id()
                        + " has no dry-run folder", 0, null, null);
            }
            String prefix = safeFileName(request.eventId());
            try {
                Files.createDirectories(dir);
                for (int i = 0; i < requests.size(); i++) {
                    SalesforceRequest r = requests.get(i);
                    Path file = dir.resolve(String.format("%s-%02d-%s.json", prefix, i + 1, r.purpose()));
                    Files.write(file, objectMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(dryRunFile(r)));
                }
            } catch (IOException e) {
                throw new TransientDeliveryException("Salesforce dry run: cannot write request files to " + dir
                        + ": " + e.getClass().getSimpleName(), 0, null, null, e);
            }
            log.info("salesforce dry run tenant={} destination={} event={}: {} request(s) written to {}",
                    request.tenant(), destination.id(), request.eventId(), requests.size(), dir);
            return new DeliveryResult(Outcome.DRY_RUN, known);
        }

        private ObjectNode dryRunFile(SalesforceRequest r) {
            ObjectNode file = objectMapper.createObjectNode();
            file.put("method", r.method());
            String pathAndQuery = r.soql() == null ? r.path() : r.path() + "/?q=" + encode(r.soql());
            file.put("path", pathAndQuery);
            file.put("url", (settings.instanceUrl() != null ? settings.instanceUrl() : "<instance_url>") + pathAndQuery);
            if (r.soql() != null) {
                file.put("soql", r.soql());
            }
            ObjectNode headers = file.putObject("headers");
            if (r.body() != null) {
                headers.put("Content-Type", "application/json;charset=utf-8");
            }
            headers.put("Accept", "application/json;charset=utf-8");
            headers.put("Authorization", "Bearer ****");
            if (r.body() != null) {
                file.set("body", r.body());
            }
            return file;
        }

        // ---- live ----------------------------------------------------------------------------------

        DeliveryResult live(Org org) {
            String known = blankToNull(request.knownRecordId());
            if (known != null) {
                switch (action) {
                    case SKIP:
                        return new DeliveryResult(Outcome.SKIPPED, known);
                    case CREATE:
                        return write(org, LeadWrite.CREATE, null, false);
                    case UPDATE_EXISTING:
                    default:
                        DeliveryResult updated = write(org, LeadWrite.UPDATE, known, true);
                        if (updated != null) {
                            return updated;
                        }
                        log.info("salesforce tenant={} destination={} event={}: known lead {} is gone (404), "
                                + "looking it up again", request.tenant(), destination.id(), request.eventId(), known);
                }
            }
            if (upserts()) {
                return write(org, LeadWrite.UPSERT, null, false);
            }
            for (SalesforceRequest lookup : lookups()) {
                String found = lookup(org, lookup);
                if (found != null) {
                    return switch (action) {
                        case SKIP -> new DeliveryResult(Outcome.SKIPPED, found);
                        case CREATE -> write(org, LeadWrite.CREATE, null, false);
                        case UPDATE_EXISTING -> write(org, LeadWrite.UPDATE, found, false);
                    };
                }
            }
            return write(org, LeadWrite.CREATE, null, false);
        }

        /** @return the first Lead id the query found, or null */
        private String lookup(Org org, SalesforceRequest query) {
            SalesforceResponse response = send(query, () -> org.query(query.soql()));
            if (!response.isSuccess()) {
                throw error(query.describe(), response.status(), response.body());
            }
            JsonNode records = readJson(query, response, objectMapper).path("records");
            if (records.isArray() && !records.isEmpty()) {
                String id = records.get(0).path("Id").asText("");
                return id.isBlank() ? null : id;
            }
            return null;
        }

        /**
         * Sends the Lead + Task composite.
         *
         * @param recordId  the Lead id of an {@code UPDATE}, else null
         * @param fromIndex the id came from the contact index (a 404 means: look the lead up again)
         * @return the result, or null when {@code fromIndex} and the update found no record (404)
         */
        private DeliveryResult write(Org org, LeadWrite write, String recordId, boolean fromIndex) {
            SalesforceRequest composite = composite(write, recordId);
            CompositeAnswer answer = sendComposite(org, composite, objectMapper, this::maskPii);
            SalesforceResponse response = answer.response();
            Map<String, JsonNode> results = answer.results();
            JsonNode failed = firstFailure(results, objectMapper);
            if (failed != null) {
                String ref = failed.path("referenceId").asText();
                int status = failed.path("httpStatusCode").asInt();
                String body = failed.path("body").isMissingNode() ? "" : failed.path("body").toString();
                if (LEAD_REF.equals(ref) && fromIndex && status == 404) {
                    return null;
                }
                String what = composite.describe() + ", subrequest '" + ref + "'";
                if (LEAD_REF.equals(ref) && status == 300) {
                    throw new PermanentDeliveryException(maskPii(what + ": HTTP 300: several Leads have "
                            + settings.externalIdField() + " = " + request.phone()
                            + "; make the field Unique or merge the Leads"), status, body, null);
                }
                throw error(what, status, body);
            }
            JsonNode lead = results.get(LEAD_REF);
            if (lead == null) {
                throw new PermanentDeliveryException(composite.describe() + ": HTTP " + response.status()
                        + " without the lead subresponse", response.status(), response.body(), null);
            }
            String id = switch (write) {
                case UPDATE -> recordId;
                case CREATE -> lead.path("body").path("id").asText("");
                case UPSERT -> results.getOrDefault(LEAD_ID_REF, lead).path("body").path("Id")
                        .asText(lead.path("body").path("id").asText(""));
            };
            if (id.isBlank()) {
                throw new PermanentDeliveryException(composite.describe() + ": HTTP " + response.status()
                        + " without a lead id", response.status(), response.body(), null);
            }
            boolean created = write == LeadWrite.CREATE
                    || (write == LeadWrite.UPSERT && lead.path("httpStatusCode").asInt() == 201);
            return new DeliveryResult(created ? Outcome.CREATED : Outcome.UPDATED, id);
        }

        private SalesforceResponse send(SalesforceRequest r, Supplier<SalesforceResponse> call) {
            try {
                return call.get();
            } catch (SalesforceCallException e) {
                throw SalesforceErrors.fromCamel(r.describe(), e.salesforce(), objectMapper, this::maskPii);
            }
        }

        private RuntimeException error(String what, int status, String body) {
            return SalesforceErrors.toException(maskPii(what), status, body, objectMapper, this::maskPii);
        }

        // ---- requests ------------------------------------------------------------------------------

        /** The lookups of {@code match_fields}, in order, for the lead values present. */
        private List<SalesforceRequest> lookups() {
            List<SalesforceRequest> lookups = new ArrayList<>();
            for (String field : matchFields) {
                switch (field) {
                    case "phone" -> {
                        if (!isBlank(request.phone())) {
                            lookups.add(query("query-phone", "query lead by phone", settings.phoneField(),
                                    request.phone()));
                        }
                    }
                    case "email" -> {
                        if (!isBlank(request.email())) {
                            lookups.add(query("query-email", "query lead by email", "Email", request.email()));
                        }
                    }
                    default -> log.warn("salesforce destination {}: ignoring unknown match field '{}'",
                            destination.id(), field);
                }
            }
            return lookups;
        }

        private SalesforceRequest query(String purpose, String operation, String field, String value) {
            String soql = "SELECT Id FROM Lead WHERE " + field + " = '" + soqlEscape(value)
                    + "' AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 1";
            return new SalesforceRequest(purpose, operation, "GET", settings.dataPath() + "/query", soql, null);
        }

        private SalesforceRequest composite(LeadWrite write, String recordId) {
            String sobjects = settings.dataPath() + "/sobjects";
            ObjectNode body = objectMapper.createObjectNode();
            body.put("allOrNone", true);
            ArrayNode subrequests = body.putArray("compositeRequest");
            String whoId;
            String operation;
            switch (write) {
                case UPDATE -> {
                    subrequest(objectMapper, subrequests, "PATCH", sobjects + "/Lead/" + encode(recordId), LEAD_REF, leadFields);
                    whoId = recordId;
                    operation = "update lead " + recordId;
                }
                case UPSERT -> {
                    String byExternalId = sobjects + "/Lead/" + settings.externalIdField() + "/" + encode(request.phone());
                    Map<String, Object> fields = new LinkedHashMap<>(leadFields);
                    fields.remove(settings.externalIdField());
                    subrequest(objectMapper, subrequests, "PATCH", byExternalId, LEAD_REF, fields);
                    subrequest(objectMapper, subrequests, "GET", byExternalId + "?fields=Id", LEAD_ID_REF, null);
                    whoId = "@{" + LEAD_ID_REF + ".Id}";
                    operation = "upsert lead by " + settings.externalIdField();
                }
                case CREATE -> {
                    subrequest(objectMapper, subrequests, "POST", sobjects + "/Lead", LEAD_REF, leadFields);
                    whoId = "@{" + LEAD_REF + ".id}";
                    operation = "create lead";
                }
                default -> throw new IllegalStateException("unknown lead write " + write);
            }
            TaskSettings task = settings.task();
            if (task.enabled()) {
                Map<String, Object> fields = taskFields(whoId);
                if (task.externalIdField() != null) {
                    fields.remove(task.externalIdField());
                    subrequest(objectMapper, subrequests, "PATCH", sobjects + "/Task/" + task.externalIdField() + "/"
                            + encode(request.eventId()), TASK_REF, fields);
                } else {
                    subrequest(objectMapper, subrequests, "POST", sobjects + "/Task", TASK_REF, fields);
                }
                operation += " and task";
            }
            return new SalesforceRequest("composite", operation, "POST", settings.dataPath() + "/composite", null,
                    body);
        }

        /** The Task's fields: the {@code task} setting's defaults, then the mapped {@code Task.*} properties, then WhoId. */
        private Map<String, Object> taskFields(String whoId) {
            TaskSettings task = settings.task();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("Subject", task.subject());
            fields.put("Status", task.status());
            fields.put("Priority", task.priority());
            if (task.dueInDays() != null) {
                ZoneId zone = tenantZones.apply(request.tenant());
                fields.put("ActivityDate", LocalDate.now(clock.withZone(zone)).plusDays(task.dueInDays()).toString());
            }
            fields.putAll(taskFields);
            fields.put("WhoId", whoId);
            return fields;
        }

        /** Masks this lead's phone and e-mail (in any of their spellings) and any other phone or e-mail. */
        private String maskPii(String text) {
            if (text == null) {
                return null;
            }
            String masked = text;
            String email = request.email();
            if (!isBlank(email)) {
                masked = masked.replace(email, Masking.email(email)).replace(encode(email), Masking.email(email));
            }
            String phone = request.phone();
            if (!isBlank(phone)) {
                masked = masked.replace(phone, Masking.phone(phone));
                if (phone.startsWith("+") && phone.length() > 1) {
                    masked = masked.replace(phone.substring(1), Masking.phone(phone.substring(1)));
                }
            }
            return Masking.text(masked);
        }
    }

    // ---- shared with SalesforceWorkflowWriter --------------------------------------------------------

    /**
     * @param destination a live {@code salesforce} destination
     * @param settings    its settings
     * @throws PermanentDeliveryException naming the first empty credential setting
     */
    static void requireCredentials(DestinationConfig destination, SalesforceSettings settings) {
        String missing = settings.missingCredential();
        if (missing != null) {
            throw new PermanentDeliveryException("Salesforce destination " + destination.id() + ": setting " + missing
                    + " is empty (set it, or dry_run: auto to write the requests to files instead)", 0, null, null);
        }
    }

    /**
     * A composite request's answer.
     *
     * @param response the HTTP answer (2xx)
     * @param results  the subresponses by {@code referenceId}, in answer order
     */
    record CompositeAnswer(SalesforceResponse response, Map<String, JsonNode> results) {
    }

    /**
     * Sends a composite request through the org's camel-salesforce {@code composite} endpoint.
     *
     * @param org       the destination's org connection
     * @param composite the request ({@code body} = {@code {"allOrNone", "compositeRequest": [...]}})
     * @param mapper    JSON reader and writer
     * @param maskPii   masks personal data in messages
     * @return the answer with its subresponses (which may have failed: see {@link #firstFailure})
     * @throws TransientDeliveryException / PermanentDeliveryException as {@link SalesforceErrors} maps a refused
     *                                    request or no answer; permanent for an unreadable answer
     */
    static CompositeAnswer sendComposite(Org org, SalesforceRequest composite, ObjectMapper mapper,
                                         UnaryOperator<String> maskPii) {
        String json;
        try {
            json = mapper.writeValueAsString(composite.body());
        } catch (JsonProcessingException e) {
            throw new PermanentDeliveryException(composite.describe() + ": cannot serialise the request body",
                    0, null, e);
        }
        SalesforceResponse response;
        try {
            response = org.composite(json);
        } catch (SalesforceCallException e) {
            throw SalesforceErrors.fromCamel(composite.describe(), e.salesforce(), mapper, maskPii);
        }
        if (!response.isSuccess()) {
            throw SalesforceErrors.toException(maskPii.apply(composite.describe()), response.status(), response.body(),
                    mapper, maskPii);
        }
        Map<String, JsonNode> results = new LinkedHashMap<>();
        readJson(composite, response, mapper).path("compositeResponse")
                .forEach(r -> results.put(r.path("referenceId").asText(), r));
        return new CompositeAnswer(response, results);
    }

    /**
     * @param results subresponses by reference id
     * @param mapper  JSON reader
     * @return the subresponse that caused the failure (not only {@code PROCESSING_HALTED}), or null when all
     *         succeeded
     */
    static JsonNode firstFailure(Map<String, JsonNode> results, ObjectMapper mapper) {
        JsonNode firstFailed = null;
        for (JsonNode r : results.values()) {
            int status = r.path("httpStatusCode").asInt();
            if (status >= 200 && status < 300) {
                continue;
            }
            if (firstFailed == null) {
                firstFailed = r;
            }
            String body = r.path("body").isMissingNode() ? "" : r.path("body").toString();
            if (!SalesforceErrors.onlyHalted(SalesforceErrors.errors(body, mapper))) {
                return r;
            }
        }
        return firstFailed;
    }

    /** Adds {@code {method, url, referenceId, body}} to a composite's {@code compositeRequest} array. */
    static void subrequest(ObjectMapper mapper, ArrayNode subrequests, String method, String url, String referenceId,
                           Map<String, Object> fields) {
        ObjectNode sub = subrequests.addObject();
        sub.put("method", method);
        sub.put("url", url);
        sub.put("referenceId", referenceId);
        if (fields != null) {
            sub.set("body", mapper.valueToTree(fields));
        }
    }

    private static JsonNode readJson(SalesforceRequest r, SalesforceResponse response, ObjectMapper mapper) {
        try {
            JsonNode json = mapper.readTree(response.body());
            if (json == null || !json.isObject()) {
                throw new IOException("not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                    + " with an unreadable body", response.status(), response.body(), e);
        }
    }

    /**
     * Escapes a value for a SOQL string literal (quotes and backslash escapes per the SOQL reference,
     * "Quoted String Escape Sequences").
     *
     * @param value raw value
     * @return the value with {@code \ ' " \n \r \t \b \f} escaped
     */
    static String soqlEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** URL-encodes a path segment or query value ({@code +} → {@code %2B}, space → {@code %20}). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String safeFileName(String eventId) {
        if (isBlank(eventId)) {
            return "no-event-id";
        }
        return eventId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.trim();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
