package io.leadhub.inbound;

import io.leadhub.TestMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class WebhookProblemResponderTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();

    private final ObjectMapper json = new ObjectMapper();
    private final WebhookProblemResponder responder = new WebhookProblemResponder(json, TestMetrics.create());

    private static Exchange failed(Exception cause) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        exchange.setProperty(WebhookTenantResolver.SOURCE, "callrail");
        exchange.getIn().setHeader("tenant", "acme");
        exchange.getIn().setHeader(Exchange.HTTP_URI, "/webhooks/callrail/acme");
        exchange.getIn().setHeader("Signature", "c2lnbmF0dXJl");
        exchange.getIn().setHeader("Authorization", "Bearer secret");
        exchange.getIn().setBody("{\"caller_name\":\"JANE DOE\"}");
        return exchange;
    }

    private JsonNode body(Exchange exchange) throws Exception {
        return json.readTree(exchange.getMessage().getBody(String.class));
    }

    @Test
    void rendersARejectionAsProblemJsonWithItsStatusAndField() throws Exception {
        Exchange exchange = failed(WebhookRejectedException.invalidField("call_type", "call_type must be a string"));

        responder.process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        assertThat(json.writeValueAsString(body(exchange))).isEqualTo(json.writeValueAsString(json.readTree("""
                {"type":"about:blank","title":"Invalid webhook payload","status":400,
                 "detail":"call_type must be a string","field":"call_type","instance":"/webhooks/callrail/acme"}""")));
    }

    @Test
    void keepsTheRejectionStatus() throws Exception {
        for (int status : new int[] {401, 404, 413, 415}) {
            Exchange exchange = failed(new WebhookRejectedException(status, "Refused", "why", "header"));

            responder.process(exchange);

            assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(status);
            assertThat(body(exchange).get("status").asInt()).isEqualTo(status);
            assertThat(body(exchange).get("title").asText()).isEqualTo("Refused");
        }
    }

    @Test
    void leavesOutFieldWhenTheRejectionNamesNone() throws Exception {
        Exchange exchange = failed(new WebhookRejectedException(404, "Unknown tenant", "no tenant", null));

        responder.process(exchange);

        assertThat(body(exchange).has("field")).isFalse();
        assertThat(body(exchange).get("detail").asText()).isEqualTo("no tenant");
    }

    @Test
    void leavesOutInstanceWithoutARequestUri() throws Exception {
        Exchange exchange = failed(WebhookRejectedException.badSignature("Signature", "signature does not match"));
        exchange.getIn().removeHeader(Exchange.HTTP_URI);

        responder.process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(body(exchange).has("instance")).isFalse();
        assertThat(body(exchange).get("field").asText()).isEqualTo("Signature");
    }

    @Test
    void answersAnUnexpectedError503WithoutInternalDetails() throws Exception {
        Exchange exchange = failed(new DataAccessResourceFailureException(
                "Connection to jdbc:postgresql://db-internal:5432/leadhub refused (password=hunter2)"));

        responder.process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        assertThat(json.writeValueAsString(body(exchange))).isEqualTo(json.writeValueAsString(json.readTree("""
                {"type":"about:blank","title":"Webhook not accepted","status":503,
                 "detail":"the event could not be stored; nothing was accepted, please retry",
                 "instance":"/webhooks/callrail/acme"}""")));
        assertThat(exchange.getMessage().getBody(String.class))
                .doesNotContain("jdbc", "db-internal", "hunter2", "DataAccess", "Exception");
    }

    @Test
    void answers503WhenNoExceptionWasRecorded() throws Exception {
        Exchange exchange = failed(null);

        responder.process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
    }

    @Test
    void dropsTheRequestHeadersAndBodyFromTheAnswer() throws Exception {
        Exchange exchange = failed(WebhookRejectedException.badSignature("Signature", "signature does not match"));

        responder.process(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(exchange.getMessage().getBody(String.class)).doesNotContain("JANE");
    }
}
