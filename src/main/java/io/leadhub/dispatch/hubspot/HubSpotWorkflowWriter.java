package io.leadhub.dispatch.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.dispatch.CrmTask;
import io.leadhub.dispatch.CrmWorkflowWriter;
import io.leadhub.dispatch.PermanentDeliveryException;
import io.leadhub.dispatch.TransientDeliveryException;
import io.leadhub.support.Masking;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * HubSpot side of the workflow actions (destination type {@code hubspot}), on the record the
 * {@link HubSpotConnector} wrote (a contact):
 * <ul>
 *   <li>{@code create_task}: {@code POST /crm/v3/objects/tasks} with {@code hs_timestamp} (due, ISO instant),
 *       {@code hs_task_subject}, {@code hs_task_body}, {@code hs_task_status NOT_STARTED}, {@code hs_task_priority}
 *       ({@code HIGH|MEDIUM|LOW}) and an association to the contact (HUBSPOT_DEFINED type 204, task to contact),
 *       https://developers.hubspot.com/docs/api/crm/tasks;</li>
 *   <li>{@code assign_owner}: {@code PATCH /crm/v3/objects/contacts/{id}} {@code {"properties":{"hubspot_owner_id"}}}
 *       (https://developers.hubspot.com/docs/api/crm/owners).</li>
 * </ul>
 * Errors as in {@link HubSpotErrors} (429 with HubSpot's wait, 408 and 5xx transient; other 4xx permanent).
 */
@Component("hubSpotWorkflowWriter")
public class HubSpotWorkflowWriter implements CrmWorkflowWriter {

    private final ObjectMapper mapper;
    private final RestClient http;

    /**
     * @param mapper  JSON reader and writer
     * @param builder Spring's RestClient builder (cloned)
     */
    public HubSpotWorkflowWriter(ObjectMapper mapper, RestClient.Builder builder) {
        this.mapper = mapper;
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build());
        factory.setReadTimeout(Duration.ofSeconds(30));
        this.http = builder.clone().requestFactory(factory).build();
    }

    @Override
    public String type() {
        return HubSpotConnector.TYPE;
    }

    @Override
    public String createTask(String tenant, DestinationConfig destination, String recordId, CrmTask task) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode properties = body.putObject("properties");
        properties.put("hs_timestamp", task.dueAt().toString());
        properties.put("hs_task_subject", task.subject());
        properties.put("hs_task_body", task.body());
        properties.put("hs_task_status", "NOT_STARTED");
        properties.put("hs_task_priority", switch (task.priority()) {
            case HIGH -> "HIGH";
            case LOW -> "LOW";
            case NORMAL -> "MEDIUM";
        });
        ObjectNode association = body.putArray("associations").addObject();
        association.putObject("to").put("id", recordId);
        association.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
                .put("associationTypeId", 204);
        HubSpotRequest request = new HubSpotRequest("task", "create task", HttpMethod.POST, "/crm/v3/objects/tasks",
                body);
        JsonNode created = readJson(request, send(destination, request));
        return "HubSpot task " + created.path("id").asText("?") + " on contact " + recordId + " due " + task.dueAt();
    }

    @Override
    public String assignOwner(String tenant, DestinationConfig destination, String recordId, String ownerId) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("properties").put("hubspot_owner_id", ownerId);
        send(destination, new HubSpotRequest("owner", "assign owner", HttpMethod.PATCH,
                "/crm/v3/objects/contacts/" + recordId, body));
        return "HubSpot owner " + ownerId + " on contact " + recordId;
    }

    private HubSpotResponse send(DestinationConfig destination, HubSpotRequest r) {
        URI base = destination.baseUrl() != null ? destination.baseUrl() : URI.create(HubSpotConnector.DEFAULT_BASE_URL);
        Secret token = destination.token();
        HubSpotResponse response;
        try {
            response = http.method(r.method()).uri(r.url(base))
                    .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + (token == null ? "" : token.reveal()))
                    .body(mapper.writeValueAsBytes(r.body()))
                    .exchange((req, res) -> {
                        HttpHeaders headers = new HttpHeaders();
                        headers.putAll(res.getHeaders());
                        return new HubSpotResponse(res.getStatusCode().value(), headers,
                                StreamUtils.copyToString(res.getBody(), StandardCharsets.UTF_8));
                    });
        } catch (IOException e) {
            throw new PermanentDeliveryException(r.describe() + ": cannot serialise the request body", 0, null, e);
        } catch (ResourceAccessException e) {
            throw new TransientDeliveryException(r.describe() + ": no response ("
                    + e.getMostSpecificCause().getClass().getSimpleName() + ")", 0, null, null, e);
        }
        if (!response.isSuccess()) {
            throw HubSpotErrors.toException(r, response, mapper, Masking::text, Instant.now());
        }
        return response;
    }

    private JsonNode readJson(HubSpotRequest r, HubSpotResponse response) {
        try {
            JsonNode json = mapper.readTree(response.body());
            return json == null ? mapper.createObjectNode() : json;
        } catch (IOException e) {
            throw new PermanentDeliveryException(r.describe() + ": HTTP " + response.status()
                    + " with a body that is not JSON", response.status(), response.body(), e);
        }
    }
}
