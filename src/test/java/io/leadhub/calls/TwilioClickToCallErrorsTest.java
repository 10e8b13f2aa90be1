package io.leadhub.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.exception.ApiException;
import io.leadhub.tenant.TenantConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How twilio-java's {@link ApiException} becomes the click-to-call problem answer. */
class TwilioClickToCallErrorsTest {

    private static final TenantConfig TENANT = new TenantConfig("acme", Path.of("acme.yaml"), "US", ZoneOffset.UTC,
            Map.of(), Map.of(), List.of(), List.of(), Instant.EPOCH);

    private static ApiException twilio(String message, Integer code, Integer status) {
        return new ApiException(message, code, "https://www.twilio.com/docs/errors/" + code, status, null);
    }

    @Test
    void validationErrorsAboutTheCalledNumberAre400NamingLeadPhone() {
        for (int code : new int[] {21211, 21214, 21215, 21217}) {
            ApiProblemException problem = TwilioClickToCall.problem(TENANT, "+14045558514",
                    twilio("The 'To' number +14045558514 is not valid", code, 400));

            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.field()).isEqualTo("lead_phone");
            assertThat(problem.extensions()).containsEntry("twilio_code", code).containsEntry("twilio_status", 400)
                    .containsEntry("more_info", "https://www.twilio.com/docs/errors/" + code);
            assertThat(problem.getMessage()).doesNotContain("14045558514");
        }
    }

    @Test
    void aCallerIdTwilioRefusesIsTheTenantFilesProblem502() {
        ApiProblemException problem = TwilioClickToCall.problem(TENANT, "+14045558514",
                twilio("The source phone number provided, +15125550100, is not yet verified for your account", 21210, 400));

        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.field()).isEqualTo("sources.twilio.caller_id");
    }

    @Test
    void otherStatusesAndBrokenConnectionsAre502() {
        assertThat(TwilioClickToCall.problem(TENANT, "+1", twilio("Authenticate", 20003, 401)).status()).isEqualTo(502);
        assertThat(TwilioClickToCall.problem(TENANT, "+1", twilio("Too Many Requests", 20429, 429)).status()).isEqualTo(502);
        ApiProblemException reset = TwilioClickToCall.problem(TENANT, "+1",
                new ApiException("Connection reset", new IOException("Connection reset")));
        assertThat(reset.status()).isEqualTo(502);
        assertThat(reset.getMessage()).startsWith("Twilio could not be reached");
        assertThat(reset.extensions()).isEmpty();
    }
}
