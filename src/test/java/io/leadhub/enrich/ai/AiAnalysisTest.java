package io.leadhub.enrich.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AiAnalysisTest {

    private static AiAnalysis sample(int score) {
        return new AiAnalysis(Intent.QUOTE_REQUEST, ProjectType.KITCHEN, Timeline.ONE_TO_THREE_MONTHS,
                BudgetIndicator.HIGH, Sentiment.POSITIVE, score, Urgency.HIGH, "rules", List.of("r"));
    }

    @Test
    void toMapHasSnakeCaseKeysInOrderWithWireValuesAndLongScore() {
        Map<String, Object> map = sample(87).toMap();

        assertThat(map).containsExactly(
                Map.entry("intent", "quote_request"),
                Map.entry("project_type", "kitchen"),
                Map.entry("timeline", "1-3_months"),
                Map.entry("budget_indicator", "high"),
                Map.entry("sentiment", "positive"),
                Map.entry("lead_score", 87L),
                Map.entry("urgency", "high"),
                Map.entry("analyzer", "rules"));
        assertThat(map.get("lead_score")).isInstanceOf(Long.class);
        assertThat(map.values()).filteredOn(v -> !"lead_score".equals(v)).allMatch(v -> v != null);
        assertThat(map).doesNotContainKey("reasons");
    }

    @Test
    void toMapIsUnmodifiable() {
        assertThatThrownBy(() -> sample(50).toMap().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesReasonsDefensively() {
        List<String> reasons = new ArrayList<>(List.of("a"));
        AiAnalysis analysis = new AiAnalysis(Intent.OTHER, ProjectType.UNKNOWN, Timeline.UNKNOWN,
                BudgetIndicator.UNKNOWN, Sentiment.NEUTRAL, 20, Urgency.LOW, "rules", reasons);
        reasons.add("b");

        assertThat(analysis.reasons()).containsExactly("a");
        assertThat(new AiAnalysis(Intent.OTHER, ProjectType.UNKNOWN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                Sentiment.NEUTRAL, 20, Urgency.LOW, "rules", null).reasons()).isEmpty();
    }

    @Test
    void rejectsScoreOutside0To100() {
        assertThatThrownBy(() -> sample(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sample(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMissingFields() {
        assertThatThrownBy(() -> new AiAnalysis(null, ProjectType.UNKNOWN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                Sentiment.NEUTRAL, 20, Urgency.LOW, "rules", List.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new AiAnalysis(Intent.OTHER, ProjectType.UNKNOWN, Timeline.UNKNOWN,
                BudgetIndicator.UNKNOWN, Sentiment.NEUTRAL, 20, Urgency.LOW, " ", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeDuration() {
        assertThatThrownBy(() -> new AnalysisInput("hi", -1, true, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> enums() {
        return Stream.of(
                wires(Intent.values(), Intent::wire, Intent::fromWire,
                        "quote_request", "information_seeking", "appointment_booking", "other"),
                wires(ProjectType.values(), ProjectType::wire, ProjectType::fromWire,
                        "kitchen", "bathroom", "whole_home", "addition", "unknown"),
                wires(Timeline.values(), Timeline::wire, Timeline::fromWire,
                        "immediate", "1-3_months", "3-6_months", "6+_months", "unknown"),
                wires(BudgetIndicator.values(), BudgetIndicator::wire, BudgetIndicator::fromWire,
                        "high", "medium", "low", "unknown"),
                wires(Sentiment.values(), Sentiment::wire, Sentiment::fromWire, "positive", "neutral", "negative"),
                wires(Urgency.values(), Urgency::wire, Urgency::fromWire, "high", "medium", "low"));
    }

    private static <E extends Enum<E>> Arguments wires(E[] values, Function<E, String> wire,
                                                       Function<String, E> fromWire, String... expected) {
        return Arguments.of(values[0].getDeclaringClass().getSimpleName(), values, wire, fromWire, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    <E extends Enum<E>> void enumWireValuesRoundTrip(String name, E[] values, Function<E, String> wire,
                                                     Function<String, E> fromWire, String[] expected) {
        assertThat(Stream.of(values).map(wire)).containsExactlyInAnyOrder(expected);
        for (E value : values) {
            assertThat(fromWire.apply(wire.apply(value))).isSameAs(value);
        }
        assertThatThrownBy(() -> fromWire.apply("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fromWire.apply(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fromWire.apply(wire.apply(values[0]).toUpperCase()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
