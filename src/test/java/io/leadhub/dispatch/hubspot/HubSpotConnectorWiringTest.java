package io.leadhub.dispatch.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.dispatch.CrmConnector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class HubSpotConnectorWiringTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, RestClientAutoConfiguration.class))
            .withUserConfiguration(HubSpotConnector.class);

    @Test
    void registersAsHubspotConnectorBeanWithBootsRestClientBuilderAndObjectMapper() {
        context.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean("hubspotConnector")).isInstanceOf(HubSpotConnector.class);
            assertThat(ctx.getBeansOfType(CrmConnector.class).values())
                    .singleElement().extracting(CrmConnector::type).isEqualTo("hubspot");
        });
    }
}
