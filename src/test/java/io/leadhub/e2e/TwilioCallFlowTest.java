package io.leadhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * One Twilio call, end to end: the voice webhook (TwiML), the missed dial, the voicemail, then the recording
 * status, call status and transcription callbacks in Twilio's order, through real HTTP, Kafka, the database and
 * a WireMock HubSpot. The caller becomes ONE HubSpot contact: created by the first callback, updated by the
 * later ones (the contact index correlates them by the caller's number; every event carries the CallSid), and
 * the last update carries the transcript's analysis.
 */
class TwilioCallFlowTest extends TwilioHubTest {

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final String SEARCH = "/crm/v3/objects/contacts/search";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE_RECORDING_SID = "RE3a9c1e7f5b2d4068a1c3e5f7092b4d6e";

    @BeforeEach
    void hubSpotFindsNobodyByDefault() {
        HUBSPOT.stubFor(post(urlEqualTo(SEARCH)).atPriority(10).willReturn(okJson("{\"total\":0,\"results\":[]}")));
    }

    private static String attribute(HttpResponse<String> twiml, String xpath) throws Exception {
        assertThat(twiml.statusCode()).as(twiml.body()).isEqualTo(200);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(twiml.body().getBytes(StandardCharsets.UTF_8)));
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }

    /** The path and query of a callback URL the hub put into TwiML (its public base is https://hub.initech.test). */
    private static String callbackOf(String url) {
        assertThat(url).startsWith(INITECH_BASE + "/webhooks/twilio/initech/");
        return url.substring((INITECH_BASE + "/webhooks/twilio/initech/").length());
    }

    private void awaitDelivered(String eventId, String outcome) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(eventId).stream()
                .anyMatch(r -> outcome.equals(r.get("outcome"))));
    }

    @Test
    void missedCallWithVoicemailBecomesOneLeadCreatedOnceThenUpdatedWithTheTranscriptAnalysis() throws Exception {
        String callSid = newSid("CA");
        String caller = uniquePhone();
        String recordingSid = newSid("RE");
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(caller))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"8101\",\"properties\":{}}")));
        HUBSPOT.stubFor(patch(urlEqualTo(CONTACTS + "/8101")).willReturn(okJson("{\"id\":\"8101\",\"properties\":{}}")));

        // 1. the call comes in: greeting, Dial the agent
        HttpResponse<String> incoming = postInitech("voice", fixture("voice-incoming", callSid, caller));
        String afterDial = callbackOf(attribute(incoming, "/Response/Dial/@action"));
        // 2. the agent does not answer: voicemail with transcription
        Map<String, String> dialComplete = fixture("voice-dial-complete", callSid, caller);
        HttpResponse<String> voicemail = postInitech(afterDial, dialComplete);
        String recordingCallback = callbackOf(attribute(voicemail, "/Response/Record/@recordingStatusCallback"));
        String transcriptionCallback = callbackOf(attribute(voicemail, "/Response/Record/@transcribeCallback"));
        String afterRecord = callbackOf(attribute(voicemail, "/Response/Record/@action"));
        // 3. the message is recorded: recording status callback, then the Record action ends the call
        Map<String, String> recording = fixture("recording-completed", callSid, caller);
        recording.replaceAll((k, v) -> v.replace(FIXTURE_RECORDING_SID, recordingSid));
        HttpResponse<String> recorded = postInitech(recordingCallback, recording);
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(204);
        assertThat(attribute(postInitech(afterRecord, dialComplete), "count(/Response/*)")).isEqualTo("0");
        // 4. the call ends: status callback
        HttpResponse<String> completed = postInitech("status", fixture("status-completed", callSid, caller));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
        // 5. minutes later: the transcription
        Map<String, String> transcript = fixture("transcription-completed", callSid, caller);
        transcript.replaceAll((k, v) -> v.replace(FIXTURE_RECORDING_SID, recordingSid));
        transcript.put("TranscriptionSid", newSid("TR"));
        HttpResponse<String> transcribed = postInitech(transcriptionCallback, transcript);
        assertThat(transcribed.statusCode()).as(transcribed.body()).isEqualTo(204);

        String recordingEvent = twilioEventId(recorded);
        String completedEvent = twilioEventId(completed);
        String transcriptionEvent = twilioEventId(transcribed);
        awaitDelivered(recordingEvent, "created");
        awaitDelivered(completedEvent, "updated");
        awaitDelivered(transcriptionEvent, "updated");

        // ONE lead: created once, then updated; never a second create
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(caller)));
        HUBSPOT.verify(2, patchRequestedFor(urlEqualTo(CONTACTS + "/8101")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM contacts WHERE tenant = 'initech' AND phone_e164 = ?",
                Integer.class, caller)).isEqualTo(1);
        HUBSPOT.verify(postRequestedFor(urlEqualTo(CONTACTS))
                .withRequestBody(matchingJsonPath("$.properties.phone", equalTo(caller)))
                .withRequestBody(matchingJsonPath("$.properties.twilio_call_sid", equalTo(callSid)))
                .withRequestBody(matchingJsonPath("$.properties.last_call_event", equalTo("recording_completed")))
                .withRequestBody(matchingJsonPath("$.properties.last_call_recording", containing(recordingSid))));
        List<ServeEvent> updates = HUBSPOT.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(CONTACTS + "/8101"))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0).getRequest().getBodyAsString())
                .contains("\"last_call_event\":\"call_completed\"", "\"last_call_duration\":68", callSid);
        String last = updates.get(1).getRequest().getBodyAsString();
        assertThat(last).contains("\"last_call_event\":\"transcription_completed\"", callSid,
                "\"ai_project_type\":\"kitchen\"", "quartz countertops");
        // the transcript's analysis raises the score the call's metadata alone gave
        JsonNode beforeTranscript = JSON.readTree(updates.get(0).getRequest().getBodyAsString()).path("properties");
        JsonNode afterTranscript = JSON.readTree(last).path("properties");
        assertThat(beforeTranscript.path("ai_project_type").asText()).isNotEqualTo("kitchen");
        assertThat(afterTranscript.path("ai_lead_score").asInt())
                .isGreaterThan(beforeTranscript.path("ai_lead_score").asInt());
    }

    @Test
    void theSameCallbackDeliveredTwiceIsOneCrmWrite() {
        String callSid = newSid("CA");
        String caller = uniquePhone();
        HUBSPOT.stubFor(post(urlEqualTo(CONTACTS)).withRequestBody(containing(caller))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"8102\",\"properties\":{}}")));
        Map<String, String> status = fixture("status-completed", callSid, caller);

        HttpResponse<String> first = postInitech("status", status);
        HttpResponse<String> again = postInitech("status", status);

        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(204);
        awaitDelivered(twilioEventId(first), "created");
        // the duplicate reaches the journal but not the CRM: wait until enrichment has moved past it
        awaitEnrichCaughtUp();
        assertThat(deliveries(twilioEventId(again))).isEmpty();
        HUBSPOT.verify(1, postRequestedFor(urlEqualTo(CONTACTS)).withRequestBody(containing(caller)));
    }
}
