package io.leadhub.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallContextTest {

    private static Map<String, Object> contact() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "c-1");
        c.put("phone", "+14045550100");
        c.put("email", null);
        c.put("firstName", "Maria");
        c.put("lastName", "Gonzalez");
        c.put("interactions", 2);
        return c;
    }

    @Test
    void llmInsightsGiveObjectiveSummaryPreferencesAndNotes() {
        Map<String, Object> ai = new LinkedHashMap<>();
        ai.put("intent", "quote_request");
        ai.put("project_type", "kitchen");
        ai.put("timeline", "1-3_months");
        ai.put("budget_indicator", "unknown");
        ai.put("summary", "Wants a kitchen quote.");
        ai.put("suggested_action", "Book a site visit this week");
        ai.put("concerns", List.of("permits"));
        ai.put("interests", List.of("quartz countertops"));
        ContactCalls.Call latest = new ContactCalls.Call("e2", "callrail", Instant.parse("2026-11-20T15:00:00Z"),
                Map.of("duration_seconds", 95, "answered", true, "note", "prefers mornings"), ai);
        ContactCalls.Call older = new ContactCalls.Call("e1", "callrail", Instant.parse("2026-11-01T15:00:00Z"),
                Map.of("answered", false), Map.of("intent", "other", "sentiment", "neutral"));

        CallContext context = CallContext.of(contact(), List.of(latest, older));

        assertThat(context.objective()).isEqualTo("Book a site visit this week");
        assertThat(context.attempts()).isEqualTo(2);
        assertThat(context.previousCalls()).extracting(c -> c.get("summary"))
                .containsExactly("Wants a kitchen quote.", "sentiment neutral");
        assertThat(context.preferences()).containsOnlyKeys("projectType", "timeline", "interests");
        assertThat(context.notes()).containsExactly("prefers mornings", "concern: permits");
        assertThat(context.text()).isEqualTo("""
                Lead: Maria Gonzalez
                Phone: +14045550100
                Objective: Book a site visit this week
                Attempts: 2 calls so far
                Preferences: projectType kitchen; timeline 1-3_months; interests quartz countertops
                Previous calls:
                - 2026-11-20T15:00:00Z, 95 s: Wants a kitchen quote.
                - 2026-11-01T15:00:00Z, missed: sentiment neutral
                Notes:
                - prefers mornings
                - concern: permits
                """);
    }

    @Test
    void rulesOnlyAnalysisDerivesTheObjectiveFromIntentAndProject() {
        ContactCalls.Call call = new ContactCalls.Call("e1", "callrail", Instant.parse("2026-11-20T15:00:00Z"),
                Map.of(), Map.of("intent", "appointment_booking", "project_type", "whole_home"));

        assertThat(CallContext.of(contact(), List.of(call)).objective())
                .isEqualTo("Book the requested appointment for whole home project");
        assertThat(CallContext.of(contact(), List.of()).objective())
                .isEqualTo("Qualify the lead and learn about their project");
    }
}
