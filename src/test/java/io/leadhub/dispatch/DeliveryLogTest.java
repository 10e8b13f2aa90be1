package io.leadhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadhub.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

    private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
    private static final String EVENT = "5f0c6a3e-8d7b-4b1a-9c55-0d2f3e4a5b6c";

    private final TestDatabase db = TestDatabase.create();
    private final DeliveryLog log = new DeliveryLog(db.jdbc(), Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private List<Map<String, Object>> rows() {
        return db.jdbc().queryForList("SELECT * FROM deliveries ORDER BY id");
    }

    @Test
    void recordsASuccessfulAttempt() {
        log.record("acme", "hubspot-main", EVENT, "contact-1", 1, "created", null, "501", null, 37);

        assertThat(rows()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("TENANT", "acme").containsEntry("DESTINATION_ID", "hubspot-main")
                    .containsEntry("EVENT_ID", EVENT).containsEntry("ATTEMPT", 1).containsEntry("OUTCOME", "created")
                    .containsEntry("HTTP_STATUS", null).containsEntry("CRM_RECORD_ID", "501")
                    .containsEntry("ERROR", null).containsEntry("DURATION_MS", 37L);
            assertThat(((OffsetDateTime) row.get("CREATED_AT")).toInstant()).isEqualTo(NOW);
        });
    }

    @Test
    void recordsAFailedAttemptWithStatusAndError() {
        log.record("acme", "hubspot-main", EVENT, "contact-1", 3, "failed", 429, null, "HubSpot answered 429", 12);

        assertThat(rows()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("ATTEMPT", 3).containsEntry("OUTCOME", "failed").containsEntry("HTTP_STATUS", 429)
                .containsEntry("CRM_RECORD_ID", null).containsEntry("ERROR", "HubSpot answered 429"));
    }

    @Test
    void keepsOneRowPerAttempt() {
        log.record("acme", "hubspot-main", EVENT, "contact-1", 1, "failed", 503, null, "unavailable", 5);
        log.record("acme", "hubspot-main", EVENT, "contact-1", 2, "updated", null, "501", null, 7);

        assertThat(rows()).extracting(r -> r.get("ATTEMPT"), r -> r.get("OUTCOME"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "failed"),
                        org.assertj.core.groups.Tuple.tuple(2, "updated"));
    }

    @Test
    void cutsALongErrorTo2000Characters() {
        String error = "e".repeat(1999) + "XYZ";

        log.record("acme", "hubspot-main", EVENT, "contact-1", 1, "failed", 400, null, error, 1);

        assertThat((String) rows().get(0).get("ERROR")).hasSize(2000).isEqualTo(error.substring(0, 2000));
    }
}
