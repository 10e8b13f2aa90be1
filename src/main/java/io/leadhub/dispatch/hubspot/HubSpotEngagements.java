package io.leadhub.dispatch.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.CompiledExpression;
import io.leadhub.mapping.MappingContext;
import io.leadhub.mapping.MappingException;
import io.leadhub.tenant.DestinationConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.HtmlUtils;

/**
 * The HubSpot objects written besides the contact (HubSpot CRM v3 deals, calls and notes,
 * https://developers.hubspot.com/docs/api/crm/deals, .../calls, .../notes), each created with an association to
 * the contact in the same request ({@code associations: [{to: {id}, types: [{associationCategory:
 * HUBSPOT_DEFINED, associationTypeId}]}]}).
 *
 * <ul>
 *   <li>deal ({@code POST /crm/v3/objects/deals}) when {@code deal_when} (CEL over lead, call, ai) is true:
 *       {@code dealname} from {@code deal_name} (CEL; default {@code "<full name or phone> - <project type>"}),
 *       {@code amount} from the mapped property named by {@code deal_amount_property}, {@code pipeline}
 *       ({@code deal_pipeline}, default {@code default}), {@code dealstage} ({@code deal_stage}, default
 *       {@code appointmentscheduled}); deal→contact association type 3. Once per contact ({@code deal_per:
 *       contact}, default) or once per event ({@code deal_per: event});</li>
 *   <li>call ({@code POST /crm/v3/objects/calls}) when {@code log_call: true} and the event is a call:
 *       {@code hs_timestamp} (call start), {@code hs_call_direction} INBOUND/OUTBOUND, {@code hs_call_duration}
 *       (ms), {@code hs_call_recording_url}, {@code hs_call_body} (transcript, else summary),
 *       {@code hs_call_from_number}/{@code hs_call_to_number}, {@code hs_call_status} COMPLETED,
 *       {@code hs_call_title}; call→contact association type 194;</li>
 *   <li>note ({@code POST /crm/v3/objects/notes}) when {@code log_note: true}: {@code hs_timestamp} and
 *       {@code hs_note_body} (HTML: the call summary and the AI analysis); note→contact association type 202.</li>
 * </ul>
 * The association type ids are settings ({@code association_type_ids: {deal_to_contact, call_to_contact,
 * note_to_contact}}) with HubSpot's documented defaults (reference/providers.md section 6).
 */
final class HubSpotEngagements {

    static final String DEALS_PATH = "/crm/v3/objects/deals";
    static final String CALLS_PATH = "/crm/v3/objects/calls";
    static final String NOTES_PATH = "/crm/v3/objects/notes";

    static final long DEAL_TO_CONTACT = 3;
    static final long CALL_TO_CONTACT = 194;
    static final long NOTE_TO_CONTACT = 202;

    private HubSpotEngagements() {
    }

