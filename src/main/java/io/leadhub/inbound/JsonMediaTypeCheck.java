package io.leadhub.inbound;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Refuses a webhook whose {@code Content-Type} is present and is not JSON ({@code application/json} or
 * {@code application/*+json}) with 415 problem+json naming the header. A missing Content-Type is accepted,
 * since some senders omit it; the body must then still parse as JSON.
 */
@Component("jsonMediaTypeCheck")
public class JsonMediaTypeCheck implements Processor {

    @Override
    public void process(Exchange exchange) {
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type == null || type.isBlank()) {
            return;
        }
        String mime = type.split(";", 2)[0].trim().toLowerCase();
        if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
            throw new WebhookRejectedException(415, "Unsupported media type",
                    "Content-Type must be application/json, not " + mime.replaceAll("[^a-z0-9/+.-]", "?"),
                    "Content-Type");
        }
    }
}
