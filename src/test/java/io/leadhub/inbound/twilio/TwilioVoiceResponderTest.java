package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.tenant.Secret;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The TwiML the voice webhook answers, rendered by twilio-java, for each tenant configuration. */
class TwilioVoiceResponderTest {

    private static final TwilioVoiceResponder.CallbackUrls URLS =
            new TwilioVoiceResponder.CallbackUrls("https://hub.example.com", "acme", "+14045558514");

    private static TwilioSettings settings(String agent, TwilioSettings.Voice voice) {
        return new TwilioSettings(null, Secret.of("t"), null, URI.create(TwilioSettings.DEFAULT_API_BASE_URL), null,
                agent, voice, Secret.empty());
    }

    private static TwilioSettings.Voice voice(String greeting, String sayVoice, String record, boolean voicemail,
                                              boolean transcribe) {
        return new TwilioSettings.Voice(greeting, sayVoice, null, 20, record, voicemail, "Leave a message.", 90,
                transcribe);
    }

    @Test
    void defaultsDialTheAgentWithoutRecordingAndComeBackForVoicemail() throws Exception {
        String xml = new TwilioVoiceResponder(null).incomingCall(
                settings("+15125550123", voice(null, null, "do-not-record", true, true)), URLS).toXml();

        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"https://hub.example.com/webhooks/twilio/acme/voice?step=dial-complete\" method=\"POST\""
                + " record=\"do-not-record\" timeout=\"20\"><Number>+15125550123</Number></Dial></Response>");
    }

    @Test
    void withoutVoicemailTheDialHasNoActionAndTheCallEndsWithIt() throws Exception {
        String xml = new TwilioVoiceResponder(null).incomingCall(
                settings("+15125550123", voice("Hello", null, "record-from-answer", false, true)), URLS).toXml();

        assertThat(xml).contains("<Say>Hello</Say>", "record=\"record-from-answer\"",
                "recordingStatusCallback=\"https://hub.example.com/webhooks/twilio/acme/recording?lead_phone=%2B14045558514\"")
                .doesNotContain("action=", "<Record");
    }

    @Test
    void withoutAgentTheCallerGoesToVoicemailAtOnce() throws Exception {
        String xml = new TwilioVoiceResponder(null).incomingCall(
                settings(null, voice(null, null, "do-not-record", true, false)), URLS).toXml();

        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Leave a message.</Say>"
                + "<Record action=\"https://hub.example.com/webhooks/twilio/acme/voice?step=recorded\" maxLength=\"90\""
                + " method=\"POST\" playBeep=\"true\""
                + " recordingStatusCallback=\"https://hub.example.com/webhooks/twilio/acme/recording?lead_phone=%2B14045558514\""
                + " recordingStatusCallbackEvent=\"completed absent\" recordingStatusCallbackMethod=\"POST\""
                + " trim=\"trim-silence\"/></Response>");
    }

    @Test
    void noAgentAndNoVoicemailOnlyGreets() throws Exception {
        String xml = new TwilioVoiceResponder(null).incomingCall(
                settings(null, voice("We are closed.", null, "do-not-record", false, true)), URLS).toXml();

        assertThat(xml).endsWith("<Response><Say>We are closed.</Say></Response>");
    }

    @Test
    void aVoiceTwilioJavaDoesNotListIsStillPassedOn() throws Exception {
        String known = new TwilioVoiceResponder(null).incomingCall(
                settings(null, voice("Hi", "Polly.Joanna", "do-not-record", false, true)), URLS).toXml();
        String unknown = new TwilioVoiceResponder(null).incomingCall(
                settings(null, voice("Hi", "Polly.NewVoice-2030", "do-not-record", false, true)), URLS).toXml();

        assertThat(known).contains("<Say voice=\"Polly.Joanna\">Hi</Say>");
        assertThat(unknown).contains("voice=\"Polly.NewVoice-2030\"");
    }

    @Test
    void afterTheDialOnlyAnUnansweredAgentLeadsToVoicemail() throws Exception {
        TwilioSettings s = settings("+15125550123", voice(null, null, "do-not-record", true, true));
        TwilioVoiceResponder responder = new TwilioVoiceResponder(null);

        for (String status : new String[] {"busy", "no-answer", "failed"}) {
            assertThat(responder.afterDial(s, URLS, status).toXml()).contains("<Record", "transcribe=\"true\"",
                    "transcribeCallback=\"https://hub.example.com/webhooks/twilio/acme/transcription?lead_phone=%2B14045558514\"");
        }
        for (String status : new String[] {"completed", "answered", "canceled", null}) {
            assertThat(responder.afterDial(s, URLS, status).toXml()).endsWith("<Response/>");
        }
    }
}
