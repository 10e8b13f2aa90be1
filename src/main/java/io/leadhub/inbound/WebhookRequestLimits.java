package io.leadhub.inbound;

import io.leadhub.config.LeadHubProperties;
import io.leadhub.ops.LeadHubMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@code leadhub.ingest.max-body-bytes} on {@code POST /webhooks/**} before any route reads the body:
 * a declared {@code Content-Length} over the limit is refused at once, and a body without a length (chunked)
 * is read up to the limit + 1 byte and refused when it goes over. Refusals are 413
 * {@code application/problem+json} naming the limit; nothing reaches Kafka.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WebhookRequestLimits extends OncePerRequestFilter {

    private final long maxBytes;
    private final LeadHubMetrics metrics;

    /**
     * @param props   LeadHub settings ({@code leadhub.ingest.max-body-bytes})
     * @param metrics rejection counter
     */
    public WebhookRequestLimits(LeadHubProperties props, LeadHubMetrics metrics) {
        this.maxBytes = props.ingest().maxBodyBytes();
        this.metrics = metrics;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(request, response);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            tooLarge(request, response);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = request.getRequestURI().split("/"); // ["", "webhooks", source, tenant, ...]
        metrics.webhookRejected(path.length > 2 ? path[2] : null, path.length > 3 ? path[3] : null, "too_large");
        response.setStatus(413);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Payload too large\",\"status\":413,"
                + "\"detail\":\"request body exceeds the limit of " + maxBytes + " bytes\",\"field\":\"body\","
                + "\"instance\":\"" + request.getRequestURI().replaceAll("[\"\\\\]", "") + "\"}");
    }

}
