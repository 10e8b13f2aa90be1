package io.leadhub.inbound.twilio;

import io.leadhub.config.LeadHubProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a malformed form body posted to {@code /webhooks/twilio/**} with 400 {@code application/problem+json}
 * naming {@code body}, before Camel sees it.
 *
 * <p>Why: camel-platform-http on Spring Boot ({@code SpringBootPlatformHttpBinding}, from camel-http-common's
 * {@code DefaultHttpBinding.readFormUrlEncodedBody}) copies the fields of every
 * {@code application/x-www-form-urlencoded} POST into message headers while it binds the request, and throws on a
 * part without {@code =} or with a bad percent escape; that happens before any route step runs and ends as a bare
 * 500. Well-formed bodies pass unchanged: this filter reads the body once (after {@code WebhookRequestLimits} has
 * enforced {@code leadhub.ingest.max-body-bytes}) and hands the same bytes on, so the route still gets the raw
 * body the signature is computed over. (The Twilio routes also set {@code populateBodyWithForm=false}, so Camel
 * keeps the body as the raw bytes rather than a {@code Map}.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class TwilioFormBodyGuard extends OncePerRequestFilter {

    private final long maxBytes;

    /** @param props LeadHub settings ({@code leadhub.ingest.max-body-bytes}) */
    public TwilioFormBodyGuard(LeadHubProperties props) {
        this.maxBytes = props.ingest().maxBodyBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return !"POST".equals(request.getMethod())
                || !request.getRequestURI().startsWith("/webhooks/twilio/")
                || type == null
                || !TwilioSignatureVerifier.mime(type).equals("application/x-www-form-urlencoded");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (!TwilioForm.isWellFormed(body)) {
            response.setStatus(400);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Invalid webhook payload\",\"status\":400,"
                    + "\"detail\":\"body is not valid application/x-www-form-urlencoded (name=value pairs joined by &, "
                    + "percent-encoded, each name once)\",\"field\":\"body\",\"instance\":\""
                    + request.getRequestURI().replaceAll("[\"\\\\]", "") + "\"}");
            return;
        }
        chain.doFilter(new ReplayedBodyRequest(request, body), response);
    }

    /** The request with its body replaced by the bytes already read. */
    private static final class ReplayedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("blocking body only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (getCharacterEncoding() != null) {
                    charset = Charset.forName(getCharacterEncoding());
                }
            } catch (IllegalArgumentException e) {
                // unknown or illegal charset name: form bodies are ASCII, UTF-8 reads them
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
