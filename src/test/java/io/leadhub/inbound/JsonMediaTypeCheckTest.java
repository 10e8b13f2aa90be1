package io.leadhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonMediaTypeCheckTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();

    private final JsonMediaTypeCheck check = new JsonMediaTypeCheck();

    private static Exchange withContentType(String type) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, type);
        exchange.getIn().setBody("{}");
        return exchange;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "application/json",
            "application/json; charset=UTF-8",
            "application/json;charset=utf-8",
            "APPLICATION/JSON",
            "Application/Json ; charset=\"utf-8\"",
            "application/vnd.callrail+json",
            "application/problem+json; charset=utf-8",
            "application/cloudevents+json"
    })
    void acceptsJsonAndPlusJsonWithParameters(String type) {
        assertThatCode(() -> check.process(withContentType(type))).doesNotThrowAnyException();
    }

    @Test
    void acceptsAMissingContentType() {
        assertThatCode(() -> check.process(withContentType(null))).doesNotThrowAnyException();
        assertThatCode(() -> check.process(withContentType(""))).doesNotThrowAnyException();
        assertThatCode(() -> check.process(withContentType("  "))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "text/plain",
            "text/plain; charset=utf-8",
            "text/json",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "json",
            "application/jsonp",
            "text/+json"
    })
    void refusesOtherMediaTypesWith415NamingTheHeader(String type) {
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                () -> check.process(withContentType(type)));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(415);
        assertThat(e.title()).isEqualTo("Unsupported media type");
        assertThat(e.field()).isEqualTo("Content-Type");
        assertThat(e.getMessage()).isEqualTo("Content-Type must be application/json, not "
                + type.split(";")[0].trim().toLowerCase());
    }

    @Test
    void theRefusalDoesNotEchoMarkup() {
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                () -> check.process(withContentType("text/<script>alert(1)</script>")));

        assertThat(e.getMessage()).isEqualTo("Content-Type must be application/json, not text/?script?alert?1??/script?");
    }
}
