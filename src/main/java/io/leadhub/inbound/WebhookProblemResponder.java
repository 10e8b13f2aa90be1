package io.leadhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.ops.LeadHubMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns the exception that stopped an inbound route into an RFC 9457 {@code application/problem+json} answer:
 * {@link WebhookRejectedException} with its status, title, detail and {@code field}; anything else as 503
 * "not accepted, retry" without internal details (nothing was journaled, so the provider may safely resend).
 * Used by the {@code inbound-webhook-errors} route configuration.
 */
@Component("webhookProblemResponder")
public class WebhookProblemResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookProblemResponder.class);

    private final ObjectMapper json;
    private final LeadHubMetrics metrics;

    /**
     * @param json    Jackson mapper
     * @param metrics rejection counter
     */
    public WebhookProblemResponder(ObjectMapper json, LeadHubMetrics metrics) {
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * @param status HTTP status of the answer
     * @return the {@code reason} label of {@code leadhub_webhooks_rejected_total}
     */
    public static String reason(int status) {
        return switch (status) {
            case 404 -> "unknown_tenant";
            case 401 -> "bad_signature";
            case 400 -> "invalid_payload";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            default -> "not_journaled";
        };
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> problem = new LinkedHashMap<>();
        int status;
        if (cause instanceof WebhookRejectedException rejected) {
            status = rejected.status();
            problem.put("type", "about:blank");
            problem.put("title", rejected.title());
            problem.put("status", status);
            problem.put("detail", rejected.getMessage());
            if (rejected.field() != null) {
                problem.put("field", rejected.field());
            }
            LOG.info("Rejected {} webhook for tenant '{}': {} {}", exchange.getProperty(WebhookTenantResolver.SOURCE),
                    exchange.getIn().getHeader("tenant"), status, rejected.getMessage());
        } else {
            status = 503;
            problem.put("type", "about:blank");
            problem.put("title", "Webhook not accepted");
            problem.put("status", status);
            problem.put("detail", "the event could not be stored; nothing was accepted, please retry");
            LOG.error("Inbound {} webhook failed before it was journaled", exchange.getProperty(WebhookTenantResolver.SOURCE), cause);
        }
        metrics.webhookRejected(exchange.getProperty(WebhookTenantResolver.SOURCE, String.class),
                exchange.getIn().getHeader("tenant", String.class), reason(status));
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        if (uri != null) {
            problem.put("instance", uri);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        exchange.getMessage().setBody(json.writeValueAsString(problem));
    }
}
