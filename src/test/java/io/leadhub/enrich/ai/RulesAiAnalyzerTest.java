package io.leadhub.enrich.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.stereotype.Component;

class RulesAiAnalyzerTest {

    private final RulesAiAnalyzer analyzer = new RulesAiAnalyzer();

    /** One realistic call and everything the rules must make of it. */
    record Case(String label, AnalysisInput input, Intent intent, ProjectType projectType, Timeline timeline,
                BudgetIndicator budget, Sentiment sentiment, int leadScore, Urgency urgency) {

        static Case of(String label, String transcript, Intent intent, ProjectType projectType, Timeline timeline,
                       BudgetIndicator budget, Sentiment sentiment, int leadScore, Urgency urgency) {
            return new Case(label, AnalysisInput.ofTranscript(transcript), intent, projectType, timeline, budget,
                    sentiment, leadScore, urgency);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> transcripts() {
        return Stream.of(
                Case.of("kitchen, 60k, visit this week",
                        "Hi, this is Maria, we just bought a house in Marietta and want to redo the kitchen, new "
                                + "cabinets and quartz countertops, budget around 60k, we'd like someone to come out "
                                + "this week for an estimate.",
                        Intent.APPOINTMENT_BOOKING, ProjectType.KITCHEN, Timeline.IMMEDIATE, BudgetIndicator.HIGH,
                        Sentiment.NEUTRAL, 100, Urgency.HIGH),
                Case.of("bathroom quote, $20,000, next two months",
                        "Hey, I'm calling to get a quote on a bathroom remodel. We want to replace the tub with a "
                                + "walk-in shower and put in a new vanity. Thinking maybe $20,000. Hoping to get it "
                                + "done in the next two months.",
                        Intent.QUOTE_REQUEST, ProjectType.BATHROOM, Timeline.ONE_TO_THREE_MONTHS,
                        BudgetIndicator.MEDIUM, Sentiment.NEUTRAL, 82, Urgency.HIGH),
                Case.of("licensing questions only",
                        "Hi, yeah, uh, I just had a couple of questions. Do you guys do work in Alpharetta? And are "
                                + "you licensed and insured?",
                        Intent.INFORMATION_SEEKING, ProjectType.UNKNOWN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.NEUTRAL, 30, Urgency.LOW),
                Case.of("whole-house gut, money no object, next year",
                        "We're buying a 1960s ranch and planning a full gut renovation of the whole house, kitchen, "
                                + "both bathrooms, floors, everything. Money is no object, we want it done right. "
                                + "Not in a hurry, we'd start sometime next year. Can you send someone out to take a "
                                + "look?",
                        Intent.APPOINTMENT_BOOKING, ProjectType.WHOLE_HOME, Timeline.SIX_PLUS_MONTHS,
                        BudgetIndicator.HIGH, Sentiment.NEUTRAL, 87, Urgency.HIGH),
                Case.of("second story ballpark, one hundred fifty thousand",
                        "We want to add a second story to our house, and we're also thinking about a sunroom out "
                                + "back. Could you give me a ballpark on pricing? We're looking at three to six "
                                + "months out. Budget is probably around one hundred fifty thousand.",
                        Intent.QUOTE_REQUEST, ProjectType.ADDITION, Timeline.THREE_TO_SIX_MONTHS,
                        BudgetIndicator.HIGH, Sentiment.NEUTRAL, 88, Urgency.HIGH),
                Case.of("ADU just planning",
                        "My mother-in-law is moving in with us so we're looking at building an ADU in the backyard, "
                                + "or maybe an in-law suite over the garage. We're just planning right now, probably "
                                + "a year or two out. What kind of permits do you handle?",
                        Intent.INFORMATION_SEEKING, ProjectType.ADDITION, Timeline.SIX_PLUS_MONTHS,
                        BudgetIndicator.UNKNOWN, Sentiment.NEUTRAL, 47, Urgency.LOW),
                Case.of("angry existing customer",
                        "I'm calling because I'm really frustrated. Your crew left our bathroom a mess and nobody has "
                                + "called me back. This is the worst experience, I'm very disappointed.",
                        Intent.OTHER, ProjectType.BATHROOM, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.NEGATIVE, 20, Urgency.LOW),
                Case.of("kitchen leak emergency",
                        "We have a leak under the kitchen sink and the cabinets are soaked, water everywhere. I need "
                                + "somebody out here right away. Can you come today?",
                        Intent.APPOINTMENT_BOOKING, ProjectType.KITCHEN, Timeline.IMMEDIATE, BudgetIndicator.UNKNOWN,
                        Sentiment.NEUTRAL, 80, Urgency.HIGH),
                Case.of("tight budget vanity, no rush",
                        "Hi, I'm on a pretty tight budget, just looking for the cheapest way to update my bathroom "
                                + "vanity and toilet. How much would something like that cost? No rush at all.",
                        Intent.QUOTE_REQUEST, ProjectType.BATHROOM, Timeline.SIX_PLUS_MONTHS, BudgetIndicator.LOW,
                        Sentiment.NEUTRAL, 61, Urgency.MEDIUM),
                Case.of("excited new homeowners, consultation next month",
                        "We're so excited! We just closed on our first home and we'd love to redo the kitchen, maybe "
                                + "add an island. Our friends the Johnsons used you and said you were wonderful. We'd "
                                + "like to schedule a consultation for next month. We're thinking about $35,000.",
                        Intent.APPOINTMENT_BOOKING, ProjectType.KITCHEN, Timeline.ONE_TO_THREE_MONTHS,
                        BudgetIndicator.MEDIUM, Sentiment.POSITIVE, 92, Urgency.HIGH),
                Case.of("countertop materials question",
                        "Do you do kitchen countertops? I'm just curious what kind of materials you offer, granite, "
                                + "quartz, that kind of thing.",
                        Intent.INFORMATION_SEEKING, ProjectType.KITCHEN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.NEUTRAL, 40, Urgency.LOW),
                Case.of("callback with no content",
                        "Hi, this is Dave returning your call from yesterday. Give me a ring back when you get a "
                                + "chance. Thanks.",
                        Intent.OTHER, ProjectType.UNKNOWN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.NEUTRAL, 20, Urgency.LOW),
                Case.of("shower tile in three weeks, 8k",
                        "I need a quote for new shower tile, ideally we'd start in three weeks. We have about 8k set "
                                + "aside.",
                        Intent.QUOTE_REQUEST, ProjectType.BATHROOM, Timeline.ONE_TO_THREE_MONTHS, BudgetIndicator.LOW,
                        Sentiment.NEUTRAL, 74, Urgency.MEDIUM),
                Case.of("powder room, ten thousand dollars, next few months",
                        "Looking for an estimate to redo our powder room, we've got maybe ten thousand dollars to "
                                + "spend, sometime in the next few months.",
                        Intent.QUOTE_REQUEST, ProjectType.BATHROOM, Timeline.THREE_TO_SIX_MONTHS, BudgetIndicator.LOW,
                        Sentiment.NEUTRAL, 67, Urgency.MEDIUM),
                Case.of("entire home high-end bid, later this year",
                        "We're renovating the entire home and want high-end finishes throughout, top of the line "
                                + "appliances. Can you put together a bid? We'd like to start later this year.",
                        Intent.QUOTE_REQUEST, ProjectType.WHOLE_HOME, Timeline.THREE_TO_SIX_MONTHS,
                        BudgetIndicator.HIGH, Sentiment.NEUTRAL, 88, Urgency.HIGH),
                Case.of("unhappy with estimate, competitor quoted $12,000",
                        "I'm not happy with the estimate you sent, it's way more than we expected for a bathroom. "
                                + "The other contractor quoted $12,000.",
                        Intent.QUOTE_REQUEST, ProjectType.BATHROOM, Timeline.UNKNOWN, BudgetIndicator.LOW,
                        Sentiment.NEGATIVE, 49, Urgency.LOW),
                Case.of("addition next year, gathering information",
                        "Just gathering information for now. We might do an addition next year, nothing decided. Do "
                                + "you offer design services?",
                        Intent.INFORMATION_SEEKING, ProjectType.ADDITION, Timeline.SIX_PLUS_MONTHS,
                        BudgetIndicator.UNKNOWN, Sentiment.NEUTRAL, 47, Urgency.LOW),
                Case.of("fan from Instagram",
                        "Hi! I saw your work on Instagram and it's amazing, the kitchens are beautiful. Do you work "
                                + "in Roswell?",
                        Intent.INFORMATION_SEEKING, ProjectType.KITCHEN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.POSITIVE, 45, Urgency.LOW),
                Case.of("master bath in six months, not in a hurry",
                        "We're not in a hurry, we're thinking of redoing the master bath in six months or so. What's "
                                + "your pricing like?",
                        Intent.QUOTE_REQUEST, ProjectType.BATHROOM, Timeline.THREE_TO_SIX_MONTHS,
                        BudgetIndicator.UNKNOWN, Sentiment.NEUTRAL, 63, Urgency.MEDIUM),
                Case.of("room addition walkthrough, $45,000, within a month",
                        "Can we book a walkthrough? We want a room addition off the back of the house, maybe a 12 by "
                                + "16 extension. Budget is around $45,000 and we'd like to start within a month.",
                        Intent.APPOINTMENT_BOOKING, ProjectType.ADDITION, Timeline.ONE_TO_THREE_MONTHS,
                        BudgetIndicator.MEDIUM, Sentiment.NEUTRAL, 92, Urgency.HIGH),
                Case.of("upset customer, leaking toilet",
                        "This is the third time I've called, the toilet you installed is leaking again and I'm "
                                + "really upset. I need someone to come by immediately.",
                        Intent.APPOINTMENT_BOOKING, ProjectType.BATHROOM, Timeline.IMMEDIATE, BudgetIndicator.UNKNOWN,
                        Sentiment.NEGATIVE, 70, Urgency.HIGH),
                Case.of("mid-range cabinets, next couple of months",
                        "We're looking for mid-range cabinets and countertops, nothing fancy. How much do you charge "
                                + "per linear foot? Probably in the next couple of months.",
                        Intent.QUOTE_REQUEST, ProjectType.KITCHEN, Timeline.ONE_TO_THREE_MONTHS,
                        BudgetIndicator.MEDIUM, Sentiment.NEUTRAL, 82, Urgency.HIGH),
                Case.of("mixed feelings about permits",
                        "I love the idea but I'm frustrated with how long permits take. Do you pull permits for "
                                + "additions?",
                        Intent.INFORMATION_SEEKING, ProjectType.ADDITION, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.NEUTRAL, 45, Urgency.LOW),
                Case.of("kitchen, fifty thousand dollars saved, call back",
                        "My husband and I want to redo the kitchen this spring, we've saved about fifty thousand "
                                + "dollars. Please call back.",
                        Intent.OTHER, ProjectType.KITCHEN, Timeline.UNKNOWN, BudgetIndicator.HIGH, Sentiment.NEUTRAL,
                        50, Urgency.MEDIUM),
                Case.of("whole house on a budget, within 6 months",
                        "We'd like to renovate the whole house, it's a 1920s bungalow. We're on a budget so "
                                + "affordable options. Could somebody give us a call about scheduling an in-home "
                                + "consultation? Ideally within 6 months.",
                        Intent.APPOINTMENT_BOOKING, ProjectType.WHOLE_HOME, Timeline.THREE_TO_SIX_MONTHS,
                        BudgetIndicator.LOW, Sentiment.NEUTRAL, 77, Urgency.MEDIUM),
                new Case("voicemail, hot lead capped at 30",
                        new AnalysisInput("Hi, I'm interested in a kitchen remodel, budget about 80k, please call me "
                                + "back as soon as possible for an estimate.", 25, false, true),
                        Intent.QUOTE_REQUEST, ProjectType.KITCHEN, Timeline.IMMEDIATE, BudgetIndicator.HIGH,
                        Sentiment.NEUTRAL, 30, Urgency.HIGH),
                new Case("very short call",
                        new AnalysisInput("Do you do bathrooms?", 9, true, false),
                        Intent.INFORMATION_SEEKING, ProjectType.BATHROOM, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                        Sentiment.NEUTRAL, 30, Urgency.LOW),
                new Case("long first call about a sunroom",
                        new AnalysisInput("We're thinking about adding a sunroom, maybe 6+ months from now. Is it "
                                + "something you do? Are you guys insured?", 240, true, true),
                        Intent.INFORMATION_SEEKING, ProjectType.ADDITION, Timeline.SIX_PLUS_MONTHS,
                        BudgetIndicator.UNKNOWN, Sentiment.NEUTRAL, 57, Urgency.MEDIUM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void classifiesRealisticTranscripts(Case c) {
        AiAnalysis result = analyzer.analyze(c.input());

        assertThat(result.intent()).as("intent").isEqualTo(c.intent());
        assertThat(result.projectType()).as("project_type").isEqualTo(c.projectType());
        assertThat(result.timeline()).as("timeline").isEqualTo(c.timeline());
        assertThat(result.budgetIndicator()).as("budget_indicator").isEqualTo(c.budget());
        assertThat(result.sentiment()).as("sentiment").isEqualTo(c.sentiment());
        assertThat(result.leadScore()).as("lead_score, reasons %s", result.reasons()).isEqualTo(c.leadScore());
        assertThat(result.urgency()).as("urgency").isEqualTo(c.urgency());
        assertThat(result.analyzer()).isEqualTo("rules");
        assertThat(result.reasons()).as("one reason per output").hasSize(7);
    }

    @Test
    void transcriptCasesCoverEveryValueOfEveryEnum() {
        assertCovers(Case::intent, Intent.class);
        assertCovers(Case::projectType, ProjectType.class);
        assertCovers(Case::timeline, Timeline.class);
        assertCovers(Case::budget, BudgetIndicator.class);
        assertCovers(Case::sentiment, Sentiment.class);
        assertCovers(Case::urgency, Urgency.class);
        assertThat(transcripts().count()).isGreaterThanOrEqualTo(24);
    }

    private static <E extends Enum<E>> void assertCovers(Function<Case, E> field, Class<E> type) {
        Set<E> covered = transcripts().map(field).collect(Collectors.toCollection(() -> EnumSet.noneOf(type)));
        assertThat(covered).as(type.getSimpleName()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(type));
    }

    // --- lead score ---------------------------------------------------------------------------------------------

    @Test
    void scoresHotKitchenQuoteAbove80() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "Hi, we want a quote on a kitchen remodel, high-end everything, we have about $90,000 and need "
                        + "it started ASAP."));

        assertThat(result.intent()).isEqualTo(Intent.QUOTE_REQUEST);
        assertThat(result.projectType()).isEqualTo(ProjectType.KITCHEN);
        assertThat(result.budgetIndicator()).isEqualTo(BudgetIndicator.HIGH);
        assertThat(result.timeline()).isEqualTo(Timeline.IMMEDIATE);
        assertThat(result.leadScore()).isGreaterThan(80).isEqualTo(95);
        assertThat(result.urgency()).isEqualTo(Urgency.HIGH);
    }

    @Test
    void scoresVagueInformationCallBelow50EvenAsLongFirstCall() {
        AiAnalysis result = analyzer.analyze(new AnalysisInput(
                "Hi, I was just wondering what your hours are and whether you're licensed. Thanks, bye.",
                120, true, true));

        assertThat(result.intent()).isEqualTo(Intent.INFORMATION_SEEKING);
        assertThat(result.leadScore()).isLessThan(50).isEqualTo(40);
        assertThat(result.urgency()).isEqualTo(Urgency.LOW);
    }

    @Test
    void clampsScoreAt100() {
        AiAnalysis result = analyzer.analyze(new AnalysisInput(
                "We're thrilled to finally do our dream kitchen! Money is no object, budget is $150,000. Can you "
                        + "come out tomorrow to measure?", 600, true, true));

        assertThat(result.leadScore()).isEqualTo(100);
        assertThat(result.reasons()).anyMatch(r -> r.startsWith("lead_score=100:") && r.contains("clamped to 0..100"));
    }

    @Test
    void neverScoresBelowZero() {
        AiAnalysis result = analyzer.analyze(new AnalysisInput(
                "This is terrible, I'm so angry.", 8, true, false));

        assertThat(result.sentiment()).isEqualTo(Sentiment.NEGATIVE);
        assertThat(result.leadScore()).isZero();
        assertThat(result.urgency()).isEqualTo(Urgency.LOW);
    }

    @Test
    void capsUnansweredCallAt30ButKeepsImmediateUrgency() {
        AiAnalysis result = analyzer.analyze(new AnalysisInput(
                "Hi, we have water everywhere in the bathroom, the pipe burst, please call me back right away.",
                40, false, true));

        assertThat(result.leadScore()).isEqualTo(30);
        assertThat(result.timeline()).isEqualTo(Timeline.IMMEDIATE);
        assertThat(result.urgency()).isEqualTo(Urgency.HIGH);
        assertThat(result.reasons()).anyMatch(r -> r.contains("capped at 30 (unanswered call)"));
    }

    @Test
    void penalisesCallsShorterThan15Seconds() {
        String transcript = "Do you do kitchens?";
        int normal = analyzer.analyze(new AnalysisInput(transcript, 30, true, false)).leadScore();
        int short14 = analyzer.analyze(new AnalysisInput(transcript, 14, true, false)).leadScore();

        assertThat(normal - short14).isEqualTo(10);
    }

    @Test
    void addsFirstCallAndEngagedCallBonuses() {
        String transcript = "Do you do kitchens?";
        int unknownMetadata = analyzer.analyze(AnalysisInput.ofTranscript(transcript)).leadScore();
        int firstLongCall = analyzer.analyze(new AnalysisInput(transcript, 60, true, true)).leadScore();

        assertThat(firstLongCall - unknownMetadata).isEqualTo(10);
    }

    // --- no transcript ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n\t "})
    void returnsDefaultsWithoutTranscript(String transcript) {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(transcript));

        assertThat(result.intent()).isEqualTo(Intent.OTHER);
        assertThat(result.projectType()).isEqualTo(ProjectType.UNKNOWN);
        assertThat(result.timeline()).isEqualTo(Timeline.UNKNOWN);
        assertThat(result.budgetIndicator()).isEqualTo(BudgetIndicator.UNKNOWN);
        assertThat(result.sentiment()).isEqualTo(Sentiment.NEUTRAL);
        assertThat(result.urgency()).isEqualTo(Urgency.LOW);
        assertThat(result.leadScore()).isEqualTo(RulesAiAnalyzer.BASE_SCORE);
        assertThat(result.reasons()).anyMatch(r -> r.contains("no transcript"));
    }

    @Test
    void scoresAnsweredLongFirstCallWithoutTranscriptFromMetadataOnly() {
        AiAnalysis result = analyzer.analyze(new AnalysisInput(null, 90, true, true));

        assertThat(result.leadScore()).isEqualTo(30);
        assertThat(result.urgency()).isEqualTo(Urgency.LOW);
    }

    @Test
    void scoresMissedShortCallWithoutTranscriptLow() {
        AiAnalysis result = analyzer.analyze(new AnalysisInput("", 5, false, true));

        assertThat(result.leadScore()).isEqualTo(15);
    }

    // --- negation -----------------------------------------------------------------------------------------------

    @Test
    void treatsNotInAHurryAsNotUrgent() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We'd like to redo the bathroom but we're not in a hurry."));

        assertThat(result.timeline()).isEqualTo(Timeline.SIX_PLUS_MONTHS);
        assertThat(result.urgency()).isNotEqualTo(Urgency.HIGH);
        assertThat(result.reasons()).anyMatch(r -> r.contains("ignored negated 'in a hurry'"));
    }

