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
}
