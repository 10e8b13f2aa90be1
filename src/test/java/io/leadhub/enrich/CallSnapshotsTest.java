package io.leadhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadhub.event.InboundEvent;
import io.leadhub.inbound.CanonicalFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class CallSnapshotsTest {

    private static final Instant NOW = Instant.parse("2026-11-20T20:00:00Z");

    private JdbcTemplate jdbc;
    private CallSnapshots snapshots;

    @BeforeEach
    void database() {
        String url = "jdbc:h2:mem:snapshots-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        DriverManagerDataSource ds = new DriverManagerDataSource(url, "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        snapshots = new CallSnapshots(jdbc, new ObjectMapper(), Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)), 30);
    }

    private static InboundEvent event(String source, String type, String callId, Map<String, Object> values) {
        Map<String, Object> call = CanonicalFields.call();
        call.put("id", callId);
        call.put("event_type", type);
        call.putAll(values);
        return new InboundEvent(UUID.randomUUID().toString(), "acme", source, type, type + ":" + callId, NOW,
                "acme|+14045558514", CanonicalFields.lead(), call, "{}");
    }

    private static final Map<String, Object> POST = Map.of("tags", List.of("kitchen", "new-lead"),
            "transcription", "We want a new kitchen", "duration_seconds", 247, "answered", true);
    private static final Map<String, Object> MODIFIED = Map.of("tags", List.of("kitchen", "new-lead", "estimate-booked"),
            "transcription", "We want a new kitchen", "duration_seconds", 247, "answered", true,
            "note", "Estimate booked", "changes", List.of("tags", "note"));

    private Map<String, Object> inOrder(String firstType, Map<String, Object> first, String secondType,
                                        Map<String, Object> second, String callId) throws Exception {
        snapshots.merge(event("callrail", firstType, callId, first));
        return new java.util.LinkedHashMap<>(snapshots.merge(event("callrail", secondType, callId, second)).call());
    }

    @Test
    void aLatePostCallDoesNotTakeBackWhatCallModifiedAdded() throws Exception {
        Map<String, Object> normal = inOrder("post_call", POST, "call_modified", MODIFIED, "CAL1");
        Map<String, Object> reversed = inOrder("call_modified", MODIFIED, "post_call", POST, "CAL2");

        assertThat(reversed.get("note")).isEqualTo("Estimate booked");
        assertThat(reversed.get("tags")).asList().containsExactly("kitchen", "new-lead", "estimate-booked");
        assertThat(reversed.get("event_type")).isEqualTo("post_call");
        assertThat(reversed.get("changes")).asList().isEmpty();
        for (Map<String, Object> m : List.of(normal, reversed)) {
            m.keySet().removeAll(List.of("id", "event_type", "changes"));
        }
        assertThat(reversed).isEqualTo(normal);
    }

    @Test
    void aNewerEventFillsItsGapsFromTheSnapshot() throws Exception {
        Map<String, Object> pre = Map.of("answered", false, "duration_seconds", 0, "source_name", "Google Ads");
        Map<String, Object> merged = inOrder("pre_call", pre, "post_call",
                Map.of("answered", true, "duration_seconds", 247), "CAL3");
        assertThat(merged).containsEntry("answered", true).containsEntry("duration_seconds", 247)
                .containsEntry("source_name", "Google Ads");
    }

    @Test
    void aLatePreCallFillsOnlyWhatIsMissing() throws Exception {
        Map<String, Object> merged = inOrder("post_call", Map.of("answered", true, "duration_seconds", 247),
                "pre_call", Map.of("answered", false, "duration_seconds", 0, "source_name", "Google Ads"), "CAL4");
        assertThat(merged).containsEntry("answered", true).containsEntry("duration_seconds", 247)
                .containsEntry("source_name", "Google Ads").containsEntry("event_type", "pre_call");
    }

    @Test
    void mergingTheSameEventTwiceGivesTheSameResult() throws Exception {
        InboundEvent post = event("callrail", "post_call", "CAL5", POST);
        snapshots.merge(event("callrail", "call_modified", "CAL5", MODIFIED));
        Map<String, Object> once = snapshots.merge(post).call();
        Map<String, Object> twice = snapshots.merge(post).call();
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void perfexStagesMergeInAnyOrder() throws Exception {
        Map<String, Object> completed = Map.of("duration_seconds", 180, "recording_url", "https://crm.example/r.mp3");
        Map<String, Object> transcribed = Map.of("transcription", "I need a new roof");
        Map<String, Object> analysed = Map.of("summary", "Roof replacement, urgent", "outcome", "qualified");
        List<List<Object>> orders = List.of(
                List.of("call_completed", completed, "call_transcribed", transcribed, "ai_analysis_complete", analysed),
                List.of("ai_analysis_complete", analysed, "call_transcribed", transcribed, "call_completed", completed));
        List<Map<String, Object>> results = new ArrayList<>();
        int n = 0;
        for (List<Object> order : orders) {
            String id = "P" + n++;
            Map<String, Object> last = null;
            for (int i = 0; i < order.size(); i += 2) {
                @SuppressWarnings("unchecked")
                Map<String, Object> values = (Map<String, Object>) order.get(i + 1);
                last = new java.util.LinkedHashMap<>(snapshots.merge(event("perfex", (String) order.get(i), id, values)).call());
            }
            last.keySet().removeAll(List.of("id", "event_type"));
            results.add(last);
        }
        assertThat(results.get(1)).isEqualTo(results.get(0));
        assertThat(results.get(0)).containsEntry("transcription", "I need a new roof")
                .containsEntry("summary", "Roof replacement, urgent").containsEntry("duration_seconds", 180);
    }

    @Test
    void otherEventKindsAndEventsWithoutCallIdPassThroughUntouched() throws Exception {
        InboundEvent sms = event("callrail", "sms_received", "SMS1", Map.of("message", "hi"));
        assertThat(snapshots.merge(sms)).isSameAs(sms);
        InboundEvent noId = event("callrail", "post_call", null, POST);
        assertThat(snapshots.merge(noId)).isSameAs(noId);
        InboundEvent lead = event("perfex", "lead.created", "42", Map.of());
        assertThat(snapshots.merge(lead)).isSameAs(lead);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM call_snapshots", Integer.class)).isZero();
    }

    @Test
    void snapshotsOfOneCallIdAreSeparatePerTenantAndSource() throws Exception {
        snapshots.merge(event("callrail", "call_modified", "X1", MODIFIED));
        InboundEvent perfex = snapshots.merge(event("perfex", "call_completed", "X1", Map.of()));
        assertThat(perfex.call().get("note")).isNull();
    }

    @Test
    void purgeDeletesOnlySnapshotsOlderThanTheRetention() throws Exception {
        snapshots.merge(event("callrail", "post_call", "OLD", POST));
        snapshots.merge(event("callrail", "post_call", "NEW", POST));
        jdbc.update("UPDATE call_snapshots SET updated_at = ? WHERE call_id = 'OLD'",
                java.sql.Timestamp.from(NOW.minus(Duration.ofDays(31))));
        assertThat(snapshots.purge()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT call_id FROM call_snapshots", String.class)).containsExactly("NEW");
    }

    @Test
    void refusesARetentionBelowOneDayNamingTheSetting() {
        assertThatThrownBy(() -> new CallSnapshots(jdbc, new ObjectMapper(), Optional.empty(), 0))
                .hasMessageContaining("leadhub.call-snapshots.retention-days");
    }
}
