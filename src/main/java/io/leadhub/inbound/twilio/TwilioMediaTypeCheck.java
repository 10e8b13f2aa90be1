package io.leadhub.inbound.twilio;

import io.leadhub.inbound.WebhookRejectedException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Refuses a Twilio webhook whose {@code Content-Type} is neither {@code application/x-www-form-urlencoded}
 * (Twilio's voice webhooks and callbacks) nor JSON ({@code application/json}, {@code application/*+json}; Twilio
 * products that post JSON sign it with {@code bodySHA256}) with 415 problem+json naming the header. A missing
 * Content-Type is read as a form body. Runs after {@link TwilioSignatureVerifier}, so an unsigned request learns
 * nothing but 401.
 */
@Component("twilioMediaTypeCheck")
public class TwilioMediaTypeCheck implements Processor {

    @Override
    public void process(Exchange exchange) {
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (TwilioSignatureVerifier.isForm(type) || isJson(type)) {
            return;
        }
        throw new WebhookRejectedException(415, "Unsupported media type",
                "Content-Type must be application/x-www-form-urlencoded or application/json, not "
                        + TwilioSignatureVerifier.mime(type).replaceAll("[^a-z0-9/+.-]", "?"),
                "Content-Type");
    }

    /**
     * @param contentType a Content-Type header value, or null
     * @return true for {@code application/json} and {@code application/*+json}
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mime = TwilioSignatureVerifier.mime(contentType);
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }
}
