package io.leadhub.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * LeadHub's own settings, bound from {@code leadhub.*} (application.yaml, environment variables such as
 * {@code LEADHUB_DATA_DIR}, or {@code --leadhub.x=y}). A value that fails validation stops startup with a
 * message naming the key.
 *
 * @param dataDir    folder for the embedded Kafka log, the H2 database and dry-run output; created if missing
 * @param mappingsDir folder holding one {@code <tenant>.yaml} per tenant and {@code tenant.schema.json}
 * @param kafka      broker connection and topic names
 * @param ingest     webhook ingest limits
 * @param phone      phone normalisation defaults
 * @param retry      redelivery policy of the shared {@code hub-error-handling} route configuration
 * @param spool      the database spool that journals webhooks while Kafka is unreachable
 * @param security   the operator account of the admin API, Hawtio and Jolokia
 */
@Validated
@ConfigurationProperties(prefix = "leadhub")
public record LeadHubProperties(
        @NotNull Path dataDir,
        @NotNull Path mappingsDir,
        @NotNull @Valid Kafka kafka,
        @NotNull @Valid Ingest ingest,
        @NotNull @Valid Phone phone,
        @NotNull @Valid Retry retry,
        @NotNull @Valid Spool spool,
        @NotNull @Valid Security security) {

    /**
     * Kafka settings.
     *
     * @param brokers  bootstrap servers ({@code host:port,...}); blank = start the in-process KRaft broker
     * @param embedded the in-process broker's ports and partition count
     * @param topics   topic names
     * @param partitions partitions of the topics LeadHub creates (inbound, enriched, DLQ)
     * @param replicationFactor replication factor of the topics LeadHub creates (1 on the embedded broker)
     * @param producer   ingest producer timeouts
     * @param consumer   settings of the pipeline's consumers
     */
    public record Kafka(String brokers, @NotNull @Valid Embedded embedded, @NotNull @Valid Topics topics,
                        @Min(1) int partitions, @Min(1) short replicationFactor, @NotNull @Valid Producer producer,
                        @NotNull @Valid Consumer consumer) {

        /** @return true when no external brokers are configured and the in-process broker must run */
        public boolean embeddedEnabled() {
            return brokers == null || brokers.isBlank();
        }
    }

    /**
     * The in-process single-node KRaft broker used when {@code leadhub.kafka.brokers} is blank.
     *
     * @param port           client listener port on 127.0.0.1; 0 picks a free port
     * @param controllerPort KRaft controller listener port on 127.0.0.1; 0 picks a free port
     */
    public record Embedded(@Min(0) int port, @Min(0) int controllerPort) {
    }

    /**
     * Timeouts of the producer that journals webhooks; when they expire the event goes to the database spool.
     *
     * @param maxBlockMs        longest wait for broker metadata, in ms
     * @param deliveryTimeoutMs longest wait for the acknowledgement (acks=all), in ms
     * @param requestTimeoutMs  longest wait for one produce request, in ms
     */
    public record Producer(@Min(100) long maxBlockMs, @Min(100) long deliveryTimeoutMs, @Min(100) long requestTimeoutMs) {
    }

    /**
     * Settings of the Kafka consumers of {@code lead-enrich} and the dispatch routes.
     *
     * @param sessionTimeoutMs how long a silent (crashed) hub instance keeps its partitions, in ms
     */
    public record Consumer(@Min(6000) long sessionTimeoutMs) {
    }

    /**
     * Topic names.
     *
     * @param inbound        journal of verified webhooks (every source)
     * @param enrichedPrefix prefix of the per-tenant topic of enriched leads ({@code <prefix><tenant>})
     * @param dlq            dead letter topic
     */
    public record Topics(@NotBlank String inbound, @NotBlank String enrichedPrefix, @NotBlank String dlq) {
    }

    /**
     * Webhook ingest limits.
     *
     * @param maxBodyBytes largest accepted request body in bytes; larger bodies are answered 413
     */
    public record Ingest(@Min(1) long maxBodyBytes) {
    }

    /**
     * Phone normalisation.
     *
     * @param defaultRegion ISO 3166-1 alpha-2 region used to parse national numbers when a tenant sets none
     */
    public record Phone(@NotBlank @Pattern(regexp = "[A-Z]{2}") String defaultRegion) {
    }

    /**
     * Redelivery policy of failed deliveries (exponential backoff with jitter, then the dead letter channel).
     *
     * @param maximumRedeliveries redeliveries after the first attempt (5 = 6 attempts)
     * @param initialDelayMs      delay before the first redelivery, in ms
     * @param multiplier          factor applied to the delay after each redelivery
     * @param maxDelayMs          cap of any single delay, in ms, including a CRM's Retry-After
     * @param jitter              random +/- fraction applied to each delay (Camel's collision avoidance factor)
     */
    public record Retry(@Min(0) int maximumRedeliveries, @Min(0) long initialDelayMs,
                        @DecimalMin("1.0") double multiplier, @Min(0) long maxDelayMs,
                        @DecimalMin("0.0") @DecimalMax("1.0") double jitter) {
    }

    /**
     * Database spool of the ingest journal.
     *
     * @param drainIntervalMs how often spooled events are re-sent to Kafka, in ms
     */
    public record Spool(@Min(100) long drainIntervalMs) {
    }

    /**
     * The operator account that guards {@code /admin/**}, Hawtio ({@code /actuator/hawtio}) and Jolokia
     * ({@code /actuator/jolokia}); see {@code io.leadhub.security.AdminCredentials} for the production rule.
     *
     * @param adminUsername user name of the account ({@code admin} by default)
     * @param adminPassword its password ({@code LEADHUB_SECURITY_ADMIN_PASSWORD}); blank = generated at startup in
     *                      the embedded default, a startup error in production mode
     */
    public record Security(@NotBlank String adminUsername, String adminPassword) {

        /** @return true when a non-blank password is configured */
        public boolean adminPasswordConfigured() {
            return adminPassword != null && !adminPassword.isBlank();
        }

        /** @return the settings with the password masked, safe for logs */
        @Override
        public String toString() {
            return "Security[adminUsername=" + adminUsername + ", adminPassword="
                    + (adminPasswordConfigured() ? "****" : "<not set>") + "]";
        }
    }
}
