package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.inbound.twilio.TwilioTestSigner;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Twilio's voice webhook through real HTTP: TwiML answers (greeting, Dial the agent, voicemail with
 * transcription), callbacks pointing back at the hub, nothing journaled.
 */
class TwilioVoiceWebhookTest extends TwilioHubTest {

    private static final XPath XPATH = XPathFactory.newInstance().newXPath();

    private static Document xml(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
    }

    private static String at(Document doc, String xpath) throws Exception {
        return XPATH.evaluate(xpath, doc);
    }

    @Test
    void incomingCallFixtureIsGreetedAndDialsTheAgentWithRecordingAndAMissedCallAction() throws Exception {
        Properties signed = signedFixtures();
        long before = endOffsets("leads.inbound");

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/voice",
                Files.readString(Path.of("src/test/resources/twilio/voice-incoming.form")), FORM,
                Map.of("X-Twilio-Signature", signed.getProperty("voice-incoming.signature")));

        Document doc = xml(response);
        assertThat(at(doc, "count(/Response/*)")).isEqualTo("2");
        assertThat(at(doc, "local-name(/Response/*[1])")).isEqualTo("Say");
        assertThat(at(doc, "/Response/Say")).isEqualTo("Thanks for calling Initech Remodeling. This call may be recorded.");
        assertThat(at(doc, "/Response/Say/@voice")).isEqualTo("Polly.Joanna");
        assertThat(at(doc, "/Response/Say/@language")).isEqualTo("en-US");
        assertThat(at(doc, "/Response/Dial/Number")).isEqualTo("+15125550123");
        assertThat(at(doc, "/Response/Dial/@timeout")).isEqualTo("15");
        assertThat(at(doc, "/Response/Dial/@record")).isEqualTo("record-from-answer-dual");
        assertThat(at(doc, "/Response/Dial/@recordingStatusCallback"))
                .isEqualTo("https://hub.initech.test/webhooks/twilio/initech/recording?lead_phone=%2B14045558514");
        assertThat(at(doc, "/Response/Dial/@recordingStatusCallbackEvent")).isEqualTo("completed absent");
        assertThat(at(doc, "/Response/Dial/@action"))
                .isEqualTo("https://hub.initech.test/webhooks/twilio/initech/voice?step=dial-complete");
        assertThat(at(doc, "/Response/Dial/@method")).isEqualTo("POST");
        // the voice webhook journals nothing: the call's callbacks make the lead
        assertThat(endOffsets("leads.inbound")).isEqualTo(before);
    }

    @Test
    void agentNotAnsweringLeadsToVoicemailWithTranscriptionPointingBackAtTheHub() throws Exception {
        Properties signed = signedFixtures();

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/voice?step=dial-complete",
                Files.readString(Path.of("src/test/resources/twilio/voice-dial-complete.form")), FORM,
                Map.of("X-Twilio-Signature", signed.getProperty("voice-dial-complete.signature")));

        Document doc = xml(response);
        assertThat(at(doc, "/Response/Say")).isEqualTo("Sorry we missed you. Tell us about your project after the beep.");
        assertThat(at(doc, "/Response/Record/@transcribe")).isEqualTo("true");
        assertThat(at(doc, "/Response/Record/@transcribeCallback"))
                .isEqualTo("https://hub.initech.test/webhooks/twilio/initech/transcription?lead_phone=%2B14045558514");
        assertThat(at(doc, "/Response/Record/@recordingStatusCallback"))
                .isEqualTo("https://hub.initech.test/webhooks/twilio/initech/recording?lead_phone=%2B14045558514");
        assertThat(at(doc, "/Response/Record/@maxLength")).isEqualTo("120");
        assertThat(at(doc, "/Response/Record/@playBeep")).isEqualTo("true");
        assertThat(at(doc, "/Response/Record/@trim")).isEqualTo("trim-silence");
        assertThat(at(doc, "/Response/Record/@action"))
                .isEqualTo("https://hub.initech.test/webhooks/twilio/initech/voice?step=recorded");
    }

    @Test
    void answeredDialAndFinishedRecordingEndTheCallWithAnEmptyResponse() throws Exception {
        Map<String, String> answered = fixture("voice-dial-complete", newSid("CA"), uniquePhone());
        answered.put("DialCallStatus", "completed");
        Map<String, String> recorded = fixture("voice-dial-complete", newSid("CA"), uniquePhone());
        recorded.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1");

        Document afterDial = xml(postInitech("voice?step=dial-complete", answered));
        Document afterRecord = xml(postInitech("voice?step=recorded", recorded));

        assertThat(at(afterDial, "count(/Response/*)")).isEqualTo("0");
        assertThat(at(afterRecord, "count(/Response/*)")).isEqualTo("0");
    }

    @Test
    void tenantWithoutAgentGoesStraightToVoicemailOnItsForwardedPublicUrl() throws Exception {
        Map<String, String> params = fixture("voice-incoming", newSid("CA"), "+14045550177");
        String url = "https://voice.umbrella.test/webhooks/twilio/umbrella/voice";

        HttpResponse<String> response = postHub("/webhooks/twilio/umbrella/voice", TwilioTestSigner.form(params), FORM,
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign(UMBRELLA_TWILIO_AUTH_TOKEN, url, params),
                        "X-Forwarded-Proto", "https", "X-Forwarded-Host", "voice.umbrella.test"));

        Document doc = xml(response);
        assertThat(at(doc, "count(/Response/Dial)")).isEqualTo("0");
        assertThat(at(doc, "/Response/Say")).isEqualTo("Please leave your name and a short message about your project after the beep.");
        assertThat(at(doc, "/Response/Record/@transcribeCallback"))
                .isEqualTo("https://voice.umbrella.test/webhooks/twilio/umbrella/transcription?lead_phone=%2B14045550177");
    }

    @Test
    void voiceWebhookWithBadSignatureIs401() {
        Map<String, String> params = fixture("voice-incoming", newSid("CA"), uniquePhone());

        HttpResponse<String> response = postHub("/webhooks/twilio/initech/voice", TwilioTestSigner.form(params), FORM,
                Map.of("X-Twilio-Signature", TwilioTestSigner.sign("wrong", INITECH_BASE + "/webhooks/twilio/initech/voice", params)));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"field\":\"X-Twilio-Signature\"");
    }

    @Test
    void voiceWebhookWithoutCallSidIs400() {
        Map<String, String> params = fixture("voice-incoming", newSid("CA"), uniquePhone());
        params.remove("CallSid");

        HttpResponse<String> response = postInitech("voice", params);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"CallSid\"");
    }
}