    /**
     * The engagement settings of a {@code hubspot} destination.
     *
     * @param dealWhen       {@code deal_when}, compiled by the tenant loader; null = no deals
     * @param dealName       {@code deal_name}, compiled; null = default name
     * @param amountProperty {@code deal_amount_property}: mapped property giving {@code amount}, or null
     * @param pipeline       {@code deal_pipeline}
     * @param stage          {@code deal_stage}
     * @param dealPerContact {@code deal_per: contact} (true) or {@code event}
     * @param logCall        {@code log_call}
     * @param logNote        {@code log_note}
     * @param dealToContact  association type id deal→contact
     * @param callToContact  association type id call→contact
     * @param noteToContact  association type id note→contact
     */
    record Config(CompiledExpression dealWhen, CompiledExpression dealName, String amountProperty, String pipeline,
                  String stage, boolean dealPerContact, boolean logCall, boolean logNote, long dealToContact,
                  long callToContact, long noteToContact) {

        /** @return true when anything besides the contact is written */
        boolean enabled() {
            return dealWhen != null || logCall || logNote;
        }

        /**
         * @param destination a hubspot destination
         * @return its engagement settings
         * @throws PermanentDeliveryException naming the setting when one is invalid
         */
        static Config from(DestinationConfig destination) {
            Map<String, Object> s = destination.settings();
            Map<String, Object> ids = map(destination, s.get("association_type_ids"));
            return new Config(
                    expression(destination, "deal_when", s.get("deal_when")),
                    expression(destination, "deal_name", s.get("deal_name")),
                    text(s.get("deal_amount_property"), null),
                    text(s.get("deal_pipeline"), "default"),
                    text(s.get("deal_stage"), "appointmentscheduled"),
                    !"event".equals(text(s.get("deal_per"), "contact")),
                    bool(destination, "log_call", s.get("log_call")),
                    bool(destination, "log_note", s.get("log_note")),
                    id(destination, "deal_to_contact", ids.get("deal_to_contact"), DEAL_TO_CONTACT),
                    id(destination, "call_to_contact", ids.get("call_to_contact"), CALL_TO_CONTACT),
                    id(destination, "note_to_contact", ids.get("note_to_contact"), NOTE_TO_CONTACT));
        }

        private static CompiledExpression expression(DestinationConfig d, String key, Object value) {
            if (value == null || value instanceof CompiledExpression) {
                return (CompiledExpression) value;
            }
            throw invalid(d, key, "must be a CEL expression compiled by the tenant loader");
        }

        private static boolean bool(DestinationConfig d, String key, Object value) {
            if (value == null) {
                return false;
            }
            if (value instanceof Boolean b) {
                return b;
            }
            throw invalid(d, key, "must be true or false");
        }

        private static long id(DestinationConfig d, String key, Object value, long def) {
            if (value == null) {
                return def;
            }
            try {
                return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                throw invalid(d, "association_type_ids." + key, "must be an integer");
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(DestinationConfig d, Object value) {
            if (value == null) {
                return Map.of();
            }
            if (value instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw invalid(d, "association_type_ids", "must be a mapping");
        }

        private static String text(Object value, String def) {
            return value == null || value.toString().isBlank() ? def : value.toString().trim();
        }

        private static PermanentDeliveryException invalid(DestinationConfig d, String key, String reason) {
            return new PermanentDeliveryException("hubspot destination " + d.id() + ": setting '" + key + "' " + reason,
                    0, null, null);
        }
    }

    /**
     * One object to create once.
     *
     * @param subject what it is done once for: the event id, or {@code contact:<contact id>} for a deal per contact
     * @param step    {@code deal}, {@code call} or {@code note}
     * @param request the create request, association included
     */
    record Planned(String subject, String step, HubSpotRequest request) {
    }

    /**
     * @param config    engagement settings
     * @param request   the delivery (its {@link DeliveryRequest#event()} supplies lead, call and ai)
     * @param contactId the HubSpot contact id (in a dry run possibly {@code {contactId}})
     * @param mapper    JSON factory
     * @return the objects this lead calls for, in order deal, call, note
     * @throws PermanentDeliveryException when {@code deal_when} or {@code deal_name} fails for this lead
     */
    static List<Planned> plan(Config config, DeliveryRequest request, String contactId, ObjectMapper mapper) {
        List<Planned> planned = new ArrayList<>();
        EnrichedLead event = request.event();
        if (event == null) {
            return planned;
        }
        MappingContext ctx = new MappingContext(event.lead(), event.call(), event.ai());
        Map<String, Object> call = event.call() == null ? Map.of() : event.call();
        String timestamp = timestamp(call.get("start_time"), event);
        try {
            if (config.dealWhen() != null && config.dealWhen().test(ctx)) {
                String subject = config.dealPerContact() ? "contact:" + contactId : request.eventId();
                planned.add(new Planned(subject, "deal", new HubSpotRequest("deal", "create deal", HttpMethod.POST,
                        DEALS_PATH, deal(config, request, ctx, contactId, mapper))));
            }
        } catch (MappingException e) {
            throw new PermanentDeliveryException("HubSpot deal: " + e.getMessage(), 0, null, e);
        }
        if (config.logCall() && call.get("id") != null) {
            planned.add(new Planned(request.eventId(), "call", new HubSpotRequest("call", "log call", HttpMethod.POST,
                    CALLS_PATH, call(config, request, call, timestamp, contactId, mapper))));
        }
        if (config.logNote()) {
            String body = noteBody(event);
            if (body != null) {
                ObjectNode note = mapper.createObjectNode();
                ObjectNode props = note.putObject("properties");
                props.put("hs_timestamp", timestamp);
                props.put("hs_note_body", body);
                associate(note, contactId, config.noteToContact());
                planned.add(new Planned(request.eventId(), "note", new HubSpotRequest("note", "add note",
                        HttpMethod.POST, NOTES_PATH, note)));
            }
        }
        return planned;
    }

    private static ObjectNode deal(Config config, DeliveryRequest request, MappingContext ctx, String contactId,
                                   ObjectMapper mapper) {
        ObjectNode deal = mapper.createObjectNode();
        ObjectNode props = deal.putObject("properties");
        Object name = config.dealName() == null ? null : config.dealName().evaluate(ctx);
        props.put("dealname", name != null && !name.toString().isBlank() ? name.toString() : defaultDealName(request));
        if (config.amountProperty() != null && request.properties() != null) {
            Object amount = request.properties().get(config.amountProperty());
            if (amount instanceof Long l) {
                props.put("amount", l);
            } else if (amount instanceof Number n) {
                props.put("amount", n.doubleValue());
            } else if (amount != null) {
                props.put("amount", amount.toString());
            }
        }
        props.put("pipeline", config.pipeline());
        props.put("dealstage", config.stage());
        associate(deal, contactId, config.dealToContact());
        return deal;
    }

    private static String defaultDealName(DeliveryRequest request) {
        Map<String, Object> lead = request.event().lead() == null ? Map.of() : request.event().lead();
        Map<String, Object> ai = request.event().ai() == null ? Map.of() : request.event().ai();
        Object who = lead.get("full_name") != null ? lead.get("full_name") : request.phone() != null ? request.phone()
                : request.email();
        Object what = ai.get("project_type");
        return (who == null ? "Lead" : who.toString()) + " - " + (what == null ? "new lead" : what.toString());
    }

    private static ObjectNode call(Config config, DeliveryRequest request, Map<String, Object> call, String timestamp,
                                   String contactId, ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode props = body.putObject("properties");
        boolean outbound = call.get("direction") != null
                && call.get("direction").toString().toLowerCase(Locale.ROOT).startsWith("out");
        String business = firstText(call.get("tracking_phone_number"), call.get("business_phone_number"));
        props.put("hs_timestamp", timestamp);
        props.put("hs_call_direction", outbound ? "OUTBOUND" : "INBOUND");
        if (call.get("duration_seconds") instanceof Number seconds) {
            props.put("hs_call_duration", seconds.longValue() * 1000L);
        }
        putIfPresent(props, "hs_call_recording_url", call.get("recording_url"));
        putIfPresent(props, "hs_call_body", firstText(call.get("transcription"), call.get("summary")));
        putIfPresent(props, "hs_call_from_number", outbound ? business : request.phone());
        putIfPresent(props, "hs_call_to_number", outbound ? request.phone() : business);
        props.put("hs_call_status", "COMPLETED");
        String source = request.event().source();
        Object via = call.get("source_name");
        props.put("hs_call_title", (outbound ? "Outbound" : "Inbound") + " call"
                + (source != null ? " (" + source + (via != null ? ", " + via : "") + ")" : ""));
        associate(body, contactId, config.callToContact());
        return body;
    }

    /** @return HTML: the call summary and the AI analysis; null when there is nothing to say */
    static String noteBody(EnrichedLead event) {
        Map<String, Object> ai = event.ai() == null ? Map.of() : event.ai();
        Map<String, Object> call = event.call() == null ? Map.of() : event.call();
        StringBuilder html = new StringBuilder("<p><strong>LeadHub call analysis</strong></p>");
        boolean any = false;
        if (call.get("summary") != null && !call.get("summary").toString().isBlank()) {
            html.append("<p>").append(escape(call.get("summary"))).append("</p>");
            any = true;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("intent", "Intent");
        labels.put("project_type", "Project type");
        labels.put("timeline", "Timeline");
        labels.put("budget_indicator", "Budget");
        labels.put("sentiment", "Sentiment");
        labels.put("lead_score", "Lead score");
        labels.put("urgency", "Urgency");
        StringBuilder items = new StringBuilder();
        labels.forEach((key, label) -> {
            Object value = ai.get(key);
            if (value != null && !value.toString().isBlank()) {
                items.append("<li>").append(label).append(": ").append(escape(value)).append("</li>");
            }
        });
        if (items.length() > 0) {
            html.append("<ul>").append(items).append("</ul>");
            any = true;
        }
        List<String> reasons = event.analysisReasons();
        if (reasons != null && !reasons.isEmpty()) {
            html.append("<p>Why: ").append(escape(String.join("; ", reasons))).append("</p>");
        }
        if (ai.get("analyzer") != null) {
            html.append("<p><em>Analyzer: ").append(escape(ai.get("analyzer"))).append("</em></p>");
        }
        return any ? html.toString() : null;
    }

    private static void associate(ObjectNode body, String contactId, long typeId) {
        ArrayNode associations = body.putArray("associations");
        ObjectNode association = associations.addObject();
        association.putObject("to").put("id", contactId);
        ObjectNode type = association.putArray("types").addObject();
        type.put("associationCategory", "HUBSPOT_DEFINED");
        type.put("associationTypeId", typeId);
    }

    /** @return the call start as an ISO-8601 UTC instant, else the event's receipt time */
    private static String timestamp(Object startTime, EnrichedLead event) {
        if (startTime != null) {
            try {
                return OffsetDateTime.parse(startTime.toString()).toInstant().toString();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(startTime.toString()).toString();
                } catch (DateTimeParseException ignored) {
                    // fall back to the receipt time
                }
            }
        }
        Instant at = event.receivedAt() != null ? event.receivedAt() : Instant.now();
        return at.toString();
    }

    private static void putIfPresent(ObjectNode props, String name, Object value) {
        if (value != null && !value.toString().isBlank()) {
            props.put(name, value.toString());
        }
    }

    private static String firstText(Object... values) {
        for (Object v : values) {
            if (v != null && !v.toString().isBlank()) {
                return v.toString();
            }
        }
        return null;
    }

    private static String escape(Object value) {
        return HtmlUtils.htmlEscape(value.toString());
    }
}
