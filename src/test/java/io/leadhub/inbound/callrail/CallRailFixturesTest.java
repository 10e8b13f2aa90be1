package io.leadhub.inbound.callrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.TestTenants;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.inbound.Fixtures;
import io.leadhub.inbound.WebhookTenantResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The signed CallRail fixtures: openssl's signatures verify, and every event kind parses. */
class CallRailFixturesTest {

    static List<String> fixtures() {
        return Fixtures.names("callrail");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureIsTheSampleAndItsOpensslSignatureVerifies(String name) throws Exception {
        String body = Fixtures.body("callrail", name);
        assertThat(Files.readString(Path.of("samples/callrail", name))).isEqualTo(body);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(WebhookTenantResolver.TENANT_CONFIG, TestTenants.withCallRail("acme", "callrail-fixture-key"));
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        exchange.getIn().setHeader("Signature", Fixtures.signature("callrail", name));
        assertThatCode(() -> new CallRailSignatureVerifier().process(exchange)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureParsesIntoItsEventKind(String name) {
        CallRailWebhookParser parser = new CallRailWebhookParser(new ObjectMapper(), new PhoneNormalizer(), Optional.empty());
        String kind = parser.parse(TestTenants.withCallRail("acme", "k"), Fixtures.body("callrail", name), null).eventType();
        String expected = switch (name) {
            case "call-modified.json" -> "call_modified";
            case "form-submission.json" -> "form_submission";
            case "outbound-post-call.json" -> "outbound_post_call";
            case "sms-received.json" -> "sms_received";
            default -> "post_call"; // pre-call is only recognised with ?event=pre_call, as CallRail's URL says
        };
        assertThat(kind).isEqualTo(expected);
    }
}
