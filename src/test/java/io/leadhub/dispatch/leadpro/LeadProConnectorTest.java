package io.leadhub.dispatch.leadpro;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.DeliveryResult.Outcome;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.dispatch.customrest.OAuthTokens;
import io.leadhub.dispatch.customrest.RestTargetClient;
import io.leadhub.dispatch.http.OutboundHttp;
import io.leadhub.mapping.LeadMapping;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.DuplicateDetection;
import io.leadhub.tenant.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

class LeadProConnectorTest {

    private static final String TOKEN = "leadpro-token-77";
    private static final String PHONE = "+14045558514";
    private static final String SEARCH = "/api/leads?phone=%2B14045558514";

    private static WireMockServer leadpro;

    @TempDir
    Path dryRunDir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final OutboundHttp http = new OutboundHttp(RestClient.builder());
    private final LeadProConnector connector = new LeadProConnector(
            new RestTargetClient(http, new OAuthTokens(http, mapper, Optional.empty()), mapper));

    @BeforeAll
    static void start() {
        leadpro = new WireMockServer(options().dynamicPort());
        leadpro.start();
    }

    @AfterAll
    static void stop() {
        leadpro.stop();
    }

    @BeforeEach
    void reset() {
        leadpro.resetAll();
    }

    @Test
    void typeIsLeadpro() {
        assertThat(connector.type()).isEqualTo("leadpro");
    }

    @Test
    void defaultsLookUpByPhoneAndPutTheRenamedFieldsWithTheBearerToken() {
        leadpro.stubFor(get(urlEqualTo(SEARCH)).willReturn(okJson("""
                {"data":[{"id":318,"phone":"+14045558514","status":"new"}],"meta":{"total":1}}""")));
        leadpro.stubFor(put(urlEqualTo("/api/leads/318")).willReturn(okJson("{\"data\":{\"id\":318}}")));

        DeliveryResult result = connector.deliver(request(destination(Map.of("field_names",
                Map.of("call_outcome", "last_call_result", "follow_up_date", "next_follow_up")))));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.UPDATED, "318"));
        leadpro.verify(1, getRequestedFor(urlEqualTo(SEARCH))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/json")));
        leadpro.verify(1, putRequestedFor(urlEqualTo("/api/leads/318"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"last_call_result":"answered","sentiment":"positive","next_action":"Book estimate",
                         "next_follow_up":"2026-11-24"}""")));
    }

    @Test
    void leadUnknownToLeadProIsSkippedNotCreated() {
        leadpro.stubFor(get(urlEqualTo(SEARCH)).willReturn(okJson("{\"data\":[]}")));

        assertThat(connector.deliver(request(destination(Map.of()))))
                .isEqualTo(new DeliveryResult(Outcome.SKIPPED, null));
        assertThat(leadpro.getAllServeEvents()).hasSize(1);
    }

    @Test
    void configuredCreateCreatesTheUnknownLead() {
        leadpro.stubFor(get(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(404)));
        leadpro.stubFor(post(urlEqualTo("/api/leads")).willReturn(okJson("{\"data\":{\"id\":900}}")));

        DeliveryResult result = connector.deliver(request(destination(Map.of("create",
                Map.of("path", "/api/leads", "id_path", "$.data.id")))));

        assertThat(result).isEqualTo(new DeliveryResult(Outcome.CREATED, "900"));
        leadpro.verify(postRequestedFor(urlEqualTo("/api/leads")).withRequestBody(equalToJson("""
                {"call_outcome":"answered","sentiment":"positive","next_action":"Book estimate",
                 "follow_up_date":"2026-11-24"}""")));
    }

    @Test
    void everyDefaultIsOverridableWithTheCustomRestKeys() {
        leadpro.stubFor(get(urlEqualTo("/crm/api/v2/leads/by-phone/14045558514"))
                .willReturn(okJson("{\"lead\":{\"uuid\":\"a-b\"}}")));
        leadpro.stubFor(patch(urlEqualTo("/crm/api/v2/leads/a-b")).willReturn(okJson("{}")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("auth", Map.of("type", "api_key", "header", "X-LeadPro-Key", "api_key", Secret.of("k-1")));
        settings.put("search", Map.of("path", "/crm/api/v2/leads/by-phone/{phone_digits}", "id_path", "$.lead.uuid"));
        settings.put("update", Map.of("method", "PATCH", "path", "/crm/api/v2/leads/{id}"));
        settings.put("body_root", "lead");

        assertThat(connector.deliver(request(destination(settings))))
                .isEqualTo(new DeliveryResult(Outcome.UPDATED, "a-b"));
        leadpro.verify(patchRequestedFor(urlEqualTo("/crm/api/v2/leads/a-b"))
                .withHeader("X-LeadPro-Key", equalTo("k-1"))
                .withRequestBody(equalToJson("""
                        {"lead":{"call_outcome":"answered","sentiment":"positive","next_action":"Book estimate",
                         "follow_up_date":"2026-11-24"}}""")));
    }

    @Test
    void rateLimitIsTransientAndForbiddenIsPermanent() {
        leadpro.stubFor(get(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        TransientDeliveryException limited = catchThrowableOfType(TransientDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of()))));
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(limited.getMessage()).startsWith("LeadPro search record");

        leadpro.stubFor(get(urlEqualTo(SEARCH)).willReturn(aResponse().withStatus(403).withBody("{\"message\":\"Forbidden\"}")));
        assertThat(catchThrowableOfType(PermanentDeliveryException.class,
                () -> connector.deliver(request(destination(Map.of())))).httpStatus()).isEqualTo(403);
    }

    @Test
    void baseUrlIsRequired() {
        DestinationConfig noBase = new DestinationConfig("leadpro", "leadpro", true, null, Secret.of(TOKEN), DryRun.OFF,
                DuplicateDetection.DEFAULT, LeadMapping.empty(), Map.of());

        assertThat(catchThrowableOfType(PermanentDeliveryException.class, () -> connector.deliver(request(noBase)))
                .getMessage()).isEqualTo("leadpro destination leadpro: setting 'base_url' is required for type leadpro");
    }

    private DestinationConfig destination(Map<String, Object> settings) {
        return new DestinationConfig("leadpro", "leadpro", true, URI.create(leadpro.baseUrl()), Secret.of(TOKEN),
                DryRun.OFF, DuplicateDetection.DEFAULT, LeadMapping.empty(), settings);
    }

    private DeliveryRequest request(DestinationConfig destination) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("call_outcome", "answered");
        properties.put("sentiment", "positive");
        properties.put("next_action", "Book estimate");
        properties.put("follow_up_date", "2026-11-24");
        return new DeliveryRequest("acme", destination, "e-1", properties, PHONE, null, null, dryRunDir);
    }
}
