package io.leadhub.inbound.form;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadhub.enrich.PhoneNormalizer;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import io.leadhub.inbound.JsonBody;
import io.leadhub.inbound.WebhookRejectedException;
import io.leadhub.inbound.WebhookTenantResolver;
import io.leadhub.inbound.signature.Hmac;
import io.leadhub.tenant.TenantConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Parses an authenticated web form submission into an {@link InboundEvent} (the exchange's new body).
 *
 * <p>The generic JSON lead LeadHub accepts ({@code docs/inbound-payloads.md}, "Web form"): {@code name} or
 * {@code first_name}/{@code last_name}, {@code phone}, {@code email}, {@code city}, {@code state},
 * {@code message}, {@code utm_source}, {@code utm_medium}, {@code utm_campaign}, {@code utm_term},
 * {@code utm_content}, {@code page_url}, and optionally {@code submission_id}, {@code submitted_at},
 * {@code source}, {@code referrer}, {@code gclid}, {@code country}; any other field is kept in
 * {@code call.fields}. At least a phone or an e-mail is required.
 *
 * <p>Mapping: person fields → the lead; {@code message} → {@code call.message} and {@code call.transcription}
 * (so the analysis reads it); {@code page_url} → {@code call.landing_page_url}; {@code source} →
 * {@code call.source_name}; {@code submitted_at} → {@code call.start_time}; every top-level field (including the
 * mapped ones) → {@code call.fields}. Event type {@code form_submission}; {@code call.id} = the provider event id.
 *
 * <p>Provider event id: {@code submission_id} when the form sends one (so a double-clicked submit or a retried
 * post is a duplicate), else {@code sha256:<hex SHA-256 of the body>}.
 *
 * @throws WebhookRejectedException 400 naming the field: body not a JSON object; neither {@code phone} nor
 *                                  {@code email} ({@code phone|email}); {@code email} not an address; {@code phone}
 *                                  not a phone number when there is no e-mail
 */
@Component("formWebhookParser")
public class FormWebhookParser implements Processor {

    private final ObjectMapper json;
    private final PhoneNormalizer phones;
    private final Clock clock;

    /**
     * @param json   Jackson mapper
     * @param phones phone normaliser (validation and the Kafka partition key)
     * @param clock  optional clock of {@code receivedAt}
     */
    public FormWebhookParser(ObjectMapper json, PhoneNormalizer phones, Optional<Clock> clock) {
        this.json = json;
        this.phones = phones;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public void process(Exchange exchange) {
        TenantConfig tenant = exchange.getProperty(WebhookTenantResolver.TENANT_CONFIG, TenantConfig.class);
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.getMessage().setBody(parse(tenant, raw == null ? "" : new String(raw, StandardCharsets.UTF_8)));
    }

    /**
     * @param tenant the tenant the form belongs to (default region for phone validation)
     * @param body   raw JSON body
     * @return the canonical event
     * @throws WebhookRejectedException 400 as described on the class
     */
    public InboundEvent parse(TenantConfig tenant, String body) {
        ObjectNode root = JsonBody.object(json, body);
        String phone = JsonBody.text(root, "phone");
        String email = JsonBody.text(root, "email");
        if (phone == null && email == null) {
            throw WebhookRejectedException.invalidField("phone|email",
                    "a form lead needs a 'phone' or an 'email'; both are missing or empty");
        }
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw WebhookRejectedException.invalidField("email", "field 'email' is not an e-mail address");
        }
        if (phone != null && email == null && phones.toE164(phone, tenant.defaultRegion()).isEmpty()) {
            throw WebhookRejectedException.invalidField("phone",
                    "field 'phone' is not a phone number (region " + tenant.defaultRegion() + ")");
        }

        Map<String, Object> lead = CanonicalFields.lead();
        lead.put("phone_raw", phone);
        lead.put("email", email);
        lead.put("full_name", JsonBody.text(root, "name"));
        lead.put("first_name", JsonBody.text(root, "first_name"));
        lead.put("last_name", JsonBody.text(root, "last_name"));
        lead.put("city", JsonBody.text(root, "city"));
        lead.put("state", JsonBody.text(root, "state"));
        lead.put("country", JsonBody.text(root, "country"));

        String providerEventId = JsonBody.text(root, "submission_id");
        if (providerEventId == null) {
            providerEventId = "sha256:" + Hmac.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> call = CanonicalFields.call();
        call.put("id", providerEventId);
        call.put("event_type", "form_submission");
        call.put("direction", "inbound");
        String message = JsonBody.text(root, "message");
        call.put("message", message);
        call.put("transcription", message);
        call.put("landing_page_url", JsonBody.text(root, "page_url"));
        call.put("referrer", JsonBody.text(root, "referrer"));
        call.put("source_name", JsonBody.text(root, "source"));
        call.put("start_time", JsonBody.time(root.get("submitted_at")));
        for (String utm : new String[] {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid"}) {
            call.put(utm, JsonBody.text(root, utm));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) call.get("fields");
        root.fields().forEachRemaining(e -> fields.put(e.getKey(), JsonBody.toJava(e.getValue())));
        String key = CanonicalFields.partitionKey(tenant, phones, phone, email, providerEventId);
        return new InboundEvent(UUID.randomUUID().toString(), tenant.tenant(), "form", "form_submission",
                providerEventId, clock.instant(), key, lead, call, body);
    }
}
