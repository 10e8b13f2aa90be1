package io.leadhub.dispatch.leadpro;

import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.dispatch.customrest.RestTarget;
import io.leadhub.dispatch.customrest.RestTargetClient;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Syncs call results back to a lead in LeadPro (destination type {@code leadpro}): looks the lead up by phone and
 * updates it with the mapped properties (call outcome, sentiment, next action, follow-up date, ...).
 *
 * <p>LeadPro publishes no API documentation (see {@code reference/providers.md} section 5), so this type is the
 * {@code custom_rest} machinery ({@link RestTargetClient}) with <b>assumed</b> defaults, every one of which the
 * tenant file can override with the {@code custom_rest} keys:
 * <ul>
 *   <li>{@code base_url}: required (each LeadPro installation is self-hosted);</li>
 *   <li>{@code auth}: {@code Authorization: Bearer <token>} with the destination's {@code token} (a Laravel
 *       Sanctum/Passport style API token); any {@code auth} block of custom_rest works;</li>
 *   <li>{@code search}: {@code GET /api/leads?phone={phone}}, id at {@code $.data[0].id} (a Laravel API resource
 *       collection);</li>
 *   <li>{@code update}: {@code PUT /api/leads/{id}} with the mapped properties as a JSON object;</li>
 *   <li>{@code create}: none: a lead LeadPro does not know is not created (outcome {@code skipped}); configure
 *       {@code create} to create it;</li>
 *   <li>{@code field_names}: mapped property → LeadPro field name, for renaming without touching the mapping.</li>
 * </ul>
 */
@Component("leadProConnector")
public class LeadProConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "leadpro";

    /** System name in messages and logs. */
    static final String SYSTEM = "LeadPro";

    /** The assumed LeadPro API (see the class comment). */
    public static final RestTarget.Defaults DEFAULTS = new RestTarget.Defaults(
            Map.of("method", "GET", "path", "/api/leads?phone={phone}", "id_path", "$.data[0].id"),
            null,
            Map.of("method", "PUT", "path", "/api/leads/{id}"),
            "bearer");

    private final RestTargetClient client;

    /** @param client the REST engine shared with custom_rest */
    public LeadProConnector(RestTargetClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @param request the mapped lead and its {@code leadpro} destination
     * @return {@code UPDATED} with the LeadPro lead id; {@code SKIPPED} when no lead matched and no {@code create}
     *         is configured (or with duplicate action {@code skip}); {@code CREATED} when {@code create} is
     *         configured; {@code DRY_RUN}
     * @throws io.leadhub.dispatch.TransientDeliveryException on no answer and {@code retry_on} statuses
     * @throws io.leadhub.dispatch.PermanentDeliveryException on other non-2xx answers and invalid settings
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        DestinationConfig destination = Objects.requireNonNull(request.destination(), "destination");
        RestTarget target = RestTarget.parse(SYSTEM, destination, DEFAULTS, false);
        boolean dryRun = destination.dryRun() == DryRun.ON
                || (destination.dryRun() == DryRun.AUTO && target.auth().credentialsMissing());
        return client.deliver(request, target, dryRun);
    }
}
