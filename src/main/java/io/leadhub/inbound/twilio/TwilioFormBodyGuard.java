package io.leadhub.inbound.twilio;

import io.leadhub.config.LeadHubProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
        chain.doFilter(new io.leadhub.inbound.CachedBodyRequest(request, body), response);
    }

}