    @Test
    void treatsNotHappyAsNegative() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "Honestly I'm not happy with how the countertops turned out."));

        assertThat(result.sentiment()).isEqualTo(Sentiment.NEGATIVE);
    }

    @Test
    void treatsNoComplaintsAsPositive() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "You did our kitchen two years ago, no complaints at all, now we want the bathroom done."));

        assertThat(result.sentiment()).isEqualTo(Sentiment.POSITIVE);
    }

    @Test
    void ignoresNegatedEmergency() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "It's not an emergency, we'd like to start on the shower next month."));

        assertThat(result.timeline()).isEqualTo(Timeline.ONE_TO_THREE_MONTHS);
    }

    @Test
    void ignoresNegatedBudgetWords() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We're not cheap, we just want a fair price for the kitchen."));

        assertThat(result.budgetIndicator()).isEqualTo(BudgetIndicator.UNKNOWN);
    }

    @Test
    void doesNotNegateNotUntilOrNotOnly() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We can't start until next year. It's not only the kitchen, we'd love a quote."));

        assertThat(result.timeline()).isEqualTo(Timeline.SIX_PLUS_MONTHS);
        assertThat(result.projectType()).isEqualTo(ProjectType.KITCHEN);
        assertThat(result.sentiment()).isEqualTo(Sentiment.POSITIVE);
    }

    @Test
    void limitsNegationToTheClause() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "The old contractor was not good, but we're happy we found you."));

        assertThat(result.sentiment()).isEqualTo(Sentiment.POSITIVE);
    }

    // --- money --------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            budget is $45,000                            | medium
            around 80k                                   | high
            maybe ten thousand                           | low
            $15k tops                                    | medium
            no more than $14,999                         | low
            exactly $50,000.                             | high
            twenty-five thousand                         | medium
            $1.5 million                                 | high
            $2m                                          | high
            no more than $20,000                         | medium
            half a million                               | high
            a hundred and fifty grand                    | high
            $8,500                                       | low
            50 grand                                     | high
            20,000 dollars                               | medium
            a couple thousand bucks                      | low
            between 40 and 60k                           | high
            my 401k is not touched                       | unknown
            2,000 square feet and 3 bedrooms             | unknown
            """)
    void parsesMoneyAmounts(String phrase, String expected) {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "For the kitchen we're thinking " + phrase + " for the whole project."));

        assertThat(result.budgetIndicator().wire()).as("reasons %s", result.reasons()).isEqualTo(expected);
    }

    @Test
    void prefersAmountOverBudgetWords() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We want luxury finishes in the bathroom but only have $10,000."));

        assertThat(result.budgetIndicator()).isEqualTo(BudgetIndicator.LOW);
    }

    @Test
    void givesMediumForMixedBudgetWords() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We love high-end stuff but we're on a tight budget."));

        assertThat(result.budgetIndicator()).isEqualTo(BudgetIndicator.MEDIUM);
    }

    // --- timeline spans and project precedence ------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            in a few days                         | immediate
            in two weeks                          | immediate
            no later than next month              | 1-3_months
            in 3 weeks                            | 1-3_months
            within 3 months                       | 1-3_months
            1-3 months                            | 1-3_months
            in a month or two                     | 1-3_months
            3 to 6 months                         | 3-6_months
            in six months                         | 3-6_months
            in a few months                       | 3-6_months
            6+ months                             | 6+_months
            in a year                             | 6+_months
            a year from now                       | 6+_months
            we moved in 10 years ago              | unknown
            """)
    void parsesTimeSpans(String phrase, String expected) {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We want to redo the bathroom, " + phrase + "."));

        assertThat(result.timeline().wire()).as("reasons %s", result.reasons()).isEqualTo(expected);
    }

    @Test
    void prefersWholeHomeOverSingleRooms() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "Kitchen, two bathrooms, new cabinets, new showers: basically the whole house."));

        assertThat(result.projectType()).isEqualTo(ProjectType.WHOLE_HOME);
    }

    @Test
    void breaksProjectTiesInOrderKitchenBathroomAddition() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We need a new shower and a new backsplash."));

        assertThat(result.projectType()).isEqualTo(ProjectType.KITCHEN);
    }

    @Test
    void countsRoomInsideAdditionPhraseAsAddition() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript("We want to add a bathroom upstairs."));

        assertThat(result.projectType()).isEqualTo(ProjectType.ADDITION);
    }

    @Test
    void ignoresPlaceNamesAndFillerPhrases() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "We live on Long Island, and in addition to that we have a question. What's your extension 204?"));

        assertThat(result.projectType()).isEqualTo(ProjectType.UNKNOWN);
    }

    @Test
    void prefersAppointmentOverQuoteOverInformation() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript(
                "I have a question about pricing, can you schedule an appointment?"));

        assertThat(result.intent()).isEqualTo(Intent.APPOINTMENT_BOOKING);
    }

    // --- contract -----------------------------------------------------------------------------------------------

    @Test
    void returnsEqualResultsForSameInput() {
        AnalysisInput input = new AnalysisInput(
                "We'd love a quote for a new bathroom vanity, budget is about $12k, hoping to start next month.",
                95, true, true);

        assertThat(analyzer.analyze(input)).isEqualTo(analyzer.analyze(input))
                .isEqualTo(new RulesAiAnalyzer().analyze(input));
    }

    @Test
    void explainsWhichRulesFired() {
        AiAnalysis result = analyzer.analyze(AnalysisInput.ofTranscript("We want to remodel our kitchen."));

        assertThat(result.reasons()).anyMatch(r -> r.startsWith("project_type=kitchen: matched 'kitchen'"));
    }

    @Test
    void isTheRulesAiAnalyzerBean() {
        assertThat(RulesAiAnalyzer.class.getAnnotation(Component.class).value()).isEqualTo("rulesAiAnalyzer");
        assertThat(analyzer).isInstanceOf(AiAnalyzer.class);
    }

    @Test
    void rejectsNullInput() {
        assertThatThrownBy(() -> analyzer.analyze(null)).isInstanceOf(NullPointerException.class);
    }
}
