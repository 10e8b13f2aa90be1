package io.leadhub.inbound.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Say;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.support.Masking;
import io.leadhub.tenant.TenantConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Answers Twilio's voice webhook ({@code inbound-twilio-voice}) with TwiML built by twilio-java's
 * {@link VoiceResponse} (twilio.com/docs/voice/twiml), as the tenant configured in {@code sources.twilio}:
 *
 * <ol>
 *   <li>incoming call (no {@value #STEP} parameter): an optional {@code <Say>} greeting ({@code voice.greeting});
 *       then, with an {@code agent_number}, {@code <Dial>} the agent ({@code timeout} = {@code
 *       voice.dial_timeout_seconds}, {@code record} = {@code voice.record}, {@code recordingStatusCallback} = the
 *       hub's recording callback) whose {@code action} comes back here with {@value #STEP}={@value #AFTER_DIAL}
 *       when voicemail is on; without an agent, the voicemail directly;</li>
 *   <li>{@value #STEP}={@value #AFTER_DIAL} ({@code DialCallStatus} busy, no-answer or failed, voicemail on): the
 *       voicemail: {@code <Say>} {@code voice.voicemail_prompt}, then {@code <Record>} ({@code maxLength} =
 *       {@code voice.voicemail_max_length_seconds}, silence trimmed, {@code transcribe} = {@code voice.transcribe}
 *       with {@code transcribeCallback} = the hub's transcription callback, {@code recordingStatusCallback} = the
 *       hub's recording callback, {@code action} back here with {@value #STEP}={@value #AFTER_RECORD}); an answered
 *       dial gets an empty {@code <Response/>}, which ends the call;</li>
 *   <li>{@value #STEP}={@value #AFTER_RECORD}: an empty {@code <Response/>} (without an {@code action}, Twilio would
 *       request this webhook again and loop).</li>
 * </ol>
 * Callback URLs point at {@code <public base>/webhooks/twilio/<tenant>/<callback>} and carry the caller in
 * {@value TwilioPublicUrl#LEAD_PHONE_PARAM}, because recording status callbacks do not name the caller. The voice
 * webhook journals nothing: the call's status, recording and transcription callbacks make the lead.
 *
 * <p>Output: status 200, {@code Content-Type: text/xml}, the TwiML document.
 */
@Component("twilioVoiceResponder")
public class TwilioVoiceResponder {

    /** Query parameter telling which point of the call flow Twilio is asking about. */
    public static final String STEP = "step";
    /** {@value #STEP} value of the {@code <Dial action>} request. */
    public static final String AFTER_DIAL = "dial-complete";
    /** {@value #STEP} value of the {@code <Record action>} request. */
    public static final String AFTER_RECORD = "recorded";

    private static final Logger LOG = LoggerFactory.getLogger(TwilioVoiceResponder.class);
    private static final Set<String> UNANSWERED_DIAL = Set.of("busy", "no-answer", "failed");

    private final ObjectMapper json;

    /** @param json Jackson mapper (JSON bodies) */
    public TwilioVoiceResponder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Step {@code twilio-voice-answer-twiml}.
     *
     * @param exchange verified exchange (properties {@value WebhookTenantResolver#TENANT_CONFIG},
     *                 {@value TwilioSignatureVerifier#PUBLIC_BASE}); afterwards the TwiML answer
     * @throws WebhookRejectedException 400 naming {@code CallSid} when it is missing, or {@code step} when unknown
     * @throws TwiMLException           when twilio-java cannot render the document
     */
    public void answer(Exchange exchange) throws TwiMLException {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        TwilioSettings settings = TwilioSettings.of(tenant);
        Map<String, String> params = TwilioParams.of(exchange, json);
        String callSid = params.get("CallSid");
        if (callSid == null || callSid.isBlank()) {
            throw WebhookRejectedException.invalidField("CallSid", "required parameter 'CallSid' is missing or empty");
        }
        String step = TwilioParams.query(TwilioPublicUrl.RequestFacts.from(exchange).rawQuery(), STEP);
        String leadPhone = "outbound-api".equals(params.get("Direction")) ? params.get("To") : params.get("From");
        CallbackUrls urls = new CallbackUrls(exchange.getProperty(TwilioSignatureVerifier.PUBLIC_BASE, String.class),
                tenant.tenant(), leadPhone);
        VoiceResponse twiml;
        if (step == null) {
            twiml = incomingCall(settings, urls);
        } else if (AFTER_DIAL.equals(step)) {
            twiml = afterDial(settings, urls, params.get("DialCallStatus"));
        } else if (AFTER_RECORD.equals(step)) {
            twiml = new VoiceResponse.Builder().build();
        } else {
            throw WebhookRejectedException.invalidField(STEP, "query parameter 'step' must be one of ["
                    + AFTER_DIAL + ", " + AFTER_RECORD + "] or absent");
        }
        LOG.info("Twilio voice webhook for tenant '{}', call {} from {}: answered {}", tenant.tenant(), callSid,
                Masking.phone(leadPhone), step == null ? "incoming call" : step);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/xml");
        exchange.getMessage().setBody(twiml.toXml());
    }

    /**
     * The hub's URLs for one call's TwiML.
     *
     * @param base      public origin
     * @param tenant    tenant id
     * @param leadPhone caller, carried in the recording and transcription callback URLs, or null
     */
    public record CallbackUrls(String base, String tenant, String leadPhone) {

        /** @return the voice webhook URL with {@code step} */
        String voice(String step) {
            return TwilioPublicUrl.callbackUrl(base, tenant, "voice", null) + "?" + STEP + "=" + step;
        }

        /** @return the recording status callback URL */
        public String recording() {
            return TwilioPublicUrl.callbackUrl(base, tenant, "recording", leadPhone);
        }

        /** @return the transcription callback URL */
        String transcription() {
            return TwilioPublicUrl.callbackUrl(base, tenant, "transcription", leadPhone);
        }
    }

    /**
     * @param settings the tenant's settings
     * @param urls     the hub's URLs for this call
     * @return the answer to an incoming call
     */
    public VoiceResponse incomingCall(TwilioSettings settings, CallbackUrls urls) {
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        TwilioSettings.Voice voice = settings.voice();
        if (voice.greeting() != null) {
            twiml.say(say(voice, voice.greeting()));
        }
        if (settings.agentNumber() != null) {
            twiml.dial(dial(settings, urls, settings.agentNumber(), voice.voicemail() ? urls.voice(AFTER_DIAL) : null));
        } else if (voice.voicemail()) {
            voicemail(twiml, voice, urls);
        }
        return twiml.build();
    }

    /**
     * @param settings       the tenant's settings
     * @param urls           the hub's URLs for this call
     * @param dialCallStatus Twilio's {@code DialCallStatus}, or null
     * @return the voicemail when the agent did not answer (and voicemail is on), else an empty response
     */
    public VoiceResponse afterDial(TwilioSettings settings, CallbackUrls urls, String dialCallStatus) {
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        if (settings.voice().voicemail() && dialCallStatus != null && UNANSWERED_DIAL.contains(dialCallStatus)) {
            voicemail(twiml, settings.voice(), urls);
        }
        return twiml.build();
    }

    /**
     * A {@code <Dial>} of one number with the tenant's recording option; used for incoming calls and by
     * click-to-call.
     *
     * @param settings the tenant's settings
     * @param urls     the hub's URLs for this call
     * @param number   E.164 number to dial
     * @param action   {@code <Dial action>} URL, or null for none (Twilio then continues with the next verb)
     * @return the verb
     */
    public static Dial dial(TwilioSettings settings, CallbackUrls urls, String number, String action) {
        Dial.Record record = Arrays.stream(Dial.Record.values())
                .filter(r -> r.toString().equals(settings.voice().record())).findFirst()
                .orElse(Dial.Record.DO_NOT_RECORD);
        Dial.Builder dial = new Dial.Builder()
                .timeout(settings.voice().dialTimeoutSeconds())
                .record(record)
                .number(new Number.Builder(number).build());
        if (record != Dial.Record.DO_NOT_RECORD) {
            dial.recordingStatusCallback(urls.recording())
                    .recordingStatusCallbackMethod(HttpMethod.POST)
                    .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.COMPLETED, Dial.RecordingEvent.ABSENT));
        }
        if (action != null) {
            dial.action(action).method(HttpMethod.POST);
        }
        return dial.build();
    }

    private static void voicemail(VoiceResponse.Builder twiml, TwilioSettings.Voice voice, CallbackUrls urls) {
        twiml.say(say(voice, voice.voicemailPrompt()));
        Record.Builder record = new Record.Builder()
                .maxLength(voice.voicemailMaxLengthSeconds())
                .playBeep(true)
                .trim(Record.Trim.TRIM_SILENCE)
                .action(urls.voice(AFTER_RECORD))
                .method(HttpMethod.POST)
                .recordingStatusCallback(urls.recording())
                .recordingStatusCallbackMethod(HttpMethod.POST)
                .recordingStatusCallbackEvents(List.of(Record.RecordingEvent.COMPLETED, Record.RecordingEvent.ABSENT));
        if (voice.transcribe()) {
            record.transcribe(true).transcribeCallback(urls.transcription());
        }
        twiml.record(record.build());
    }

    /** {@code <Say>} with the tenant's voice and language: twilio-java's enum value when it has one, else as text. */
    private static Say say(TwilioSettings.Voice voice, String text) {
        Say.Builder say = new Say.Builder(text);
        if (voice.sayVoice() != null) {
            Arrays.stream(Say.Voice.values()).filter(v -> v.toString().equals(voice.sayVoice())).findFirst()
                    .ifPresentOrElse(say::voice, () -> say.option("voice", voice.sayVoice()));
        }
        if (voice.sayLanguage() != null) {
            Arrays.stream(Say.Language.values()).filter(l -> l.toString().equals(voice.sayLanguage())).findFirst()
                    .ifPresentOrElse(say::language, () -> say.option("language", voice.sayLanguage()));
        }
        return say.build();
    }
}
