package io.leadhub.dispatch.customrest;

import io.leadhub.dispatch.CrmConnector;
import io.leadhub.dispatch.DeliveryRequest;
import io.leadhub.dispatch.DeliveryResult;
import io.leadhub.tenant.DestinationConfig;
import io.leadhub.tenant.DryRun;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Delivers leads to any JSON REST API described in the tenant file (destination type {@code custom_rest}):
 * optional lookups ({@code search}), {@code create}, optional {@code update}, authentication ({@code auth}:
 * bearer, basic, api_key, oauth_client_credentials), extra {@code headers}, {@code body_root},
 * {@code retry_on}, {@code idempotency_header} and {@code timeout_ms}. The body is the destination's mapped
 * properties (its {@code field_mappings}, {@code custom_properties}, {@code conditional}, {@code computed}) as a
 * JSON object. See {@link RestTargetClient} for the algorithm and README "Custom REST destination" for the
 * tenant-file block.
 *
 * <p>Dry run: {@code dry_run: true}, or {@code auto} while the credential of {@code auth} resolved empty.
 */
@Component("customRestConnector")
public class CustomRestConnector implements CrmConnector {

    /** The destination type this connector serves. */
    public static final String TYPE = "custom_rest";

    /** System name in messages and logs. */
    static final String SYSTEM = "custom REST";

    private final RestTargetClient client;

    /** @param client the REST engine */
    public CustomRestConnector(RestTargetClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** @return {@value #TYPE} */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @param request the mapped lead and its {@code custom_rest} destination
     * @return see {@link RestTargetClient#deliver}
     * @throws io.leadhub.dispatch.TransientDeliveryException on no answer and {@code retry_on} statuses
     * @throws io.leadhub.dispatch.PermanentDeliveryException on other non-2xx answers and invalid settings
     *                                                        (message names the key)
     */
    @Override
    public DeliveryResult deliver(DeliveryRequest request) {
        DestinationConfig destination = Objects.requireNonNull(request.destination(), "destination");
        RestTarget target = RestTarget.parse(SYSTEM, destination, RestTarget.Defaults.NONE, true);
        return client.deliver(request, target, isDryRun(destination, target));
    }

    /**
     * @param destination the destination
     * @param target      its parsed settings
     * @return true for {@code dry_run: true}, and for {@code dry_run: auto} while the credential is empty
     */
    static boolean isDryRun(DestinationConfig destination, RestTarget target) {
        return destination.dryRun() == DryRun.ON
                || (destination.dryRun() == DryRun.AUTO && target.auth().credentialsMissing());
    }
}
