package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CallRail events beyond the post-call, end to end: text messages, form submissions, pre-call / outbound
 * calls of the same person, and the order of a call's post-call and call-modified events.
 */
class CallRailEventsToHubSpotTest extends InboundSourceTest {

    private static final String KEY = SOURCE_SECRETS.get("VANDELAY_CALLRAIL_KEY");

    /** A call sample as this test's own call: phone and call ids replaced. */
    private static String call(String sample, String phone, String callId) {
        return sample(sample)
                .replace("\"id\": 766970532", "\"id\": " + callId)
                .replace("\"id\": 766970977", "\"id\": 1" + callId)
                .replace("CAL8154748ae6bd4e278a7cddd38a662f4f", "CAL" + callId)
                .replace("CAL0b7e3c1d9a2f4e8b6c5d4e3f2a1b0c9d", "CALOUT" + callId)
                .replace("+14045558514", phone);
    }

    private HttpResponse<String> send(String body, String event) {
        return postWebhook("/webhooks/callrail/vandelay" + (event == null ? "" : "?event=" + event), body,
                Map.of("Content-Type", "application/json", "Signature", sign(KEY, body)));
    }

    @Test
    void aTextMessageMakesTheSenderALeadWithTheMessage() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "51" + id);
        String body = sample("sms-received.json").replace("+14045558514", phone)
                .replace("SMS8c1e5b2f0a9d4e6b8f3c2a1d0e9f8a7b", "SMS" + id);

        HttpResponse<String> response = send(body, "sms_received");

        assertThat(response.statusCode()).isEqualTo(202);
        awaitOutcome(eventId(response), "created");
        assertThat(created(phone)).containsEntry("phone", phone).containsEntry("leadhub_source", "callrail")
                .containsEntry("source_lead_status", "good_lead").containsEntry("ai_project_type", "bathroom")
                .hasEntrySatisfying("lead_message", m -> assertThat((String) m).startsWith("Hi, I called earlier"));
    }

    @Test
    void aFormSubmissionBecomesALeadFromItsFormFields() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "52" + id);
        String body = sample("form-submission.json").replace("(678) 555-0142", national(phone))
                .replace("Priya.Raman@example.com", "Priya." + id + "@example.com")
                .replace("\"id\": 59023114", "\"id\": " + id);

        HttpResponse<String> response = send(body, null);

        assertThat(response.statusCode()).isEqualTo(202);
        awaitOutcome(eventId(response), "created");
        assertThat(created(phone)).containsEntry("email", "priya." + id + "@example.com")
                .containsEntry("firstname", "Priya").containsEntry("lastname", "Raman")
                .containsEntry("city", "Alpharetta").containsEntry("utm_campaign", "kitchen-fall-2026")
                .containsEntry("ai_project_type", "kitchen");
    }

    @Test
    void preCallPostCallAndAnOutboundCallOfOnePersonUpdateOneContact() {
        String phone = uniquePhone();
        String id = uniqueId();
        createAnswers(phone, "53" + id);

        awaitOutcome(eventId(send(call("pre-call.json", phone, id), "pre_call")), "created");
        awaitOutcome(eventId(send(call("post-call.json", phone, id), "post_call")), "updated");
        String outbound = eventId(send(call("outbound-post-call.json", phone, id), null));
        awaitOutcome(outbound, "updated");

        assertThat(creates(phone)).isEqualTo(1);
        assertThat(updates("53" + id)).isEqualTo(2);
        assertThat(hubSpotContact("53" + id, phone)).containsEntry("call_duration_seconds", 312)
                .containsEntry("call_tags", "kitchen;follow-up");
    }

    @Test
    void aCallModifiedThenALatePostCallLeaveTheSameContactAsTheNormalOrder() {
        String normalPhone = uniquePhone();
        String latePhone = uniquePhone();
        String a = uniqueId();
        String b = uniqueId();
        createAnswers(normalPhone, "54" + a);
        createAnswers(latePhone, "54" + b);

        // normal order: post-call, then the call is modified (tag added, note written)
        awaitOutcome(eventId(send(call("post-call.json", normalPhone, a), null)), "created");
        awaitOutcome(eventId(send(call("call-modified.json", normalPhone, a), null)), "updated");
        // CallRail's post-call may come up to 20 minutes late: here after the modification, with the older state
        awaitOutcome(eventId(send(call("call-modified.json", latePhone, b), null)), "created");
        awaitOutcome(eventId(send(call("post-call.json", latePhone, b), null)), "updated");

        Map<String, Object> normal = hubSpotContact("54" + a, normalPhone);
        Map<String, Object> late = hubSpotContact("54" + b, latePhone);
        assertThat(normal).containsEntry("call_note", "Estimate booked for Thursday 10am")
                .containsEntry("call_tags", "kitchen;new-lead;estimate-booked")
                .containsEntry("call_duration_seconds", 247).containsEntry("ai_project_type", "kitchen");
        assertThat(late.get("phone")).isEqualTo(latePhone);
        for (Map<String, Object> contact : List.of(normal, late)) {
            contact.remove("phone");
        }
        // the two test calls differ only in their ids (recording URL), which the comparison ignores
        late.replaceAll((k, v) -> v instanceof String s ? s.replace("CAL" + b, "CAL" + a) : v);
        assertThat(late).isEqualTo(normal);
    }
}
