package io.leadhub.inbound.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signed fixtures of {@code src/test/resources/twilio}: each signature is valid for its URL and body by
 * twilio-java's {@code RequestValidator}, each body is its {@code samples/twilio/<name>.params} form-encoded, and
 * each callback parses into the documented event.
 */
class TwilioFixturesTest {

    private static final Path DIR = Path.of("src/test/resources/twilio");

    static Properties signed() throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(DIR.resolve("signed-fixtures.properties"))) {
            props.load(in);
        }
        return props;
    }

    static Stream<String> fixtures() throws IOException {
        return signed().stringPropertyNames().stream().filter(k -> k.endsWith(".url"))
                .map(k -> k.substring(0, k.length() - 4)).sorted();
    }

    /** Reads a samples/twilio/*.params file: {@code name=value} lines (decoded), {@code #} comments. */
    static Map<String, String> sampleParams(String name) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("samples/twilio", name + ".params"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                params.put(kv[0], kv[1]);
            }
        }
        return params;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void signatureIsValidForItsUrlAndBody(String name) throws IOException {
        Properties signed = signed();
        TwilioSettings settings = new TwilioSettings(null, Secret.of(signed.getProperty("auth_token")), null,
                URI.create(TwilioSettings.DEFAULT_API_BASE_URL), null, null,
                new TwilioSettings.Voice(null, null, null, 20, "do-not-record", true, "p", 120, true), Secret.empty());

        Map<String, String> params = TwilioSignatureVerifier.verify(settings, signed.getProperty(name + ".url"),
                "application/x-www-form-urlencoded", Files.readAllBytes(DIR.resolve(name + ".form")),
                signed.getProperty(name + ".signature"));

        assertThat(params).isEqualTo(sampleParams(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void callbacksParseIntoTheirEvents(String name) throws IOException {
        String callback = name.substring(0, name.indexOf('-'));
        if (callback.equals("voice")) {
            return;
        }
        Properties signed = signed();
        String leadPhone = TwilioParams.query(URI.create(signed.getProperty(name + ".url")).getRawQuery(),
                TwilioPublicUrl.LEAD_PHONE_PARAM);
        InboundEvent event = new TwilioCallbackParser(new ObjectMapper(), new PhoneNormalizer(), Optional.empty())
                .parse(TwilioCallbackParserTest.tenant(), callback, sampleParams(name), leadPhone, "");

        assertThat(event.eventType()).isEqualTo(Map.of(
                "recording-completed", "recording_completed",
                "status-completed", "call_completed",
                "status-outbound-initiated", "call_initiated",
                "transcription-completed", "transcription_completed").get(name));
        assertThat(event.lead().get("phone_raw")).isEqualTo("+14045558514");
    }
}
