package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code samples/send} signs the Twilio samples the way Twilio does: each one posted to the running hub (tenant
 * umbrella, signed for the request URL) is accepted. Needs bash, curl and openssl, like the script itself.
 */
class TwilioSamplesSendTest extends TwilioHubTest {

    @BeforeAll
    static void toolsPresent() {
        for (String tool : List.of("bash", "curl", "openssl")) {
            assumeTrue(run(List.of(tool, "--version"), Map.of()).exit == 0 || run(List.of(tool, "version"), Map.of()).exit == 0,
                    tool + " is not installed");
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private Result send(String sample, Map<String, String> extraEnv) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("LEADHUB_URL", "http://localhost:" + port,
                "TWILIO_AUTH_TOKEN", UMBRELLA_TWILIO_AUTH_TOKEN));
        env.putAll(extraEnv);
        return run(List.of("bash", "samples/send", sample, "umbrella"), env);
    }

    @Test
    void voiceSampleIsAnsweredWithTwiml() {
        Result result = send("twilio/voice-incoming.params", Map.of());

        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains("HTTP/1.1 200", "<Response>", "<Record");
    }

    @Test
    void callbackSamplesOfOneCallAreJournaled() {
        String callSid = newSid("CA");
        for (String sample : List.of("twilio/recording-completed.params", "twilio/status-completed.params",
                "twilio/transcription-completed.params")) {
            Result result = send(sample, Map.of("CALL_SID", callSid));

            assertThat(result.exit).as(result.output).isZero();
            assertThat(result.output).as(sample).contains("HTTP/1.1 204", "X-LeadHub-Event-Id");
        }
    }

    @Test
    void aWrongTokenIsRefused() {
        Result result = send("twilio/status-completed.params", Map.of("TWILIO_AUTH_TOKEN", "wrong", "UNIQUE", "1"));

        assertThat(result.output).contains("HTTP/1.1 401");
    }
}
