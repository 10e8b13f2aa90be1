package io.leadhub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.contact.ContactIndex;
import io.leadhub.event.EnrichedLead;
import io.leadhub.mapping.MappingContext;
import io.leadhub.mapping.MappingException;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import io.leadhub.tenant.TenantConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Shows what each destination of a tenant would receive for a lead, without sending anything: evaluates the
 * destination's mapping and runs its connector in dry-run mode into a temporary folder, then returns those
 * request files (method, URL, headers with secrets masked, body) and removes the folder.
 */
@Component("deliveryPreview")
public class DeliveryPreview {

    private final Map<String, CrmConnector> connectors;
    private final ContactIndex contacts;
    private final ObjectMapper json;

    /**
     * @param connectors every connector bean
     * @param contacts   contact index (known CRM ids, read only)
     * @param json       Jackson mapper
     */
    public DeliveryPreview(List<CrmConnector> connectors, ContactIndex contacts, ObjectMapper json) {
        this.connectors = connectors.stream().collect(Collectors.toUnmodifiableMap(CrmConnector::type, Function.identity()));
        this.contacts = contacts;
        this.json = json;
    }

    /**
     * @param tenant the tenant
     * @param lead   the enriched lead (e.g. from {@code LeadEnrichment.preview})
     * @return one entry per destination: {@code id}, {@code type}, {@code enabled}, {@code properties} (the mapped
     *         CRM properties) and {@code requests} (the requests it would send), or {@code error} when the mapping
     *         fails
     */
    public List<Map<String, Object>> preview(TenantConfig tenant, EnrichedLead lead) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DestinationConfig d : tenant.destinations()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", d.id());
            entry.put("type", d.type());
            entry.put("enabled", d.enabled());
            try {
                Map<String, Object> properties = d.mapping().apply(new MappingContext(lead.lead(), lead.call(), lead.ai()));
                entry.put("properties", properties);
                entry.put("requests", requests(tenant, d, lead, properties));
            } catch (MappingException | DeliveryException e) {
                entry.put("error", e.getMessage());
            }
            out.add(entry);
        }
        return out;
    }

    private List<JsonNode> requests(TenantConfig tenant, DestinationConfig d, EnrichedLead lead, Map<String, Object> properties) {
        CrmConnector connector = connectors.get(d.type());
        if (connector == null) {
            throw new PermanentDeliveryException("no connector for destination type '" + d.type() + "'", 0, null, null);
        }
        DestinationConfig dry = new DestinationConfig(d.id(), d.type(), d.enabled(), d.baseUrl(), d.token(), DryRun.ON,
                d.duplicateDetection(), d.mapping(), d.settings());
        String known = contacts.knownRecordId(tenant.tenant(), d.id(), d.duplicateDetection().matchFields(),
                lead.phone(), lead.email()).orElse(null);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("leadhub-preview-");
            connector.deliver(new DeliveryRequest(tenant.tenant(), dry, lead.eventId(), properties, lead.phone(),
                    lead.email(), known, dir, lead));
            try (Stream<Path> files = Files.list(dir)) {
                List<JsonNode> requests = new ArrayList<>();
                for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                    requests.add(json.readTree(file.toFile()));
                }
                return requests;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary folder; nothing else to do
        }
    }
}
