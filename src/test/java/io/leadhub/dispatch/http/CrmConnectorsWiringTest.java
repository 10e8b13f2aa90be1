package io.leadhub.dispatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.dynamics.DynamicsConnector;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.dispatch.monday.MondayConnector;
import io.leadhub.dispatch.pipedrive.PipedriveConnector;
import io.leadhub.dispatch.zoho.ZohoConnector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CrmConnectorsWiringTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
            .withUserConfiguration(OutboundHttp.class, PipedriveConnector.class, ZohoConnector.class,
                    DynamicsConnector.class, MondayConnector.class);

    @Test
    void registersOneNamedConnectorBeanPerTypeOnTheSharedHttpClient() {
        context.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean("outboundHttp")).isInstanceOf(OutboundHttp.class);
            assertThat(ctx.getBean("pipedriveConnector")).isInstanceOf(PipedriveConnector.class);
            assertThat(ctx.getBean("zohoConnector")).isInstanceOf(ZohoConnector.class);
            assertThat(ctx.getBean("dynamicsConnector")).isInstanceOf(DynamicsConnector.class);
            assertThat(ctx.getBean("mondayConnector")).isInstanceOf(MondayConnector.class);
            assertThat(ctx.getBeansOfType(CrmConnector.class).values()).extracting(CrmConnector::type)
                    .containsExactlyInAnyOrder("pipedrive", "zoho", "dynamics", "monday");
        });
    }
}
