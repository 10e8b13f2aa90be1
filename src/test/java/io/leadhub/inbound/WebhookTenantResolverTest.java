package io.leadhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantFileLoader;
import io.leadhub.tenant.TenantRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTenantResolverTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();

    @TempDir
    Path mappings;

    private TenantRegistry tenants;
    private WebhookTenantResolver resolver;

    @BeforeEach
    void tenants() throws IOException {
        Files.writeString(mappings.resolve("acme.yaml"), """
                tenant: acme
                sources:
                  callrail:
                    signing_key: ${ACME_CALLRAIL_KEY}
                destinations:
                  - id: hubspot-main
                    type: hubspot
                    dry_run: true
                """);
        Files.writeString(mappings.resolve("beta.yaml"), """
                tenant: beta
                destinations:
                  - id: hubspot-main
                    type: hubspot
                    dry_run: true
                """);
        tenants = new TenantRegistry(mappings, new TenantFileLoader(Map.of("ACME_CALLRAIL_KEY", "key")::get, "US",
                Clock.systemUTC(), null));
        assertThat(tenants.errors()).isEmpty();
        resolver = new WebhookTenantResolver(tenants);
    }

    private static Exchange webhook(String tenant, String source) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setHeader("tenant", tenant);
        exchange.setProperty(WebhookTenantResolver.SOURCE, source);
        return exchange;
    }

    @Test
    void setsTheTenantConfigOfATenantWithTheSource() {
        Exchange exchange = webhook("acme", "callrail");

        resolver.process(exchange);

        TenantConfig config = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        assertThat(config).isSameAs(tenants.find("acme").orElseThrow());
    }

    @Test
    void answers404ForAnUnknownTenant() {
        WebhookRejectedException e = rejected(webhook("globex", "callrail"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.title()).isEqualTo("Unknown tenant");
        assertThat(e.field()).isEqualTo("tenant");
        assertThat(e.getMessage()).isEqualTo("no tenant 'globex' with a callrail source");
    }

    @Test
    void answersTheSame404ForATenantWithoutTheSource() {
        WebhookRejectedException e = rejected(webhook("beta", "callrail"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.title()).isEqualTo("Unknown tenant");
        assertThat(e.field()).isEqualTo("tenant");
        assertThat(e.getMessage()).isEqualTo("no tenant 'beta' with a callrail source");
    }

    @Test
    void answers404ForATenantWithAnotherSourceOnly() {
        WebhookRejectedException e = rejected(webhook("acme", "twilio"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("no tenant 'acme' with a twilio source");
    }

    @Test
    void answers404WithoutATenantInThePath() {
        WebhookRejectedException e = rejected(webhook(null, "callrail"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("no tenant '' with a callrail source");
    }

    @Test
    void theDetailNeitherEchoesMarkupNorLongInput() {
        WebhookRejectedException e = rejected(webhook("<b>x</b>\"" + "a".repeat(100), "callrail"));

        assertThat(e.getMessage()).isEqualTo("no tenant '?b?x??b??" + "a".repeat(55) + "' with a callrail source");
    }

    @Test
    void leavesThePropertyUnsetWhenRejecting() {
        Exchange exchange = webhook("globex", "callrail");

        rejected(exchange);

        assertThat(exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG)).isNull();
    }

    private WebhookRejectedException rejected(Exchange exchange) {
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> resolver.process(exchange));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
