package io.leadhub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadMappingTest {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T15:00:00Z"), ZoneOffset.UTC);

    private final ExpressionEnvironment env = ExpressionEnvironment.create(
            Map.of("values", Map.of("kitchen", 45000, "bathroom", 20000)), ZONE, CLOCK);

    private CompiledExpression expr(String key, String source) {
        return env.compile(key, source, ExpressionEnvironment.Expect.ANY);
    }

    private CompiledExpression cond(String key, String source) {
        return env.compile(key, source, ExpressionEnvironment.Expect.BOOL);
    }

    private static MappingContext lead(Object score, String projectType) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("phone", "+15551234567");
        lead.put("email", null);
        lead.put("first_name", "Jane");
        Map<String, Object> call = new HashMap<>();
        call.put("start_time", "2026-11-21T03:00:00Z");
        call.put("duration_seconds", 95);
        call.put("answered", "true");
        call.put("tags", List.of("google", "paid"));
        Map<String, Object> ai = new HashMap<>();
        ai.put("lead_score", score);
        ai.put("project_type", projectType);
        ai.put("urgency", "high");
        return new MappingContext(lead, call, ai);
    }

    private LeadMapping sample() {
        // added out of order on purpose: apply() orders by section
        return LeadMapping.builder(ZONE)
                .computed("estimated_value", expr("computed.estimated_value",
                        "ai.project_type in values ? values[ai.project_type] : 20000"))
                .computed("follow_up_date", expr("computed.follow_up_date",
                        "addDays(today(), ai.urgency == 'high' ? 1 : 3)"))
                .conditional("hs_lead_status", List.of(
                                new LeadMapping.Branch(cond("c[0].if", "ai.lead_score > 80"), expr("c[0].then", "'HOT'")),
                                new LeadMapping.Branch(cond("c[1].if", "ai.lead_score > 50"), expr("c[1].then", "'WARM'"))),
                        expr("c[2].default", "'NEW'"))
                .customProperty("ai_lead_score", expr("cp[0].value", "ai.lead_score"), PropertyType.NUMBER)
                .customProperty("call_minutes", expr("cp[1].value", "double(call.duration_seconds) / 60.0"), PropertyType.NUMBER)
                .customProperty("answered", expr("cp[2].value", "call.answered"), PropertyType.BOOL)
                .customProperty("call_date", expr("cp[3].value", "call.start_time"), PropertyType.DATE)
                .customProperty("call_at", expr("cp[4].value", "'2026-11-21T05:00:00+02:00'"), PropertyType.DATETIME)
                .customProperty("duration_text", expr("cp[5].value", "call.duration_seconds"), PropertyType.STRING)
                .customProperty("channels", expr("cp[6].value", "call.tags"), PropertyType.ENUMERATION)
                .fieldMapping("phone", expr("fm.phone", "lead.phone"))
                .fieldMapping("email", expr("fm.email", "lead.email"))
                .fieldMapping("firstname", expr("fm.firstname", "lead.first_name.upperAscii()"))
                .build();
    }

    @Test
    void appliesSectionsInOrderAndLeavesOutNullResults() {
        Map<String, Object> properties = sample().apply(lead(85, "kitchen"));

        assertThat(properties).containsExactly(
                Map.entry("phone", "+15551234567"),
                Map.entry("firstname", "JANE"),
                Map.entry("ai_lead_score", 85L),
                Map.entry("call_minutes", 95 / 60.0),
                Map.entry("answered", true),
                Map.entry("call_date", "2026-11-20"), // 03:00Z is the evening before in New York
                Map.entry("call_at", "2026-11-21T03:00:00Z"),
                Map.entry("duration_text", "95"),
                Map.entry("channels", "google;paid"),
                Map.entry("hs_lead_status", "HOT"),
                Map.entry("estimated_value", 45000L),
                Map.entry("follow_up_date", "2026-11-22"));
    }

    @Test
    void conditionalTakesTheFirstMatchingEntryElseTheDefault() {
        assertThat(sample().apply(lead(85, "kitchen"))).containsEntry("hs_lead_status", "HOT");
        assertThat(sample().apply(lead(81.5, "kitchen"))).containsEntry("hs_lead_status", "HOT");
        assertThat(sample().apply(lead(60, "kitchen"))).containsEntry("hs_lead_status", "WARM");
        assertThat(sample().apply(lead(10, "kitchen"))).containsEntry("hs_lead_status", "NEW");
    }

    @Test
    void computedUsesLookupsWithAFallback() {
        assertThat(sample().apply(lead(10, "bathroom"))).containsEntry("estimated_value", 20000L);
        assertThat(sample().apply(lead(10, "garage"))).containsEntry("estimated_value", 20000L);
    }

    @Test
    void numberPropertyParsesNumericStringsAndRejectsOthers() {
        LeadMapping mapping = LeadMapping.builder(ZONE)
                .customProperty("n", expr("destinations[0].custom_properties[0].value", "ai.lead_score"),
                        PropertyType.NUMBER)
                .build();
        assertThat(mapping.apply(lead("42", "x"))).containsEntry("n", 42L);
        assertThat(mapping.apply(lead("4.5", "x"))).containsEntry("n", 4.5);
        assertThatThrownBy(() -> mapping.apply(lead("high", "x")))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.key()).isEqualTo("destinations[0].custom_properties[0].value");
                    assertThat(e.getMessage()).isEqualTo(
                            "destinations[0].custom_properties[0].value: string value is not a number")
                            .doesNotContain("high");
                });
    }

    @Test
    void evaluationErrorsNameTheExpressionKey() {
        LeadMapping mapping = LeadMapping.builder(ZONE)
                .computed("x", expr("destinations[0].computed.x", "lead.nickname + '!'"))
                .build();
        assertThatThrownBy(() -> mapping.apply(lead(1, "x")))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.key()).isEqualTo("destinations[0].computed.x");
                    assertThat(e.getMessage()).startsWith("destinations[0].computed.x: ").contains("nickname");
                });
    }

    @Test
    void aNullScoreInAConditionIsAnErrorUnlessGuarded() {
        LeadMapping unguarded = LeadMapping.builder(ZONE)
                .conditional("s", List.of(new LeadMapping.Branch(cond("c[0].if", "ai.lead_score > 80"),
                        expr("c[0].then", "'HOT'"))), expr("c[1].default", "'NEW'"))
                .build();
        assertThatThrownBy(() -> unguarded.apply(lead(null, "x")))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.key()).isEqualTo("c[0].if"));

        LeadMapping guarded = LeadMapping.builder(ZONE)
                .conditional("s", List.of(new LeadMapping.Branch(
                        cond("c[0].if", "ai.lead_score != null && ai.lead_score > 80"),
                        expr("c[0].then", "'HOT'"))), expr("c[1].default", "'NEW'"))
                .build();
        assertThat(guarded.apply(lead(null, "x"))).containsEntry("s", "NEW");
    }

    @Test
    void aPropertyCanBeDefinedOnlyOnce() {
        LeadMapping.Builder builder = LeadMapping.builder(ZONE).fieldMapping("phone", expr("a", "lead.phone"));
        assertThatThrownBy(() -> builder.computed("phone", expr("b", "lead.phone")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phone");
    }

    @Test
    void emptyMappingProducesNoProperties() {
        assertThat(LeadMapping.empty().apply(lead(1, "x"))).isEmpty();
        assertThat(LeadMapping.empty().propertyNames()).isEmpty();
    }

    @Test
    void nullContextMapsCountAsEmpty() {
        LeadMapping mapping = LeadMapping.builder(ZONE).computed("d", expr("d", "today()")).build();
        assertThat(mapping.apply(new MappingContext(null, null, null))).containsEntry("d", "2026-11-21");
    }

    @Test
    void workflowTriggerMatchesItsCondition() {
        WorkflowTrigger trigger = new WorkflowTrigger("high_value_lead",
                cond("workflow_triggers[0].when", "ai.lead_score > 80"), List.of("create_task", "send_notification"));

        assertThat(trigger.name()).isEqualTo("high_value_lead");
        assertThat(trigger.actions()).containsExactly("create_task", "send_notification");
        assertThat(trigger.matches(lead(90, "x"))).isTrue();
        assertThat(trigger.matches(lead(80, "x"))).isFalse();
        assertThatThrownBy(() -> trigger.matches(lead("ninety", "x")))
                .isInstanceOfSatisfying(MappingException.class,
                        e -> assertThat(e.key()).isEqualTo("workflow_triggers[0].when"));
    }
}
