package io.leadhub.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.leadhub.calls.TwilioRestClients;
import io.leadhub.contact.ContactIndex;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.hubspot.HubSpotConnector;
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
 *   <li>{@code send_notification}: {@code POST {"text": <params.message>}} to {@code workflow.notification.slack_webhook_url}
 *       (Slack incoming webhook, https://api.slack.com/messaging/webhooks).</li>
 *   <li>{@code send_sms}: twilio-java {@code Message.creator(to, from, body)} with the tenant's {@code sources.twilio}
 *       account (client from {@link TwilioRestClients}); {@code from} = {@code workflow.sms.from}, else
 *       {@code sources.twilio.caller_id}. Inside {@code workflow.sms.quiet_hours} (tenant timezone) the SMS is not
 *       sent and recorded as {@code deferred} with the end of the quiet hours.</li>
 *   <li>{@code create_task}: HubSpot {@code POST /crm/v3/objects/tasks} associated to the contact (type 204)
 *       (https://developers.hubspot.com/docs/api/crm/tasks); other CRM types: skipped.</li>
 *   <li>{@code assign_owner}: the owner of the first {@code params.rules} entry whose CEL {@code if} holds, else
 *       round-robin over {@code params.owners}, written as {@code hubspot_owner_id} with
 *       {@code PATCH /crm/v3/objects/contacts/{id}}; other CRM types: skipped.</li>
 *   <li>{@code schedule_follow_up_call}: a {@code scheduled_calls} row due {@code params.due_in_days} (default 1)
 *       days from now.</li>
 * </ul>
 * Templates ({@code params.message}, {@code params.subject}): {@code {lead.first_name}}, {@code {call.x}},
 * {@code {ai.x}} are replaced with the lead's values (missing = empty).
 *
 * <p>Failures: a transient failure (HTTP 5xx/408/429, I/O, HubSpot contact id not known yet because the CRM
 * delivery has not finished) leaves the action {@code pending} and throws {@link TransientDeliveryException}, so
 * the route redelivers the lead and only unfinished actions run again; a permanent failure (other 4xx, missing
 * configuration) is recorded as {@code failed} and the other actions carry on.
 */
@Component("workflowActions")
public class WorkflowActions {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowActions.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(lead|call|ai)\\.([a-z0-9_]+)}");

    private final ObjectMapper json;
    private final TenantRegistry tenants;
    private final WorkflowActionLog log;
    private final ContactIndex contacts;
    private final TwilioRestClients twilio;
    private final RestClient http;
    private final Clock clock;

    /**
     * @param json     JSON mapper
     * @param tenants  tenant registry
     * @param log      action log
     * @param contacts contact index (HubSpot record ids)
     * @param twilio   twilio-java clients
     * @param builder  Spring's RestClient builder
     * @param clock    clock (tests pass a fixed one)
     */
    public WorkflowActions(ObjectMapper json, TenantRegistry tenants, WorkflowActionLog log, ContactIndex contacts,
                           TwilioRestClients twilio, RestClient.Builder builder, Optional<Clock> clock) {
        this.json = json;
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
                if (!log.claim(tenant.tenant(), lead.eventId(), trigger.name(), action)) {
                    out.put(trigger.name() + "|" + action, log.status(tenant.tenant(), lead.eventId(),
                            trigger.name(), action).orElse(""));
                    continue;
                }
                Outcome outcome;
                try {
                    outcome = runAction(tenant, trigger, action, lead);
                } catch (TransientDeliveryException e) {
                    LOG.warn("Workflow action {} of trigger '{}' (tenant '{}', event {}) will be retried: {}", action,
                            trigger.name(), tenant.tenant(), lead.eventId(), e.getMessage());
                    out.put(trigger.name() + "|" + action, WorkflowActionLog.PENDING);
                    retry = retry == null ? e : retry;
                    continue;
                } catch (PermanentDeliveryException e) {
                    outcome = new Outcome(WorkflowActionLog.FAILED, e.getMessage(), null);
                }
                log.finish(tenant.tenant(), lead.eventId(), trigger.name(), action, outcome.status(),
                        outcome.detail(), outcome.dueAt());
                LOG.info("Workflow action {} of trigger '{}' (tenant '{}', event {}): {} {}", action, trigger.name(),
                        tenant.tenant(), lead.eventId(), outcome.status(), outcome.detail() == null ? ""
                                : outcome.detail());
                out.put(trigger.name() + "|" + action, outcome.status());
            }
        }
        if (retry != null) {
            throw retry;
        }
        return out;
    }

    /** How an action ended. */
    record Outcome(String status, String detail, Instant dueAt) {
    }

    private Outcome runAction(TenantConfig tenant, WorkflowTrigger trigger, String action, EnrichedLead lead) {
        return switch (action) {
            case "send_notification" -> notify(tenant, trigger, lead);
            case "send_sms" -> sms(tenant, trigger, lead);
            case "create_task" -> task(tenant, trigger, lead);
            case "assign_owner" -> owner(tenant, trigger, lead);
            case "schedule_follow_up_call" -> followUpCall(tenant, trigger, lead);
            default -> new Outcome(WorkflowActionLog.SKIPPED, "unknown action " + action, null);
        };
    }

    private Outcome notify(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        Object url = map(tenant.workflow().get("notification")).get("slack_webhook_url");
        if (!(url instanceof Secret secret) || secret.isEmpty()) {
            throw new PermanentDeliveryException("tenant '" + tenant.tenant()
                    + "' has no workflow.notification.slack_webhook_url", 0, null, null);
        }
        String text = render(text(trigger.params().get("message"),
                "New lead {lead.full_name} ({lead.phone}) matched " + trigger.name()), lead);
        send(() -> http.post().uri(URI.create(secret.reveal())).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("text", text)).retrieve().toBodilessEntity(), "Slack webhook");
        return new Outcome(WorkflowActionLog.DONE, "notification posted", null);
    }

    private Outcome sms(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        if (lead.phone() == null) {
            return new Outcome(WorkflowActionLog.SKIPPED, "lead has no phone", null);
        }
        Map<String, Object> sms = map(tenant.workflow().get("sms"));
        Instant resume = quietHoursEnd(map(sms.get("quiet_hours")), tenant.timezone());
        if (resume != null) {
            return new Outcome(WorkflowActionLog.DEFERRED, "quiet hours until " + resume, resume);
        }
        TwilioSettings settings = TwilioSettings.of(tenant);
        String from = sms.get("from") != null ? sms.get("from").toString() : settings.callerId();
        if (settings.accountSid() == null || settings.authToken().isEmpty() || from == null) {
            throw new PermanentDeliveryException("tenant '" + tenant.tenant() + "' needs sources.twilio.account_sid, "
                    + "auth_token and workflow.sms.from (or sources.twilio.caller_id) for send_sms", 0, null, null);
        }
        String body = render(text(trigger.params().get("message"),
                "Thanks for calling, {lead.first_name}! We will get back to you shortly."), lead);
        try {
            Message message = Message.creator(new PhoneNumber(lead.phone()), new PhoneNumber(from), body)
                    .create(twilio.client(settings));
            return new Outcome(WorkflowActionLog.DONE, "SMS " + message.getSid() + " to "
                    + Masking.phone(lead.phone()), null);
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
        Optional<DestinationConfig> crm = crm(tenant);
        if (crm.isEmpty() || !"hubspot".equals(crm.get().type())) {
            return notSupported(crm);
        }
        DestinationConfig hubspot = crm.get();
        String contactId = hubSpotContactId(tenant, hubspot, lead);
        long days = number(trigger.params().get("due_in_days"), 1);
        Instant due = LocalDate.now(clock.withZone(tenant.timezone())).plusDays(days).atStartOfDay(tenant.timezone())
                .toInstant();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", due.toString());
        properties.put("hs_task_subject", render(text(trigger.params().get("subject"),
                "Follow up {lead.full_name}"), lead));
        properties.put("hs_task_body", render(text(trigger.params().get("message"),
                "Lead matched workflow trigger " + trigger.name()), lead));
        properties.put("hs_task_status", "NOT_STARTED");
        properties.put("hs_task_priority", priority(lead.ai() == null ? null : lead.ai().get("urgency")));
        Map<String, Object> request = Map.of("properties", properties, "associations", List.of(Map.of(
                "to", Map.of("id", contactId),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 204)))));
        Map<?, ?> created = send(() -> http.post().uri(url(hubspot, "/crm/v3/objects/tasks"))
                .header("Authorization", "Bearer " + hubspot.token().reveal())
                .contentType(MediaType.APPLICATION_JSON).body(request).retrieve().body(Map.class), "HubSpot");
        return new Outcome(WorkflowActionLog.DONE, "HubSpot task " + (created == null ? "?" : created.get("id"))
                + " for contact " + contactId + " due " + due, null);
    }

    private Outcome owner(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        Optional<DestinationConfig> crm = crm(tenant);
        if (crm.isEmpty() || !"hubspot".equals(crm.get().type())) {
            return notSupported(crm);
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
        DestinationConfig hubspot = crm.get();
        String contactId = hubSpotContactId(tenant, hubspot, lead);
        String owner = ruleOwner;
        if (owner == null) {
            List<?> list = (List<?>) owners;
            owner = String.valueOf(list.get(log.nextOwnerIndex(tenant.tenant(), trigger.name(), list.size())));
        }
        String chosen = owner;
        send(() -> http.patch().uri(url(hubspot, "/crm/v3/objects/contacts/" + contactId))
                .header("Authorization", "Bearer " + hubspot.token().reveal())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("properties", Map.of("hubspot_owner_id", chosen))).retrieve().toBodilessEntity(),
                "HubSpot");
        return new Outcome(WorkflowActionLog.DONE, "owner " + owner + " on contact " + contactId, null);
    }

    private Outcome followUpCall(TenantConfig tenant, WorkflowTrigger trigger, EnrichedLead lead) {
        if (lead.phone() == null) {
            return new Outcome(WorkflowActionLog.SKIPPED, "lead has no phone", null);
        }
        Instant due = clock.instant().plus(java.time.Duration.ofDays(number(trigger.params().get("due_in_days"), 1)));
        log.scheduleCall(tenant.tenant(), lead.contactId(), lead.phone(), due, lead.eventId(), trigger.name());
        return new Outcome(WorkflowActionLog.DONE, "call back due " + due, null);
    }

    private static Optional<DestinationConfig> crm(TenantConfig tenant) {
        return tenant.destinations().stream().filter(DestinationConfig::enabled)
                .filter(d -> !"webhook".equals(d.type()) && !"custom_rest".equals(d.type())).findFirst();
    }

    private static Outcome notSupported(Optional<DestinationConfig> crm) {
        return new Outcome(WorkflowActionLog.SKIPPED, crm.map(d -> "not supported for " + d.type())
                .orElse("no CRM destination"), null);
    }

    private String hubSpotContactId(TenantConfig tenant, DestinationConfig hubspot, EnrichedLead lead) {
        return contacts.knownRecordId(tenant.tenant(), hubspot.id(), List.of("phone", "email"), lead.phone(),
                lead.email()).orElseThrow(() -> new TransientDeliveryException("HubSpot contact id of the lead not "
                + "known yet (destination '" + hubspot.id() + "' has not delivered it)", 0, null, null, null));
    }

    private static URI url(DestinationConfig d, String path) {
        String base = d.baseUrl() != null ? d.baseUrl().toString() : HubSpotConnector.DEFAULT_BASE_URL;
        return URI.create(base.replaceAll("/+$", "") + path);
    }

    private static String priority(Object urgency) {
        String u = urgency == null ? "" : urgency.toString().toLowerCase(java.util.Locale.ROOT);
        return switch (u) {
            case "high", "immediate", "urgent" -> "HIGH";
            case "low" -> "LOW";
            default -> "MEDIUM";
        };
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
