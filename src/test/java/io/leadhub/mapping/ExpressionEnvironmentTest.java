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

class ExpressionEnvironmentTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T02:30:15.250Z"), ZoneOffset.UTC);

    private final ExpressionEnvironment env = ExpressionEnvironment.create(
            Map.of("values", Map.of("kitchen", 45000, "bathroom", 20000)), ZoneId.of("America/New_York"), CLOCK);

    private static MappingContext ctx() {
        Map<String, Object> lead = new HashMap<>();
        lead.put("email", "Jane@Example.COM");
        lead.put("first_name", null);
        Map<String, Object> ai = new HashMap<>();
        ai.put("lead_score", 85);
        ai.put("project_type", "kitchen");
        Map<String, Object> call = new HashMap<>();
        call.put("tags", List.of("google", "paid"));
        call.put("duration_seconds", 125);
        return new MappingContext(lead, call, ai);
    }

    private Object eval(String expression) {
        return env.compile("test", expression, ExpressionEnvironment.Expect.ANY).evaluate(ctx());
    }

    @Test
    void todayIsTheDateInTheTenantsTimeZone() {
        assertThat(eval("today()")).isEqualTo("2026-11-20"); // 02:30Z is 21:30 the day before in New York
    }

    @Test
    void nowIsAnIsoInstantInUtcWithSecondPrecision() {
        assertThat(eval("now()")).isEqualTo("2026-11-21T02:30:15Z");
    }

    @Test
    void addDaysAddsAndSubtractsCalendarDays() {
        assertThat(eval("addDays('2026-12-30', 3)")).isEqualTo("2027-01-02");
        assertThat(eval("addDays('2026-03-01', -1)")).isEqualTo("2026-02-28");
        assertThat(eval("addDays(today(), 1)")).isEqualTo("2026-11-21");
    }

    @Test
    void addDaysRejectsAStringThatIsNotADate() {
        assertThatThrownBy(() -> eval("addDays('tomorrow', 1)"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("addDays: first argument must be a date YYYY-MM-DD");
    }

    @Test
    void intsAndDoublesCompareWithEachOther() {
        assertThat(eval("ai.lead_score > 80.5")).isEqualTo(true);
        assertThat(eval("ai.lead_score == 85.0")).isEqualTo(true);
        assertThat(eval("call.duration_seconds < 125.5")).isEqualTo(true);
    }

    @Test
    void nullValuesAreCelNull() {
        assertThat(eval("lead.first_name == null")).isEqualTo(true);
        assertThat(eval("lead.first_name")).isNull();
    }

    @Test
    void lookupsStringExtensionsMacrosAndMathAreAvailable() {
        assertThat(eval("values[ai.project_type]")).isEqualTo(45000L);
        assertThat(eval("'garage' in values ? values['garage'] : 1")).isEqualTo(1L);
        assertThat(eval("lead.email.lowerAscii()")).isEqualTo("jane@example.com");
        assertThat(eval("call.tags.exists(t, t == 'paid')")).isEqualTo(true);
        assertThat(eval("has(lead.email)")).isEqualTo(true);
        assertThat(eval("math.greatest(1, 5, 3)")).isEqualTo(5L);
    }

    @Test
    void readingAKeyThatIsNotInTheMapIsAnEvaluationError() {
        assertThatThrownBy(() -> eval("lead.nickname"))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.key()).isEqualTo("test");
                    assertThat(e.getMessage()).startsWith("test: ").contains("nickname");
                });
    }

    @Test
    void compileErrorsCarryOneBasedPositionsWithinTheExpression() {
        assertThatThrownBy(() -> env.compile("k", "lead.email +\n  nosuchvar", ExpressionEnvironment.Expect.ANY))
                .isInstanceOfSatisfying(ExpressionCompileException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.issues()).containsExactly(
                            new ExpressionIssue(2, 3, "undeclared reference to 'nosuchvar' (in container '')"));
                });
    }

    @Test
    void boolExpectationRejectsOtherStaticTypesButAcceptsDyn() {
        assertThatThrownBy(() -> env.compile("k", "ai.lead_score + 1", ExpressionEnvironment.Expect.BOOL))
                .isInstanceOfSatisfying(ExpressionCompileException.class, e -> assertThat(e.issues())
                        .containsExactly(new ExpressionIssue(1, 1, "condition must be of type bool, but is int")));
        CompiledExpression dyn = env.compile("k", "ai.hot", ExpressionEnvironment.Expect.BOOL);
        Map<String, Object> ai = new HashMap<>();
        ai.put("hot", null);
        assertThat(dyn.test(new MappingContext(Map.of(), Map.of(), ai))).isFalse();
        ai.put("hot", "yes");
        assertThatThrownBy(() -> dyn.test(new MappingContext(Map.of(), Map.of(), ai)))
                .isInstanceOf(MappingException.class)
                .hasMessage("k: condition must evaluate to a bool, got string");
    }

    @Test
    void reservedLookupNamesAreRefused() {
        assertThatThrownBy(() -> ExpressionEnvironment.create(Map.of("lead", Map.of()), ZoneOffset.UTC, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
