package io.leadhub.inbound.twilio;

import io.leadhub.tenant.Secret;
import io.leadhub.tenant.TenantConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's {@code sources.twilio} settings, read from the validated tenant file (the schema
 * {@code mappings/tenant.schema.json} has already checked types, patterns and ranges; this class applies the
 * defaults). See {@code docs/tenant-file.md}, section "Twilio".
 *
 * @param accountSid       {@code account_sid}: Account SID ({@code AC} + 32 hex), for the Calls REST API; null when
 *                         unset
 * @param authToken        {@code auth_token}: verifies {@code X-Twilio-Signature} and authenticates REST calls
 * @param publicBaseUrl    {@code public_base_url}: the hub's public origin as Twilio sees it (e.g.
 *                         {@code https://hub.example.com}, optionally with a path prefix), no trailing slash; null =
 *                         derived from each request ({@code X-Forwarded-Proto}/{@code X-Forwarded-Host}, else the
 *                         request URL)
 * @param apiBaseUrl       {@code api_base_url}: where Twilio REST requests go; default {@value #DEFAULT_API_BASE_URL}
 *                         (tests and staging point it at a stub)
 * @param callerId         {@code caller_id}: the tenant's Twilio number in E.164, the {@code From} of click-to-call
 *                         calls; null when unset
 * @param agentNumber      {@code agent_number}: E.164 number the voice webhook dials and click-to-call connects the
 *                         lead to; null = no {@code <Dial>}
 * @param voice            {@code voice.*}: what the voice webhook answers
 * @param clickToCallToken {@code click_to_call.api_token}: bearer token required by
 *                         {@code POST /api/tenants/{tenant}/calls}; empty = click-to-call disabled
 */
public record TwilioSettings(
        String accountSid,
        Secret authToken,
        URI publicBaseUrl,
        URI apiBaseUrl,
        String callerId,
        String agentNumber,
        Voice voice,
        Secret clickToCallToken) {

    /** Twilio's REST API origin. */
    public static final String DEFAULT_API_BASE_URL = "https://api.twilio.com";

    /**
     * {@code sources.twilio.voice}: the answer of the voice webhook.
     *
     * @param greeting                  {@code greeting}: text of an opening {@code <Say>}; null = none
     * @param sayVoice                  {@code say_voice}: {@code <Say voice>}, e.g. {@code Polly.Joanna}; null = Twilio's
     *                                  default
     * @param sayLanguage               {@code say_language}: {@code <Say language>}, e.g. {@code en-US}; null = default
     * @param dialTimeoutSeconds        {@code dial_timeout_seconds}: how long the agent's phone rings (default 20)
     * @param record                    {@code record}: {@code <Dial record>}: {@code do-not-record} (default),
     *                                  {@code record-from-answer}, {@code record-from-ringing},
     *                                  {@code record-from-answer-dual}, {@code record-from-ringing-dual}
     * @param voicemail                 {@code voicemail}: take a message ({@code <Record>}) when there is no agent or the
     *                                  agent does not answer (default true)
     * @param voicemailPrompt           {@code voicemail_prompt}: {@code <Say>} before the beep
     * @param voicemailMaxLengthSeconds {@code voicemail_max_length_seconds}: {@code <Record maxLength>} (default 120;
     *                                  Twilio transcribes recordings up to 120 s)
     * @param transcribe                {@code transcribe}: {@code <Record transcribe>} (default true)
     */
    public record Voice(
            String greeting,
            String sayVoice,
            String sayLanguage,
            int dialTimeoutSeconds,
            String record,
            boolean voicemail,
            String voicemailPrompt,
            int voicemailMaxLengthSeconds,
            boolean transcribe) {
    }

    /** Default {@link Voice#voicemailPrompt()}. */
    public static final String DEFAULT_VOICEMAIL_PROMPT =
            "Please leave your name and a short message about your project after the beep.";

    /**
     * @param tenant a tenant that configured {@code sources.twilio}
     * @return its settings with defaults applied
     * @throws IllegalArgumentException when the tenant has no {@code sources.twilio}
     */
    public static TwilioSettings of(TenantConfig tenant) {
        Map<String, Object> s = tenant.source("twilio").orElseThrow(
                () -> new IllegalArgumentException("tenant '" + tenant.tenant() + "' has no sources.twilio"));
        Map<String, Object> v = map(s.get("voice"));
        Map<String, Object> c = map(s.get("click_to_call"));
        Voice voice = new Voice(
                text(v.get("greeting")),
                text(v.get("say_voice")),
                text(v.get("say_language")),
                integer(v.get("dial_timeout_seconds"), 20),
                Optional.ofNullable(text(v.get("record"))).orElse("do-not-record"),
                bool(v.get("voicemail"), true),
                Optional.ofNullable(text(v.get("voicemail_prompt"))).orElse(DEFAULT_VOICEMAIL_PROMPT),
                integer(v.get("voicemail_max_length_seconds"), 120),
                bool(v.get("transcribe"), true));
        return new TwilioSettings(
                text(s.get("account_sid")),
                secret(s.get("auth_token")),
                uri(s.get("public_base_url")),
                Optional.ofNullable(uri(s.get("api_base_url"))).orElse(URI.create(DEFAULT_API_BASE_URL)),
                text(s.get("caller_id")),
                text(s.get("agent_number")),
                voice,
                secret(c.get("api_token")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String text(Object value) {
        if (value == null || value instanceof Secret) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private static Secret secret(Object value) {
        return value instanceof Secret s ? s : Secret.empty();
    }

    private static URI uri(Object value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static int integer(Object value, int otherwise) {
        return value instanceof Number n ? n.intValue() : otherwise;
    }

    private static boolean bool(Object value, boolean otherwise) {
        return value instanceof Boolean b ? b : otherwise;
    }
}
