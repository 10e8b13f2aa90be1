package io.leadhub.calls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.inbound.twilio.TwilioPublicUrl;
import io.leadhub.inbound.twilio.TwilioSettings;
import io.leadhub.inbound.twilio.TwilioVoiceResponder;
import io.leadhub.support.Masking;
import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Click-to-call: {@code POST /api/tenants/{tenant}/calls} (route {@code api-twilio-click-to-call}) places an
 * outbound call to a lead through the Twilio REST API with twilio-java ({@link Call#creator}) and, once the lead
 * answers, connects the tenant's agent.
 *
 * <p>Request: header {@code Authorization: Bearer <sources.twilio.click_to_call.api_token>}, JSON body
 * {@code {"lead_phone": "+14045551234", "agent": "+14045550123"}} ({@code agent} optional, default
 * {@code sources.twilio.agent_number}; numbers are normalised to E.164 with the tenant's {@code default_region}).
 *
 * <p>The call (twilio.com/docs/voice/api/call-resource#create-a-call): {@code To} = the lead, {@code From} =
 * {@code sources.twilio.caller_id}, inline TwiML {@code <Dial>} of the agent (with the tenant's {@code voice.record}
 * option and the hub's recording callback), {@code StatusCallback} = the hub's
 * {@code /webhooks/twilio/<tenant>/status} with {@code StatusCallbackEvent} initiated, ringing, answered, completed.
 * Those status callbacks ({@code Direction=outbound-api}, lead = {@code To}) are journaled by
 * {@code inbound-twilio-callback} and update the lead in every CRM.
 *
 * <p>Answers: 201 {@code {"callSid": "CA...", "status": "queued", "to": "+1...", "agent": "+1..."}}. Errors as
 * problem+json ({@link ApiProblemException}): 404 unknown tenant or click-to-call not enabled; 401 missing or wrong
 * bearer token; 415 not JSON; 400 naming {@code body}, {@code lead_phone} or {@code agent}; 400 when Twilio
 * refuses the lead's number (its 4xx validation codes, e.g. 21211 invalid {@code To}), naming {@code lead_phone};
 * 502 for every other Twilio error (other 4xx, 5xx, no connection), with Twilio's {@code twilio_code},
 * {@code twilio_status} and {@code more_info}.
 */
@Component("twilioClickToCall")
public class TwilioClickToCall {

    /** Exchange property: the tenant of the request. */
    public static final String TENANT = "leadhubTenantConfig";
    /** Status callback events requested for the call. */
    public static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");

    /** Twilio error codes about the called number ({@code To}), answered 400 naming {@code lead_phone}. */
    static final Set<Integer> TO_ERRORS = Set.of(13223, 13224, 21201, 21211, 21214, 21215, 21216, 21217, 21610);
    /** Twilio error codes about the caller id ({@code From}): a tenant-file problem, answered 502. */
    static final Set<Integer> FROM_ERRORS = Set.of(21210, 21212, 21213);

    private static final Logger LOG = LoggerFactory.getLogger(TwilioClickToCall.class);

    private final TenantRegistry tenants;
    private final PhoneNormalizer phones;
    private final TwilioRestClients clients;
    private final ObjectMapper json;

    /**
     * @param tenants tenant files
     * @param phones  phone normaliser
     * @param clients twilio-java REST clients
     * @param json    Jackson mapper
     */
    public TwilioClickToCall(TenantRegistry tenants, PhoneNormalizer phones, TwilioRestClients clients,
                             ObjectMapper json) {
        this.tenants = tenants;
        this.phones = phones;
        this.clients = clients;
        this.json = json;
    }

    /**
     * Step {@code click-to-call-resolve-tenant}: the path's tenant must exist and have click-to-call enabled
     * ({@code sources.twilio.click_to_call.api_token}).
     *
     * @param exchange header {@code tenant}; afterwards property {@value #TENANT}
     * @throws ApiProblemException 404 naming {@code tenant}
     */
    public void resolve(Exchange exchange) {
        String tenant = exchange.getIn().getHeader("tenant", String.class);
        TenantConfig config = tenant == null ? null : tenants.find(tenant)
                .filter(t -> t.source("twilio").isPresent())
                .filter(t -> !TwilioSettings.of(t).clickToCallToken().isEmpty())
                .orElse(null);
        if (config == null) {
            throw new ApiProblemException(404, "Unknown tenant", "no tenant '" + safe(tenant)
                    + "' with Twilio click-to-call (sources.twilio.click_to_call)", "tenant", Map.of());
        }
        exchange.setProperty(TENANT, config);
    }

    /**
     * Step {@code click-to-call-authorize}: {@code Authorization: Bearer <token>}, compared in constant time.
     *
     * @param exchange property {@value #TENANT}, the request
     * @throws ApiProblemException 401 naming {@code Authorization}
     */
    public void authorize(Exchange exchange) {
        TwilioSettings settings = TwilioSettings.of(exchange.getProperty(TENANT, TenantConfig.class));
        HttpServletRequest request = exchange.getIn().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        String header = request != null ? request.getHeader("Authorization")
                : exchange.getIn().getHeader("Authorization", String.class);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                settings.clickToCallToken().reveal().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiProblemException(401, "Unauthorized", presented == null
                    ? "missing 'Authorization: Bearer <token>' header" : "the bearer token is not valid for this tenant",
                    "Authorization", Map.of());
        }
    }

    /**
     * Step {@code click-to-call-start-call}: validates the body and creates the call.
     *
     * @param exchange property {@value #TENANT}, JSON body; afterwards 201 with the JSON answer
     * @throws ApiProblemException 400 / 415 / 502 as described on the class
     * @throws TwiMLException      when twilio-java cannot render the TwiML
     * @throws IOException         never in practice (serialising the answer)
     */
    public void startCall(Exchange exchange) throws TwiMLException, IOException {
        TenantConfig tenant = exchange.getProperty(TENANT, TenantConfig.class);
        TwilioSettings settings = TwilioSettings.of(tenant);
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type != null && !type.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
            throw new ApiProblemException(415, "Unsupported media type", "Content-Type must be application/json",
                    "Content-Type", Map.of());
        }
        JsonNode body = body(exchange);
        String lead = phone(body, "lead_phone", tenant, true);
        String agent = phone(body, "agent", tenant, false);
        if (agent == null) {
            agent = settings.agentNumber();
        }
        if (agent == null) {
            throw ApiProblemException.invalidField("agent",
                    "field 'agent' is required because the tenant has no sources.twilio.agent_number");
        }
        String base = TwilioPublicUrl.base(TwilioPublicUrl.RequestFacts.from(exchange), settings.publicBaseUrl());
        Call call = create(tenant, settings, base, lead, agent);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("callSid", call.getSid());
        answer.put("status", call.getStatus() == null ? null : call.getStatus().toString());
        answer.put("to", lead);
        answer.put("agent", agent);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(answer));
    }

    /**
     * Creates the call through the Twilio REST API.
     *
     * @param tenant   the tenant
     * @param settings its Twilio settings (account SID, auth token, caller id)
     * @param base     the hub's public origin for the callback URLs
     * @param lead     the lead's E.164 number (called first)
     * @param agent    the agent's E.164 number (dialled once the lead answers)
     * @return the created call
     * @throws ApiProblemException 400 / 502 as described on the class
     * @throws TwiMLException      when twilio-java cannot render the TwiML
     */
    public Call create(TenantConfig tenant, TwilioSettings settings, String base, String lead, String agent)
            throws TwiMLException {
        if (settings.accountSid() == null || settings.callerId() == null || settings.authToken().isEmpty()) {
            throw new ApiProblemException(502, "Twilio not configured", "tenant '" + tenant.tenant()
                    + "' needs sources.twilio.account_sid, auth_token and caller_id for click-to-call",
                    "sources.twilio", Map.of());
        }
        TwilioVoiceResponder.CallbackUrls urls = new TwilioVoiceResponder.CallbackUrls(base, tenant.tenant(), lead);
        String twiml = new VoiceResponse.Builder()
                .dial(TwilioVoiceResponder.dial(settings, urls, agent, null))
                .build().toXml();
        try {
            Call call = Call.creator(new PhoneNumber(lead), new PhoneNumber(settings.callerId()), new Twiml(twiml))
                    .setStatusCallback(TwilioPublicUrl.callbackUrl(base, tenant.tenant(), "status", null))
                    .setStatusCallbackMethod(HttpMethod.POST)
                    .setStatusCallbackEvent(STATUS_EVENTS)
                    .create(clients.client(settings));
            LOG.info("Click-to-call for tenant '{}': call {} to {} placed, agent {}", tenant.tenant(), call.getSid(),
                    Masking.phone(lead), Masking.phone(agent));
            return call;
        } catch (ApiException e) {
            throw problem(tenant, lead, e);
        }
    }

    /**
     * @param tenant the tenant
     * @param lead   the called number
     * @param e      twilio-java's error: {@code getStatusCode()} null when Twilio was not reached
     * @return 400 naming {@code lead_phone} for Twilio's validation errors about the called number, else 502; both
     *         with Twilio's {@code twilio_code}, {@code twilio_status} and {@code more_info} when known (twilio-java
     *         reports an error answer without a JSON body, and a broken connection, without a status)
     */
    static ApiProblemException problem(TenantConfig tenant, String lead, ApiException e) {
        Integer status = e.getStatusCode();
        Integer code = e.getCode();
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (code != null) {
            extensions.put("twilio_code", code);
        }
        if (status != null) {
            extensions.put("twilio_status", status);
        }
        if (e.getMoreInfo() != null) {
            extensions.put("more_info", e.getMoreInfo());
        }
        String message = Masking.text(e.getMessage() == null ? "no message" : e.getMessage());
        LOG.warn("Click-to-call for tenant '{}' to {} refused by Twilio: status {}, code {}: {}", tenant.tenant(),
                Masking.phone(lead), status, code, message);
        if (status != null && status >= 400 && status < 500 && code != null && TO_ERRORS.contains(code)) {
            return new ApiProblemException(400, "Invalid request", "Twilio refused the lead's number: " + message,
                    "lead_phone", extensions);
        }
        String field = code != null && FROM_ERRORS.contains(code) ? "sources.twilio.caller_id" : null;
        String detail = status != null ? "Twilio answered " + status + ": " + message
                : e.getCause() instanceof JsonProcessingException ? "Twilio answered without a readable error body"
                : "Twilio could not be reached: " + message;
        return new ApiProblemException(502, "Twilio error", detail, field, extensions);
    }

    private JsonNode body(Exchange exchange) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        JsonNode node;
        try {
            node = json.readTree(raw == null ? new byte[0] : raw);
        } catch (IOException e) {
            throw ApiProblemException.invalidField("body", "body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiProblemException.invalidField("body", "body must be a JSON object "
                    + "{\"lead_phone\": \"+1...\", \"agent\": \"+1...\"}");
        }
        return node;
    }

    private String phone(JsonNode body, String field, TenantConfig tenant, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            if (required) {
                throw ApiProblemException.invalidField(field, "required field '" + field + "' is missing or empty");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiProblemException.invalidField(field, "field '" + field + "' must be a phone number string");
        }
        return phones.toE164(node.asText(), tenant.defaultRegion()).orElseThrow(() -> ApiProblemException
                .invalidField(field, "field '" + field + "' is not a valid phone number (E.164, e.g. +14045551234)"));
    }

    private static String safe(String tenant) {
        if (tenant == null) {
            return "";
        }
        String cut = tenant.length() > 64 ? tenant.substring(0, 64) : tenant;
        return cut.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
