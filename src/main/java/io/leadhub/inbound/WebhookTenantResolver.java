package io.leadhub.inbound;

import io.leadhub.tenant.TenantConfig;
import io.leadhub.tenant.TenantRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * First step of every {@code inbound-<source>-webhook} route: finds the tenant named in the path
 * ({@code /webhooks/<source>/{tenant}}, Camel header {@code tenant}) and checks that it has configured the
 * source (exchange property {@value #SOURCE}). Sets the property {@value #TENANT_CONFIG}.
 *
 * <p>Unknown tenant, or a tenant without this source: {@link WebhookRejectedException} 404 (the two are not
 * told apart, so the answer does not reveal which tenants exist).
 */
@Component("webhookTenantResolver")
public class WebhookTenantResolver implements Processor {

    /** Exchange property holding the source name, set by the route. */
    public static final String SOURCE = "leadhubSource";
    /** Exchange property receiving the {@link TenantConfig}. */
    public static final String TENANT_CONFIG = "leadhubTenantConfig";

    private final TenantRegistry tenants;

    /** @param tenants the loaded tenant files */
    public WebhookTenantResolver(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    @Override
    public void process(Exchange exchange) {
        String tenant = exchange.getIn().getHeader("tenant", String.class);
        String source = exchange.getProperty(SOURCE, String.class);
        TenantConfig config = tenant == null ? null : tenants.find(tenant)
                .filter(t -> t.source(source).isPresent())
                .orElse(null);
        if (config == null) {
            throw new WebhookRejectedException(404, "Unknown tenant",
                    "no tenant '" + safe(tenant) + "' with a " + source + " source", "tenant");
        }
        exchange.setProperty(TENANT_CONFIG, config);
    }

    private static String safe(String tenant) {
        if (tenant == null) {
            return "";
        }
        String cut = tenant.length() > 64 ? tenant.substring(0, 64) : tenant;
        return cut.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
