package io.leadhub.inbound;

import io.leadhub.TestMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.TestSettings;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class WebhookRequestLimitsTest {

    private static final int LIMIT = 32;
    private static final String URI = "/webhooks/callrail/acme";

    private final WebhookRequestLimits filter =
            new WebhookRequestLimits(TestSettings.with(Map.of("leadhub.ingest.max-body-bytes", String.valueOf(LIMIT))), TestMetrics.create());
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final MockFilterChain chain = new MockFilterChain();

    /** A POST with a Content-Length header. */
    private static MockHttpServletRequest post(String uri, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        request.setContentType("application/json");
        request.setContent(body);
        return request;
    }

    /** A POST with {@code Transfer-Encoding: chunked}: the length is unknown until the body is read. */
    private static MockHttpServletRequest chunked(String uri, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri) {
            @Override
            public int getContentLength() {
                return -1;
            }

            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.addHeader("Transfer-Encoding", "chunked");
        request.setContentType("application/json");
        request.setContent(body);
        return request;
    }

    private static byte[] bytes(int n) {
        return ("{\"a\":\"" + "x".repeat(n - 8) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private void assertTooLarge() throws Exception {
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(new ObjectMapper().readTree(response.getContentAsString())).isEqualTo(new ObjectMapper().readTree("""
                {"type":"about:blank","title":"Payload too large","status":413,
                 "detail":"request body exceeds the limit of 32 bytes","field":"body","instance":"/webhooks/callrail/acme"}"""));
        assertThat(chain.getRequest()).as("the route is not called").isNull();
    }

    @Test
    void refusesADeclaredContentLengthOverTheLimitWith413() throws Exception {
        filter.doFilter(post(URI, bytes(LIMIT + 1)), response, chain);

        assertTooLarge();
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413() throws Exception {
        filter.doFilter(chunked(URI, bytes(LIMIT * 10)), response, chain);

        assertTooLarge();
    }

    @Test
    void refusesAChunkedBodyOneByteOverTheLimit() throws Exception {
        filter.doFilter(chunked(URI, bytes(LIMIT + 1)), response, chain);

        assertTooLarge();
    }

    @Test
    void passesABodyWithinTheDeclaredLimitUnchanged() throws Exception {
        MockHttpServletRequest request = post(URI, bytes(LIMIT));

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).isSameAs(request);
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void passesTheFullChunkedBodyWithinTheLimitOn() throws Exception {
        byte[] body = bytes(LIMIT);

        filter.doFilter(chunked(URI, body), response, chain);

        HttpServletRequest passed = (HttpServletRequest) chain.getRequest();
        assertThat(passed).isNotNull();
        assertThat(passed.getContentLengthLong()).isEqualTo(LIMIT);
        assertThat(passed.getContentLength()).isEqualTo(LIMIT);
        assertThat(passed.getInputStream().readAllBytes()).isEqualTo(body);
        assertThat(passed.getReader().readLine()).isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(passed.getRequestURI()).isEqualTo(URI);
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void theBufferedBodyStreamReportsWhenItIsFinished() throws Exception {
        byte[] body = bytes(LIMIT / 2);

        filter.doFilter(chunked(URI, body), response, chain);

        ServletInputStream in = ((HttpServletRequest) chain.getRequest()).getInputStream();
        assertThat(in.isReady()).isTrue();
        assertThat(in.isFinished()).isFalse();
        assertThat(in.readAllBytes()).isEqualTo(body);
        assertThat(in.isFinished()).isTrue();
    }

    @Test
    void passesAnEmptyChunkedBody() throws Exception {
        filter.doFilter(chunked(URI, new byte[0]), response, chain);

        assertThat(((HttpServletRequest) chain.getRequest()).getInputStream().readAllBytes()).isEmpty();
    }

    @Test
    void leavesOtherPathsAlone() throws Exception {
        MockHttpServletRequest request = chunked("/actuator/health", bytes(LIMIT * 10));

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).isSameAs(request);
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void theProblemInstanceCannotBreakTheJson() throws Exception {
        filter.doFilter(post("/webhooks/callrail/a\"b\\c", bytes(LIMIT + 1)), response, chain);

        assertThat(new ObjectMapper().readTree(response.getContentAsString()).get("instance").asText())
                .isEqualTo("/webhooks/callrail/abc");
    }
}
