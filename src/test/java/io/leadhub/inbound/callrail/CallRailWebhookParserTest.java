package io.leadhub.inbound.callrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.TestTenants;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.WebhookRejectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallRailWebhookParserTest {

    private final CallRailWebhookParser parser = new CallRailWebhookParser(new ObjectMapper(), new PhoneNormalizer(),
            Optional.of(Clock.fixed(Instant.parse("2026-11-20T20:00:00Z"), ZoneOffset.UTC)));

    private static String sample(String name) throws Exception {
        return Files.readString(Path.of("samples/callrail", name));
    }

    @Test
    void parsesPostCallSampleWithCallRailFieldNames() throws Exception {
        String body = sample("post-call.json");
        InboundEvent event = parser.parse(TestTenants.withCallRail("acme", "k"), body, null);

        assertThat(event.source()).isEqualTo("callrail");
        assertThat(event.eventType()).isEqualTo("post_call");
        assertThat(event.providerEventId()).isEqualTo("post_call:CAL8154748ae6bd4e278a7cddd38a662f4f");
        assertThat(event.partitionKey()).isEqualTo("acme|+14045558514");
        assertThat(event.receivedAt()).isEqualTo(Instant.parse("2026-11-20T20:00:00Z"));
        assertThat(event.rawBody()).isEqualTo(body);
        assertThat(event.lead()).containsEntry("phone_raw", "+14045558514")
                .containsEntry("full_name", "MARIA GONZALEZ")
                .containsEntry("city", "Marietta").containsEntry("state", "GA").containsEntry("country", "US");
        assertThat(event.call()).containsEntry("duration_seconds", 247L)
                .containsEntry("answered", true)
                .containsEntry("first_call", true)
                .containsEntry("source_name", "Google Ads")
                .containsEntry("tracking_phone_number", "+14045550101")
                .containsEntry("utm_campaign", "kitchen-fall-2026")
                .containsEntry("direction", "inbound")
                .containsKey("transcription");
        assertThat(event.call().get("tags")).asList().containsExactly("kitchen", "new-lead");
        assertThat((String) event.call().get("recording_url")).startsWith("https://app.callrail.com/calls/");
    }

    @Test
    void acceptsDurationAsNumberOrString() {
        InboundEvent asNumber = parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":1,\"customer_phone_number\":\"+14045558514\",\"duration\":13}", null);
        InboundEvent asString = parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":1,\"customer_phone_number\":\"+14045558514\",\"duration\":\"13\"}", null);
        assertThat(asNumber.call().get("duration_seconds")).isEqualTo(13L);
        assertThat(asString.call().get("duration_seconds")).isEqualTo(13L);
    }

    @Test
    void callModifiedEventsOfOneCallHaveDistinctIdsButAResentBodyIsTheSame() throws Exception {
        String modified = sample("call-modified.json");
        InboundEvent first = parser.parse(TestTenants.withCallRail("acme", "k"), modified, null);
        InboundEvent again = parser.parse(TestTenants.withCallRail("acme", "k"), modified, null);
        InboundEvent other = parser.parse(TestTenants.withCallRail("acme", "k"),
                modified.replace("Thursday 10am", "Friday 9am"), null);

        assertThat(first.eventType()).isEqualTo("call_modified");
        assertThat(first.providerEventId()).startsWith("call_modified:CAL8154748ae6bd4e278a7cddd38a662f4f:");
        assertThat(again.providerEventId()).isEqualTo(first.providerEventId());
        assertThat(other.providerEventId()).isNotEqualTo(first.providerEventId());
        assertThat(first.eventId()).isNotEqualTo(again.eventId());
    }

    @Test
    void eventQueryParameterNamesTheEventKind() throws Exception {
        InboundEvent pre = parser.parse(TestTenants.withCallRail("acme", "k"), sample("pre-call.json"), "pre_call");
        assertThat(pre.eventType()).isEqualTo("pre_call");
        assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"), sample("pre-call.json"), "bogus"))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.field()).isEqualTo("event"));
    }

    @Test
    void rejectsMalformedJsonNamingTheBody() {
        assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"), "{\"id\": 1,", null))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                });
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"), "[1,2]", null))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void rejectsMissingIdNamingIt() {
        assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"customer_phone_number\":\"+14045558514\"}", null))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("id");
                });
    }

    @Test
    void rejectsMissingOrBlankCustomerPhoneNumberNamingIt() {
        for (String body : new String[] {"{\"id\":1}", "{\"id\":1,\"customer_phone_number\":\"  \"}"}) {
            assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"), body, null))
                    .isInstanceOfSatisfying(WebhookRejectedException.class,
                            e -> assertThat(e.field()).isEqualTo("customer_phone_number"));
        }
    }

    @Test
    void rejectsNonNumericDuration() {
        assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":1,\"customer_phone_number\":\"+14045558514\",\"duration\":\"long\"}", null))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.field()).isEqualTo("duration"));
    }

    @Test
    void outboundCallsAreOutboundPostCall() {
        InboundEvent event = parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":1,\"customer_phone_number\":\"+14045558514\",\"direction\":\"outbound\"}", null);
        assertThat(event.eventType()).isEqualTo("outbound_post_call");
    }

    @Test
    void everyCanonicalCallKeyIsPresentForEveryEventKind() throws Exception {
        for (String name : new String[] {"post-call.json", "pre-call.json", "call-modified.json",
                "outbound-post-call.json", "sms-received.json", "form-submission.json"}) {
            InboundEvent event = parser.parse(TestTenants.withCallRail("acme", "k"), sample(name), null);
            assertThat(event.call()).as(name).containsKeys(io.leadhub.inbound.CanonicalFields.CALL_KEYS.toArray(String[]::new));
            assertThat(event.lead()).as(name).containsKeys(io.leadhub.inbound.CanonicalFields.LEAD_KEYS.toArray(String[]::new));
        }
    }

    @Test
    void outboundPostCallSampleIsAnOutboundCallOfTheSameCustomer() throws Exception {
        InboundEvent event = parser.parse(TestTenants.withCallRail("acme", "k"), sample("outbound-post-call.json"), null);
        assertThat(event.eventType()).isEqualTo("outbound_post_call");
        assertThat(event.call()).containsEntry("direction", "outbound").containsEntry("duration_seconds", 312L)
                .containsEntry("first_call", false);
        assertThat(event.partitionKey()).isEqualTo("acme|+14045558514");
        assertThat(event.providerEventId()).isEqualTo("outbound_post_call:CAL0b7e3c1d9a2f4e8b6c5d4e3f2a1b0c9d");
    }

    @Test
    void preCallAndPostCallOfOneCallShareTheCallId() throws Exception {
        InboundEvent pre = parser.parse(TestTenants.withCallRail("acme", "k"), sample("pre-call.json"), "pre_call");
        InboundEvent post = parser.parse(TestTenants.withCallRail("acme", "k"), sample("post-call.json"), null);
        InboundEvent modified = parser.parse(TestTenants.withCallRail("acme", "k"), sample("call-modified.json"), null);
        assertThat(pre.call().get("id")).isEqualTo(post.call().get("id")).isEqualTo(modified.call().get("id"));
        assertThat(pre.call()).containsEntry("answered", false).containsEntry("duration_seconds", 0L);
        assertThat(modified.call().get("changes")).asList().containsExactly("tags", "note", "call_summary");
        assertThat(modified.call()).containsEntry("note", "Estimate booked for Thursday 10am");
    }

    @Test
    void smsReceivedMakesTheSenderTheLeadAndTheTextTheMessage() throws Exception {
        String body = sample("sms-received.json");
        InboundEvent event = parser.parse(TestTenants.withCallRail("acme", "k"), body, null);

        assertThat(event.eventType()).isEqualTo("sms_received");
        assertThat(event.providerEventId()).isEqualTo("sms_received:SMS8c1e5b2f0a9d4e6b8f3c2a1d0e9f8a7b");
        assertThat(event.partitionKey()).isEqualTo("acme|+14045558514");
        assertThat(event.lead()).containsEntry("phone_raw", "+14045558514");
        assertThat((String) event.call().get("message")).startsWith("Hi, I called earlier about a bathroom remodel");
        assertThat(event.call().get("transcription")).isEqualTo(event.call().get("message"));
        assertThat(event.call()).containsEntry("tracking_phone_number", "+14045550101")
                .containsEntry("direction", "inbound").containsEntry("lead_status", "good_lead")
                .containsEntry("start_time", "2026-11-20T16:12:44.000-05:00");
        assertThat((java.util.Map<String, Object>) event.call().get("fields"))
                .containsEntry("message_type", "sms")
                .containsEntry("conversation_id", "SCO4e1b8f7a2c3d4e5f6a7b8c9d0e1f2a3b");
    }

    @Test
    void smsReceivedNeedsTheSourceNumber() {
        assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":1,\"content\":\"hi\",\"source_number\":\" \"}", "sms_received"))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("source_number");
                });
    }

    @Test
    void formSubmissionTakesThePersonFromTheFormFields() throws Exception {
        InboundEvent event = parser.parse(TestTenants.withCallRail("acme", "k"), sample("form-submission.json"), null);

        assertThat(event.eventType()).isEqualTo("form_submission");
        assertThat(event.providerEventId()).isEqualTo("form_submission:59023114");
        assertThat(event.partitionKey()).isEqualTo("acme|+16785550142");
        assertThat(event.lead()).containsEntry("phone_raw", "(678) 555-0142")
                .containsEntry("email", "Priya.Raman@example.com")
                .containsEntry("first_name", "Priya").containsEntry("last_name", "Raman")
                .containsEntry("city", "Alpharetta");
        assertThat((String) event.call().get("message")).startsWith("We would like a quote for new kitchen cabinets");
        assertThat(event.call()).containsEntry("source_name", "Facebook Ads").containsEntry("utm_source", "facebook")
                .containsEntry("utm_content", "carousel-1").containsEntry("first_call", true)
                .containsEntry("landing_page_url", "https://peachtreekb.example/kitchen-remodeling?utm_source=facebook&utm_medium=paid_social");
        assertThat((java.util.Map<String, Object>) event.call().get("fields"))
                .containsEntry("Project", "Kitchen").containsEntry("form_url", "https://peachtreekb.example/contact");
    }

    @Test
    void formSubmissionAcceptsFieldListsAndCustomerFields() {
        InboundEvent list = parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":7,\"form_data\":[{\"label\":\"Your Name\",\"value\":\"Ann Lee\"},"
                        + "{\"label\":\"E-mail\",\"value\":\"ann@example.com\"}]}", null);
        assertThat(list.lead()).containsEntry("full_name", "Ann Lee").containsEntry("email", "ann@example.com");
        assertThat(list.partitionKey()).isEqualTo("acme|ann@example.com");

        InboundEvent customer = parser.parse(TestTenants.withCallRail("acme", "k"),
                "{\"id\":8,\"customer_phone_number\":\"+14045550000\",\"customer_name\":\"Bo Diaz\",\"form_data\":{}}",
                "form_submission");
        assertThat(customer.lead()).containsEntry("phone_raw", "+14045550000").containsEntry("full_name", "Bo Diaz");
    }

    @Test
    void formSubmissionWithoutPhoneOrEmailIsRejectedNamingFormData() {
        for (String body : new String[] {"{\"id\":9,\"form_data\":{\"Name\":\"Ann\"}}", "{\"id\":9,\"form_data\":\"x\"}"}) {
            assertThatThrownBy(() -> parser.parse(TestTenants.withCallRail("acme", "k"), body, null))
                    .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("form_data");
                    });
        }
    }
}
