package io.leadhub.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.leadhub.calls.TwilioRestClients;
import io.leadhub.config.LeadHubProperties;
import io.leadhub.contact.ContactIndex;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.event.EnrichedLead;
import io.leadhub.inbound.twilio.TwilioSettings;
import io.leadhub.mapping.MappingContext;
import io.leadhub.mapping.MappingException;
import io.leadhub.mapping.WorkflowTrigger;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Runs a tenant's {@code workflow_triggers} for one enriched lead (route {@code workflow-triggers}, step
 * {@code run-triggers}). Each trigger whose {@code when} holds runs its actions in file order, each at most once per
 * tenant|event|trigger|action ({@link WorkflowActionLog}: insert first, then run, then record
 * done/failed/skipped/deferred).
 *
 * <p>Actions:
 * <ul>
 *   <li>{@code send_notification} on the channel {@code params.channel} ({@code slack} or {@code email}; default
 *       slack when {@code workflow.notification.slack_webhook_url} is set, else email): {@code slack} posts
 *       {@code {"text": <params.message>}} to the Slack-compatible incoming webhook
 *       (https://api.slack.com/messaging/webhooks); {@code email} sends {@code params.subject} / {@code params.message}
 *       to {@code params.to} (else {@code workflow.notification.email.to}) through the tenant's SMTP server
 *       ({@link WorkflowMail}). {@code params.channel: [slack, email]} sends on both, each channel recorded as its
 *       own unit ({@code send_notification.slack}, {@code send_notification.email}) so each is sent once.</li>
 *   <li>{@code send_sms}: twilio-java {@code Message.creator(to, from, body)} with the tenant's {@code sources.twilio}
 *       account (client from {@link TwilioRestClients}); {@code from} = {@code workflow.sms.from}, else
 *       {@code sources.twilio.caller_id}. Inside {@code workflow.sms.quiet_hours} (tenant timezone) the SMS is not
 *       sent: it is recorded as {@code deferred} with the end of the quiet hours and the rendered message, and
 *       {@link #runDeferred()} (route {@code workflow-deferred-actions}) sends it when the quiet hours end.</li>
 *   <li>{@code create_task}: a task due {@code params.due_in_days} (default 1) days from today (tenant time zone),
 *       subject {@code params.subject}, body {@code params.message}, priority from {@code ai.urgency}, linked to the
 *       lead's record in the CRM destination ({@code params.destination}, else the first enabled destination whose
 *       type has a {@link CrmWorkflowWriter}); written by that type's writer.</li>
 *   <li>{@code assign_owner}: the owner of the first {@code params.rules} entry whose CEL {@code if} holds, else
 *       round-robin over {@code params.owners}, written to the record's owner field by the writer.</li>
 *   <li>{@code schedule_follow_up_call}: a {@code scheduled_calls} row due {@code params.due_in_days} (default 1)
 *       days from now.</li>
 * </ul>
 * Templates ({@code params.message}, {@code params.subject}): {@code {lead.first_name}}, {@code {call.x}},
 * {@code {ai.x}} are replaced with the lead's values (missing = empty). A CRM action on a dry-run destination sends
 * nothing: it is written as {@code <data-dir>/dry-run/<tenant>/<destination>/<event>-workflow-<trigger>-<action>.json}
 * and recorded done. Without a CRM destination whose type has a writer, the action is recorded skipped.
 *
 * <p>Failures: a transient failure (HTTP 5xx/408/429, I/O, the lead's record id in the CRM not known yet because the CRM
 * delivery has not finished) leaves the action {@code pending} and throws {@link TransientDeliveryException}, so
 * the route redelivers the lead and only unfinished actions run again; a permanent failure (other 4xx, missing
 * configuration) is recorded as {@code failed} and the other actions carry on.
 */
@Component("workflowActions")
public class WorkflowActions {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowActions.class);
    /** Deferred rows handled per run of {@link #runDeferred()}. */
    static final int DEFERRED_BATCH = 100;
    /** Wait before a deferred SMS is tried again after a transient Twilio failure. */
    static final int DEFERRED_RETRY_MINUTES = 5;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(lead|call|ai)\\.([a-z0-9_]+)}");

    private final ObjectMapper json;
    private final TenantRegistry tenants;
    private final WorkflowActionLog log;
    private final ContactIndex contacts;
    private final TwilioRestClients twilio;
    private final RestClient http;
    private final Clock clock;
    private final Map<String, CrmWorkflowWriter> writers;
    private final Path dataDir;
    private final WorkflowMail mail;
    private final WorkflowMetrics metrics;

    /**
     * @param json     JSON mapper
     * @param tenants  tenant registry
     * @param log      action log
     * @param contacts contact index (the lead's record id per destination)
     * @param twilio   twilio-java clients
     * @param builder  Spring's RestClient builder
     * @param writers  the CRM side of create_task / assign_owner, one per destination type
     * @param props    LeadHub settings (data dir for dry-run files)
     * @param mail     SMTP sender of e-mail notifications
     * @param metrics  action counters
     * @param clock    clock (tests pass a fixed one)
     */
    public WorkflowActions(ObjectMapper json, TenantRegistry tenants, WorkflowActionLog log, ContactIndex contacts,
                           TwilioRestClients twilio, RestClient.Builder builder, List<CrmWorkflowWriter> writers,
                           LeadHubProperties props, WorkflowMail mail, WorkflowMetrics metrics,
                           Optional<Clock> clock) {
        this.mail = mail;
        this.metrics = metrics;
        this.json = json;
        this.writers = writers.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                CrmWorkflowWriter::type, w -> w));
        this.dataDir = props.dataDir();
        this.tenants = tenants;
        this.log = log;
        this.contacts = contacts;
        this.twilio = twilio;
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build());
        factory.setReadTimeout(java.time.Duration.ofSeconds(30));
        this.http = builder.clone().requestFactory(factory).build();
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Step {@code run-triggers}.
     *
     * @param body the {@link EnrichedLead} JSON from {@code leads.triggers}
     * @return per trigger|action the status it has now (for logs and tests)
     * @throws IOException                 when the record is not an enriched lead
     * @throws TransientDeliveryException  when an action should be retried (see class comment)
     * @throws PermanentDeliveryException  when a trigger's condition fails to evaluate
     */
    public Map<String, String> run(String body) throws IOException {
        EnrichedLead lead = json.readValue(body, EnrichedLead.class);
        Map<String, String> out = new LinkedHashMap<>();
        TenantConfig tenant = tenants.find(lead.tenant()).orElse(null);
        if (tenant == null) {
            return out;
        }
        MappingContext ctx = new MappingContext(lead.lead(), lead.call(), lead.ai());
        TransientDeliveryException retry = null;
        for (WorkflowTrigger trigger : tenant.workflowTriggers()) {
            boolean matches;
            try {
                matches = trigger.matches(ctx);
            } catch (MappingException e) {
                throw new PermanentDeliveryException("workflow trigger '" + trigger.name() + "' of tenant '"
                        + tenant.tenant() + "': " + e.getMessage(), 0, null, e);
            }
            if (!matches) {
                continue;
            }
            for (String action : trigger.actions()) {
                for (String unit : units(trigger, action)) {
                    retry = runUnit(tenant, trigger, action, unit, lead, out, retry);
                }
            }
        }
        if (retry != null) {
            throw retry;
        }
        return out;
    }

    /**
     * The once-per-event units of an action: the action itself, or for {@code send_notification} with a list of
     * channels ({@code params.channel: [slack, email]}) one unit per channel ({@code send_notification.slack},
     * {@code send_notification.email}), each claimed on its own so a retry of one never repeats the other.
     */
    private static List<String> units(WorkflowTrigger trigger, String action) {
        if ("send_notification".equals(action) && trigger.params().get("channel") instanceof List<?> channels
                && channels.size() > 1) {
            return channels.stream().map(c -> action + "." + c).toList();
        }
        return List.of(action);
    }

    /** Claims, runs and records one unit; returns the first transient failure so far (to rethrow at the end). */
    private TransientDeliveryException runUnit(TenantConfig tenant, WorkflowTrigger trigger, String action,
                                               String unit, EnrichedLead lead, Map<String, String> out,
                                               TransientDeliveryException retry) {
        if (!log.claim(tenant.tenant(), lead.eventId(), trigger.name(), unit)) {
            out.put(trigger.name() + "|" + unit, log.status(tenant.tenant(), lead.eventId(), trigger.name(), unit)
                    .orElse(""));
            return retry;
        }
        Outcome outcome;
        try {
            outcome = runAction(tenant, trigger, unit, lead);
        } catch (TransientDeliveryException e) {
            LOG.warn("Workflow action {} of trigger '{}' (tenant '{}', event {}) will be retried: {}", unit,
                    trigger.name(), tenant.tenant(), lead.eventId(), e.getMessage());
            out.put(trigger.name() + "|" + unit, WorkflowActionLog.PENDING);
            metrics.record(tenant.tenant(), action, "retry");
            return retry == null ? e : retry;
        } catch (PermanentDeliveryException e) {
            outcome = new Outcome(WorkflowActionLog.FAILED, e.getMessage(), null);
        }
        log.finish(tenant.tenant(), lead.eventId(), trigger.name(), unit, outcome.status(), outcome.detail(),
                outcome.dueAt(), outcome.payloadJson(json));
        metrics.record(tenant.tenant(), action, outcome.status());
        LOG.info("Workflow action {} of trigger '{}' (tenant '{}', event {}): {} {}", unit, trigger.name(),
                tenant.tenant(), lead.eventId(), outcome.status(), outcome.detail() == null ? "" : outcome.detail());
        out.put(trigger.name() + "|" + unit, outcome.status());
        return retry;
    }

    /**
     * How an action ended.
     *
     * @param status  a {@link WorkflowActionLog} status
     * @param detail  reason or result (masked), may be null
     * @param dueAt   when a deferred action is due, else null
     * @param payload what a deferred action will send ({@code to}, {@code from}, {@code body}), else null
     */
    record Outcome(String status, String detail, Instant dueAt, Map<String, String> payload) {

        Outcome(String status, String detail, Instant dueAt) {
            this(status, detail, dueAt, null);
        }

        String payloadJson(ObjectMapper json) {
            try {
                return payload == null ? null : json.writeValueAsString(payload);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write a map of strings", e);
            }
        }
    }

    private Outcome runAction(TenantConfig tenant, WorkflowTrigger trigger, String action, EnrichedLead lead) {
        return switch (action) {
            case "send_notification" -> notify(tenant, trigger, lead, null);
            case "send_notification.slack" -> notify(tenant, trigger, lead, "slack");
            case "send_notification.email" -> notify(tenant, trigger, lead, "email");
            case "send_sms" -> sms(tenant, trigger, lead);
            case "create_task" -> task(tenant, trigger, lead);
            case "assign_owner" -> owner(tenant, trigger, lead);
            case "schedule_follow_up_call" -> followUpCall(tenant, trigger, lead);
            default -> new Outcome(WorkflowActionLog.SKIPPED, "unknown action " + action, null);
        };
    }

    private Outcome notify(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead, String unitChannel) {
        Map<String, Object> notification = map(tenant.workflow().get("notification"));
        // an optional placeholder that resolved empty (${X:}) counts as not configured
        Object url = notification.get("slack_webhook_url") instanceof Secret s && !s.isEmpty() ? s : null;
        Map<String, Object> email = map(notification.get("email"));
        Object channel = unitChannel != null ? unitChannel : trigger.params().get("channel");
        if (channel instanceof List<?> one) {
            channel = one.isEmpty() ? null : one.get(0);
        }
        String chosen = channel != null ? channel.toString() : url != null ? "slack" : !email.isEmpty() ? "email"
                : null;
        if (chosen == null) {
            return new Outcome(WorkflowActionLog.SKIPPED, "no notification channel configured "
                    + "(workflow.notification.slack_webhook_url or workflow.notification.email)", null);
        }
        String text = render(text(trigger.params().get("message"),
                "New lead {lead.full_name} ({lead.phone}) matched " + trigger.name()), lead);
        if ("email".equals(chosen)) {
            if (email.isEmpty()) {
                throw new PermanentDeliveryException("tenant '" + tenant.tenant()
                        + "' has no workflow.notification.email", 0, null, null);
            }
            String subject = render(text(trigger.params().get("subject"), "LeadHub: {lead.full_name} matched "
                    + trigger.name()), lead);
            int recipients = mail.send(email, WorkflowMail.strings(trigger.params().get("to")), subject, text);
            return new Outcome(WorkflowActionLog.DONE, "e-mail sent to " + recipients + " recipient(s)", null);
        }
        if (!(url instanceof Secret secret) || secret.isEmpty()) {
            throw new PermanentDeliveryException("tenant '" + tenant.tenant()
                    + "' has no workflow.notification.slack_webhook_url", 0, null, null);
        }
        send(() -> http.post().uri(URI.create(secret.reveal())).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("text", text)).retrieve().toBodilessEntity(), "Slack webhook");
        return new Outcome(WorkflowActionLog.DONE, "notification posted", null);
    }

    private Outcome sms(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        if (lead.phone() == null) {
            return new Outcome(WorkflowActionLog.SKIPPED, "lead has no phone", null);
        }
        Map<String, Object> sms = map(tenant.workflow().get("sms"));
        // null = sources.twilio.caller_id when it is sent (also for a deferred SMS: the configuration of that time)
        String from = sms.get("from") != null ? sms.get("from").toString() : null;
        String body = render(text(trigger.params().get("message"),
                "Thanks for calling, {lead.first_name}! We will get back to you shortly."), lead);
        Instant resume = quietHoursEnd(map(sms.get("quiet_hours")), tenant.timezone());
        if (resume != null) {
            Map<String, String> message = new LinkedHashMap<>();
            message.put("to", lead.phone());
            message.put("from", from);
            message.put("body", body);
            return new Outcome(WorkflowActionLog.DEFERRED, "quiet hours until " + resume, resume, message);
        }
        return sendSms(tenant, lead.phone(), from, body);
    }

    /**
     * Sends one SMS with twilio-java through the tenant's {@code sources.twilio} account.
     *
     * @return DONE with the message SID and the masked number
     * @throws PermanentDeliveryException without account, token or sender, or on a Twilio 4xx
     * @throws TransientDeliveryException when Twilio is unreachable or answers 5xx, 408 or 429
     */
    private Outcome sendSms(TenantConfig tenant, String to, String from, String body) {
        TwilioSettings settings = TwilioSettings.of(tenant);
        String sender = from != null ? from : settings.callerId();
        if (settings.accountSid() == null || settings.authToken().isEmpty() || sender == null) {
            throw new PermanentDeliveryException("tenant '" + tenant.tenant() + "' needs sources.twilio.account_sid, "
                    + "auth_token and workflow.sms.from (or sources.twilio.caller_id) for send_sms", 0, null, null);
        }
        try {
            Message message = Message.creator(new PhoneNumber(to), new PhoneNumber(sender), body)
                    .create(twilio.client(settings));
            return new Outcome(WorkflowActionLog.DONE, "SMS " + message.getSid() + " to " + Masking.phone(to), null);
        } catch (ApiConnectionException e) {
            throw new TransientDeliveryException("Twilio unreachable: " + e.getMessage(), 0, null, null, e);
        } catch (ApiException e) {
            int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
            if (status >= 500 || status == 429 || status == 408) {
                throw new TransientDeliveryException("Twilio " + status + ": " + e.getMessage(), status, null, null,
                        e);
            }
            throw new PermanentDeliveryException("Twilio " + status + ": " + e.getMessage(), status, null, e);
        }
    }

    /**
     * Step {@code send-due-deferred-actions} of route {@code workflow-deferred-actions}: sends the SMS deferred by
     * quiet hours whose time has come. Each row is claimed first ({@link WorkflowActionLog#claimDeferred}), so
     * only one instance sends it. Outcomes: sent = done; Twilio 4xx or missing settings = failed; Twilio 5xx, 429
     * or unreachable = deferred again {@value #DEFERRED_RETRY_MINUTES} minutes later; still (or again) inside the
     * quiet hours = deferred to their end; the tenant file gone = failed.
     *
     * @return the number of rows handled in this run (at most {@value #DEFERRED_BATCH})
     */
    public int runDeferred() {
        int handled = 0;
        for (WorkflowActionLog.Deferred row : log.dueDeferred(DEFERRED_BATCH)) {
            if (!log.claimDeferred(row)) {
                continue;
            }
            handled++;
            Outcome outcome;
            try {
                outcome = sendDeferred(row);
            } catch (TransientDeliveryException e) {
                outcome = new Outcome(WorkflowActionLog.DEFERRED, "retry after: " + e.getMessage(),
                        clock.instant().plus(java.time.Duration.ofMinutes(DEFERRED_RETRY_MINUTES)));
            } catch (PermanentDeliveryException | IOException e) {
                outcome = new Outcome(WorkflowActionLog.FAILED, e.getMessage(), null);
            }
            log.finish(row.tenant(), row.eventId(), row.trigger(), row.action(), outcome.status(), outcome.detail(),
                    outcome.dueAt(), WorkflowActionLog.DEFERRED.equals(outcome.status()) ? row.payload() : null);
            metrics.record(row.tenant(), row.action(), outcome.status());
            LOG.info("Deferred workflow action {} of trigger '{}' (tenant '{}', event {}): {} {}", row.action(),
                    row.trigger(), row.tenant(), row.eventId(), outcome.status(), outcome.detail());
        }
        return handled;
    }

    private Outcome sendDeferred(WorkflowActionLog.Deferred row) throws IOException {
        TenantConfig tenant = tenants.find(row.tenant()).orElseThrow(() -> new PermanentDeliveryException(
                "tenant '" + row.tenant() + "' is no longer configured", 0, null, null));
        Map<String, String> message = json.readValue(row.payload(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        Instant resume = quietHoursEnd(map(map(tenant.workflow().get("sms")).get("quiet_hours")), tenant.timezone());
        if (resume != null) {
            return new Outcome(WorkflowActionLog.DEFERRED, "quiet hours until " + resume, resume, message);
        }
        return sendSms(tenant, message.get("to"), message.get("from"), message.get("body"));
    }

    /**
     * @param quiet {@code {start: "HH:MM", end: "HH:MM"}} or empty
     * @param zone  tenant zone
     * @return the end of the quiet hours when now is inside them, else null
     */
    Instant quietHoursEnd(Map<String, Object> quiet, ZoneId zone) {
        if (quiet.get("start") == null || quiet.get("end") == null) {
            return null;
        }
        LocalTime start = LocalTime.parse(quiet.get("start").toString());
        LocalTime end = LocalTime.parse(quiet.get("end").toString());
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        LocalTime t = now.toLocalTime();
        boolean inside = start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end)
                : !t.isBefore(start) || t.isBefore(end);
        if (!inside) {
            return null;
        }
        LocalDate day = t.isBefore(end) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
        return day.atTime(end).atZone(zone).toInstant();
    }

    private Outcome task(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        CrmTarget target = crmTarget(tenant, trigger);
        if (target.skipped() != null) {
            return target.skipped();
        }
        long days = number(trigger.params().get("due_in_days"), 1);
        LocalDate dueDate = LocalDate.now(clock.withZone(tenant.timezone())).plusDays(days);
        CrmTask task = new CrmTask(lead.eventId(),
                render(text(trigger.params().get("subject"), "Follow up {lead.full_name}"), lead),
                render(text(trigger.params().get("message"), "Lead matched workflow trigger " + trigger.name()), lead),
                dueDate, dueDate.atStartOfDay(tenant.timezone()).toInstant(), tenant.timezone(),
                CrmTask.Priority.fromUrgency(lead.ai() == null ? null : lead.ai().get("urgency")));
        DestinationConfig destination = target.destination();
        if (destination.isDryRun()) {
            return dryRun(tenant, trigger, "create_task", lead, destination, Map.of("task", task));
        }
        String recordId = recordId(tenant, destination, lead);
        return new Outcome(WorkflowActionLog.DONE, target.writer().createTask(tenant.tenant(), destination, recordId, task), null);
    }

    private Outcome owner(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        CrmTarget target = crmTarget(tenant, trigger);
        if (target.skipped() != null) {
            return target.skipped();
        }
        String ruleOwner = null;
        MappingContext ctx = new MappingContext(lead.lead(), lead.call(), lead.ai());
        for (WorkflowTrigger.OwnerRule rule : trigger.ownerRules()) {
            try {
                if (rule.when().test(ctx)) {
                    ruleOwner = rule.owner();
                    break;
                }
            } catch (MappingException e) {
                throw new PermanentDeliveryException("workflow trigger '" + trigger.name() + "' params.rules: "
                        + e.getMessage(), 0, null, e);
            }
        }
        Object owners = trigger.params().get("owners");
        if (ruleOwner == null && (!(owners instanceof List<?> list) || list.isEmpty())) {
            throw new PermanentDeliveryException("workflow trigger '" + trigger.name() + "': no params.rules entry "
                    + "matched and there are no params.owners for assign_owner", 0, null, null);
        }
        DestinationConfig destination = target.destination();
        String recordId = destination.isDryRun() ? null : recordId(tenant, destination, lead);
        String owner = ruleOwner;
        if (owner == null) {
            List<?> list = (List<?>) owners;
            owner = String.valueOf(list.get(log.nextOwnerIndex(tenant.tenant(), trigger.name(), list.size())));
        }
        if (destination.isDryRun()) {
            return dryRun(tenant, trigger, "assign_owner", lead, destination, Map.of("owner_id", owner));
        }
        return new Outcome(WorkflowActionLog.DONE, target.writer().assignOwner(tenant.tenant(), destination, recordId, owner), null);
    }

    /**
     * The CRM a {@code create_task} / {@code assign_owner} writes to: the enabled destination named by the trigger's
     * {@code params.destination}, else the tenant's first enabled destination whose type has a
     * {@link CrmWorkflowWriter}.
     */
    private CrmTarget crmTarget(TenantConfig tenant, WorkflowTrigger trigger) {
        Object wanted = trigger.params().get("destination");
        List<DestinationConfig> enabled = tenant.destinations().stream().filter(DestinationConfig::enabled).toList();
        if (wanted != null) {
            DestinationConfig d = enabled.stream().filter(x -> x.id().equals(wanted.toString())).findFirst()
                    .orElseThrow(() -> new PermanentDeliveryException("workflow trigger '" + trigger.name()
                            + "': params.destination '" + wanted + "' is not an enabled destination of tenant '"
                            + tenant.tenant() + "'", 0, null, null));
            CrmWorkflowWriter writer = writers.get(d.type());
            return writer == null ? new CrmTarget(null, null, new Outcome(WorkflowActionLog.SKIPPED,
                    "not supported for destination type " + d.type(), null)) : new CrmTarget(d, writer, null);
        }
        for (DestinationConfig d : enabled) {
            if (writers.containsKey(d.type())) {
                return new CrmTarget(d, writers.get(d.type()), null);
            }
        }
        return new CrmTarget(null, null, new Outcome(WorkflowActionLog.SKIPPED, enabled.isEmpty()
                ? "no CRM destination" : "not supported for destination types " + enabled.stream()
                .map(DestinationConfig::type).distinct().toList(), null));
    }

    /** The destination and writer of a CRM action, or the skipped outcome when there is none. */
    private record CrmTarget(DestinationConfig destination, CrmWorkflowWriter writer, Outcome skipped) {
    }

    private String recordId(TenantConfig tenant, DestinationConfig destination, EnrichedLead lead) {
        return contacts.knownRecordId(tenant.tenant(), destination.id(), List.of("phone", "email"), lead.phone(),
                lead.email()).orElseThrow(() -> new TransientDeliveryException("the lead's record id in destination '"
                + destination.id() + "' is not known yet (the CRM delivery has not finished)", 0, null, null, null));
    }

    /**
     * A dry-run destination gets no request: the action is written as
     * {@code <data-dir>/dry-run/<tenant>/<destination>/<event>-workflow-<trigger>-<action>.json} and recorded done.
     */
    private Outcome dryRun(TenantConfig tenant, WorkflowTrigger trigger, String action, EnrichedLead lead,
                           DestinationConfig destination, Map<String, Object> what) {
        Path dir = dataDir.resolve("dry-run").resolve(tenant.tenant()).resolve(destination.id());
        Path file = dir.resolve((lead.eventId() + "-workflow-" + trigger.name() + "-" + action)
                .replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("action", action);
        content.put("trigger", trigger.name());
        content.put("destination", destination.id());
        content.put("type", destination.type());
        content.put("event_id", lead.eventId());
        content.put("record_id", contacts.knownRecordId(tenant.tenant(), destination.id(), List.of("phone", "email"),
                lead.phone(), lead.email()).orElse(null));
        content.putAll(what);
        try {
            Files.createDirectories(dir);
            Files.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        } catch (IOException e) {
            throw new TransientDeliveryException("dry run: cannot write " + file + ": " + e.getClass().getSimpleName(),
                    0, null, null, e);
        }
        return new Outcome(WorkflowActionLog.DONE, "dry run: " + file.getFileName(), null);
    }

    private Outcome followUpCall(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        if (lead.phone() == null) {
            return new Outcome(WorkflowActionLog.SKIPPED, "lead has no phone", null);
        }
        Instant due = clock.instant().plus(java.time.Duration.ofDays(number(trigger.params().get("due_in_days"), 1)));
        log.scheduleCall(tenant.tenant(), lead.contactId(), lead.phone(), due, lead.eventId(), trigger.name());
        return new Outcome(WorkflowActionLog.DONE, "call back due " + due, null);
    }

    private <T> T send(java.util.function.Supplier<T> call, String what) {
        try {
            return call.get();
        } catch (RestClientResponseException e) {
            int status = e.getStatusCode().value();
            String detail = what + " answered " + status + ": " + e.getResponseBodyAsString();
            if (status >= 500 || status == 429 || status == 408) {
                throw new TransientDeliveryException(detail, status, e.getResponseBodyAsString(), null, e);
            }
            throw new PermanentDeliveryException(detail, status, e.getResponseBodyAsString(), e);
        } catch (ResourceAccessException e) {
            // not e.getMessage(): it names the URL, and a Slack webhook URL is a secret
            throw new TransientDeliveryException(what + " unreachable (" + e.getMostSpecificCause().getClass()
                    .getSimpleName() + ")", 0, null, null, e);
        }
    }

    /**
     * @param template text with {@code {lead.x}}, {@code {call.x}}, {@code {ai.x}} placeholders
     * @param lead     the lead
     * @return the text with the lead's values (missing = empty)
     */
    static String render(String template, EnrichedLead lead) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Map<String, Object> scope = switch (m.group(1)) {
                case "lead" -> lead.lead();
                case "call" -> lead.call();
                default -> lead.ai();
            };
            Object value = scope == null ? null : scope.get(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String text(Object value, String otherwise) {
        return value == null ? otherwise : value.toString();
    }

    private static long number(Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }
}
