package io.leadhub.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns the exception that stopped an {@code /api/**} route into an RFC 9457 {@code application/problem+json}
 * answer: {@link ApiProblemException} with its status, title, detail, {@code field} and extension members
 * (401 answers also carry {@code WWW-Authenticate: Bearer}); anything else as 500 without internal details.
 * Used by the {@code api-errors} route configuration.
 */
@Component("apiProblemResponder")
public class ApiProblemResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiProblemResponder.class);

    private final ObjectMapper json;

    /** @param json Jackson mapper */
    public ApiProblemResponder(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        int status;
        String route = exchange.getFromRouteId();
        if (cause instanceof ApiProblemException p) {
            status = p.status();
            problem.put("title", p.title());
            problem.put("status", status);
            problem.put("detail", p.getMessage());
            if (p.field() != null) {
                problem.put("field", p.field());
            }
            p.extensions().forEach(problem::putIfAbsent);
            LOG.info("{} answered {}: {}", route, status, p.getMessage());
        } else {
            status = 500;
            problem.put("title", "Internal error");
            problem.put("status", status);
            problem.put("detail", "the request could not be processed");
            LOG.error("{} failed", route, cause);
        }
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        if (uri != null) {
            problem.put("instance", uri);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
        exchange.getMessage().setBody(json.writeValueAsString(problem));
    }
}
