package io.leadhub.enrich.ai;

import io.leadhub.enrich.ai.Quantities.Money;
import io.leadhub.enrich.ai.Quantities.Span;
import io.leadhub.enrich.ai.TranscriptText.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Deterministic keyword-rule analyser of English call transcripts for home-improvement and remodeling businesses.
 * Same input, same output; no I/O, no state; safe for concurrent use. The analyser name is {@value #ANALYZER_NAME}.
 * The full rule reference for integration engineers is {@code docs/ai-rules.md}; this comment is its summary.
 *
 * <h2>Matching</h2>
 * The transcript is normalised ({@link TranscriptText#normalize(String)}: lower case, hyphens between letters become
 * spaces so {@code high-end} = {@code high end}, punctuation other than {@code $ + ' . , ; : ! ?} removed, fillers
 * {@code uh/um} dropped, whitespace collapsed) and phrases match on word boundaries. A phrase is <em>negated</em> when
 * one of the 3 words before it in the same clause is {@code not, no, never, nothing, without, hardly, nor, cannot} or an
 * {@code n't} contraction, unless that negator is directly followed by {@code only, just, sure, know, later, more,
 * less} or {@code until/till} stands between it and the phrase; clauses end at {@code . , ; : ! ?} and {@code but}. Negated phrases are ignored, except in
 * sentiment where they count for the opposite polarity.
 *
 * <h2>intent</h2>
 * First category with a non-negated match, in this precedence order:
 * <ol>
 *   <li>{@code appointment_booking}: schedule, book, appointment, come out/by/over, can you come, stop/swing/drop by,
 *       site/home visit, in-home visit/consultation/estimate, consultation, consult, "when can you", "when are you
 *       available", "set up a time", "send someone out", take a look, walkthrough;</li>
 *   <li>{@code quote_request}: quote(d), estimate(s), bid(s), pricing, price(s/d), "how much", cost(s), ballpark,
 *       price range;</li>
 *   <li>{@code information_seeking}: "do you do/offer/handle/work/install/provide/service/have/build/...",
 *       "what kind/type/sort", "are you licensed/insured/...", licensed, insured, bonded, hours, information, info,
 *       question(s), wondering, curious, "how long", warranty, "can you tell me", "tell me more/about";</li>
 *   <li>otherwise {@code other}.</li>
 * </ol>
 *
 * <h2>project_type</h2>
 * Counts non-negated hits per type: kitchen (kitchen, cabinet(s/ry), countertop(s), counters, backsplash, island, pantry;
 * not "Long/Rhode/Staten/Coney Island"), bathroom (bathroom, bath, bathtub, shower, tub, vanity, toilet, powder room),
 * whole_home (whole/entire house/home/place, full/complete/total remodel/renovation/gut/rehab not followed by "of the
 * kitchen/bathroom/...", gut job/renovation, "gut the house", every room, top to bottom, all the rooms), addition
 * (addition but not "in addition", "add a room/bedroom/bathroom/...", add-on, extension but not "extension 204", second
 * story, sunroom, ADU, accessory dwelling, in-law suite, granny flat, bump-out). A room word inside an addition phrase
 * ("add a bathroom") counts for addition only. Any whole_home hit wins; otherwise the type with most hits, ties in the
 * order kitchen, bathroom, addition; no hits: {@code unknown}.
 *
 * <h2>timeline</h2>
 * Every non-negated cue gives a timeline; the most urgent one wins (immediate &gt; 1-3_months &gt; 3-6_months &gt;
 * 6+_months); no cue: {@code unknown}.
 * <ul>
 *   <li>{@code immediate}: asap, "as soon as possible", right away, immediately, urgent(ly), emergency, this week(end),
 *       next week, tomorrow, "in a hurry/rush", rush job, leak(s/ing/y/ed), flood(s/ed/ing), burst (pipe), "pipe
 *       burst", water damage, water everywhere;</li>
 *   <li>{@code 1-3_months}: next month, this month, "in a month", "end of the month", "couple of months", "month or
 *       two", "few weeks";</li>
 *   <li>{@code 3-6_months}: "few months", "several months", "later this year", "later in the year", "end of the
 *       year";</li>
 *   <li>{@code 6+_months}: next year, "no rush/hurry", "not in a rush/hurry", "in no hurry", "not urgent", "just
 *       planning", "planning ahead", "down the road", someday, eventually, "take our time", "a year or two/so";</li>
 *   <li>spans ({@link Quantities#spans(String)}): "in/within/next/another/over the next N days/weeks/months/years",
 *       "N ... from now/out/away", ranges "N-M", "N to M", "N or M" (upper bound counts) and "N+ / N plus / N or more"
 *       (a bit more than N), N in digits or words ("a", "a couple of" = 2, "a few" = 4, "half a" = 0.5). Converted to
 *       months: &le; 0.5 (about two weeks) immediate, &le; 3 1-3_months, &le; 6 3-6_months, more 6+_months. So "in six
 *       months" is 3-6_months and "6+ months" is 6+_months.</li>
 * </ul>
 *
 * <h2>budget_indicator</h2>
 * Money amounts ({@link Quantities#moneyAmounts(String)}: {@code $45,000}, {@code $1.5 million}, {@code 80k},
 * {@code $15k}, {@code 50 grand}, {@code 20,000 dollars}, {@code fifty thousand}, {@code twenty-five thousand}, {@code
 * half a million}; a bare number without {@code $} or unit is ignored) beat words. With amounts, the largest one counts:
 * &ge; 50,000 {@code high}, 15,000..49,999 {@code medium}, below {@code low}. Without amounts, non-negated words: high
 * (high-end, luxury, top of the line, top notch, "money is no object", "spare no expense", premium, "sky's the limit"),
 * medium (mid-range, "middle of the road", "moderate/reasonable budget", mid-level/grade), low ("tight/low/limited/small
 * budget", cheap(er/est), affordable, "on a budget", budget-friendly, inexpensive, shoestring, bare bones, low cost,
 * "can't afford", "can't spend much", "fixed income"); the category with most hits wins, a tie between categories gives
 * {@code medium}; nothing: {@code unknown}.
 *
 * <h2>sentiment</h2>
 * Score = positive hits − negative hits, a negated hit counting for the other side ("not happy" −1, "no complaints"
 * +1). Positive: excited, exciting, love(d/ly), great (not "great room"), thrilled, wonderful, happy, perfect, amazing,
 * awesome, fantastic, glad, pleased, beautiful, excellent, impressed, impressive, recommended, appreciate, delighted,
 * stunning, gorgeous. Negative: frustrated, frustrating, frustration, angry, furious, terrible, disappointed,
 * disappointing, disappointment, upset, unhappy, awful, worst, complaint(s), complain(ing), horrible, annoyed, annoying,
 * ridiculous, unacceptable, rude, unprofessional, dissatisfied, "fed up". Score &gt; 0 {@code positive}, &lt; 0
 * {@code negative}, else {@code neutral}.
 *
 * <h2>lead_score (0..100)</h2>
 * Base {@value #BASE_SCORE}; intent appointment_booking +30, quote_request +25, information_seeking +10, other 0;
 * project kitchen/bathroom +10, whole_home/addition +15; timeline immediate +20, 1-3_months +15, 3-6_months +8,
 * 6+_months +2; budget high +20, medium +12, low +4; sentiment positive +5, negative −10; call metadata (when known):
 * first call +5, answered (or unknown) and duration &ge; 60 s +5, duration &lt; 15 s −10. Then: an unanswered call or a
 * missing/blank transcript caps the score at {@value #UNANSWERED_OR_NO_TRANSCRIPT_CAP}; finally clamped to 0..100.
 *
 * <h2>urgency</h2>
 * {@code high} if timeline immediate or lead_score &ge; 80; else {@code medium} if timeline 1-3_months or lead_score
 * &ge; 50; else {@code low}.
 *
 * <h2>No transcript</h2>
 * Null or blank transcript: intent other, project unknown, timeline unknown, budget unknown, sentiment neutral; the
 * score comes from the call metadata only (so at most 30) and the reasons say "no transcript".
 */
@Component("rulesAiAnalyzer")
public class RulesAiAnalyzer implements AiAnalyzer {

    /** The {@link AiAnalysis#analyzer()} value of this analyser. */
    public static final String ANALYZER_NAME = "rules";

    /** Score every call starts with. */
    public static final int BASE_SCORE = 20;

    /** Highest score of an unanswered call or a call without transcript. */
    public static final int UNANSWERED_OR_NO_TRANSCRIPT_CAP = 30;

    /** Call metadata: first call from this number. */
    private static final int FIRST_CALL_BONUS = 5;
    /** Call metadata: answered (or unknown) and at least {@link #ENGAGED_CALL_MIN_SECONDS} long. */
    private static final int ENGAGED_CALL_BONUS = 5;
    private static final int ENGAGED_CALL_MIN_SECONDS = 60;
    /** Call metadata: shorter than {@link #SHORT_CALL_MAX_SECONDS}. */
    private static final int SHORT_CALL_PENALTY = -10;
    private static final int SHORT_CALL_MAX_SECONDS = 15;
    /** Urgency thresholds on the lead score. */
    private static final int HIGH_URGENCY_SCORE = 80;
    private static final int MEDIUM_URGENCY_SCORE = 50;
    /** Budget thresholds in US dollars: at least HIGH is high, at least MEDIUM is medium, below is low. */
    private static final long HIGH_BUDGET_DOLLARS = 50_000;
    private static final long MEDIUM_BUDGET_DOLLARS = 15_000;
    /** Time-span thresholds in months: up to IMMEDIATE is immediate, up to SHORT 1-3, up to MID 3-6, above 6+. */
    private static final double IMMEDIATE_MAX_MONTHS = 0.5;
    private static final double SHORT_TERM_MAX_MONTHS = 3;
    private static final double MID_TERM_MAX_MONTHS = 6;

    private static final List<Rule<Intent>> INTENT_RULES = List.of(
            new Rule<>(Intent.APPOINTMENT_BOOKING, words("schedul(?:e|ed|ing)|book|booked|booking|appointments?"
                    + "|come (?:out|by|over)|can (?:you|someone|somebody|anyone|one of your guys) come"
                    + "|(?:stop|swing|drop) by|(?:site|home|house) visit|in home (?:visit|consultation|estimate)"
                    + "|consultations?|consult|when can (?:you|someone|somebody|your)"
                    + "|when (?:are|is) (?:you|someone|somebody|anyone) (?:guys )?available"
                    + "|set up (?:a|an) (?:time|visit|meeting|appointment)"
                    + "|send (?:someone|somebody|a guy|a person|anyone) (?:out|over)|take a look|walk ?through")),
            new Rule<>(Intent.QUOTE_REQUEST, words("quotes?|quoted|estimates?|bids?|pricing|prices?|priced|how much|costs?"
                    + "|ballpark|price range")),
            new Rule<>(Intent.INFORMATION_SEEKING, words("do you (?:guys )?(?:do|offer|handle|work|install|provide|service|have"
                    + "|build|ever|also|carry|sell|pull|take)|does your (?:company|team|crew)|what (?:kind|type|sort)"
                    + "|are you (?:guys )?(?:licensed|insured|bonded|open|accepting)|licensed|insured|bonded|hours"
                    + "|information|info|questions?|wondering|curious|how long|warrant(?:y|ies)|can you tell me"
                    + "|tell me (?:more|about)")));

    private static final Pattern KITCHEN = words("kitchens?|cabinets?|cabinetry|counter ?tops?|counters"
            + "|backsplash(?:es)?|(?<!long |rhode |staten |coney )islands?|pantry|pantries");
    private static final Pattern BATHROOM = words("bathrooms?|baths?|bathtubs?|showers?|tubs?|vanity|vanities"
            + "|toilets?|powder rooms?");
    private static final Pattern WHOLE_HOME = words("(?:whole|entire) (?:house|home|place|interior)"
            + "|(?:full|complete|total) (?:gut|remodel|renovation|rehab|overhaul)"
            + "(?! (?:of|on|for|in) (?:the|our|my|a|this) (?:kitchen|bath|bathroom|master bath|master bathroom"
            + "|basement|powder room))"
            + "|gut (?:job|renovation|remodel|rehab)|gut(?:ted|ting)? (?:the (?:whole )?|our |my |this )?(?:house|home)"
            + "|every room|top to bottom|all (?:of )?the rooms");
    private static final Pattern ADDITION = words("(?<!in )additions?"
            + "|add (?:a|an|another|on a|on an) (?:room|bedroom|bathroom|bath|family room|master suite|suite|floor"
            + "|story|level|garage)|add ?ons?|extensions?(?! \\d)|second (?:story|storey)|sun ?rooms?|adus?"
            + "|accessory dwelling(?: units?)?|(?:mother )?in law (?:suite|unit|apartment|quarters)|granny flat"
            + "|bump ?outs?");

    private static final List<Rule<Timeline>> TIMELINE_RULES = List.of(
            new Rule<>(Timeline.IMMEDIATE, words("asap|as soon as possible|right away|immediately|urgent(?:ly)?"
                    + "|emergenc(?:y|ies)|this week(?:end)?|next week|tomorrow|in a (?:hurry|rush)|rush job"
                    + "|leak(?:s|ing|y|ed)?|flood(?:s|ed|ing)?|burst(?: pipes?)?|pipes? burst|water damage"
                    + "|water everywhere")),
            new Rule<>(Timeline.ONE_TO_THREE_MONTHS, words("next month|this month|in a month|end of (?:the|this) month"
                    + "|couple (?:of )?months|month or two|few weeks")),
            new Rule<>(Timeline.THREE_TO_SIX_MONTHS, words("few months|several months|later this year|later in the year"
                    + "|end of (?:the|this) year")),
            new Rule<>(Timeline.SIX_PLUS_MONTHS, words("next year|no (?:big )?(?:rush|hurry)"
                    + "|not in (?:a|any) (?:big )?(?:rush|hurry)|in no (?:rush|hurry)|not (?:urgent|a rush)"
                    + "|(?:just|only|still) planning|planning ahead|down the road|some ?day|eventually"
                    + "|(?:take|taking) (?:our|my) time|a year or (?:two|so)")));

    private static final List<Rule<BudgetIndicator>> BUDGET_RULES = List.of(
            new Rule<>(BudgetIndicator.HIGH, words("high end|luxury|luxurious|top of the line|top notch"
                    + "|money(?: is|'s)? no object|spare no expense|no expense spared|premium"
                    + "|sky(?:'s| is) the limit")),
            new Rule<>(BudgetIndicator.MEDIUM, words("mid (?:range|level|grade)|middle of the road|moderate budget"
                    + "|reasonable budget")),
            new Rule<>(BudgetIndicator.LOW, words("(?:tight|low|limited|small|modest) budget|cheap|cheaper|cheapest|affordable"
                    + "|on a budget|budget friendly|inexpensive|shoestring|bare bones|low cost|can't afford"
                    + "|cannot afford|can't spend (?:too |that )?much|fixed income")));

    private static final Pattern POSITIVE = words("excited|exciting|love|loved|lovely|great(?! room)|thrilled"
            + "|wonderful|happy|perfect|amazing|awesome|fantastic|glad|pleased|beautiful|excellent|impressed"
            + "|impressive|recommended|appreciate|delighted|stunning|gorgeous");
    private static final Pattern NEGATIVE = words("frustrated|frustrating|frustration|angry|furious|terrible"
            + "|disappointed|disappointing|disappointment|upset|unhappy|awful|worst|complaints?|complain(?:ing)?"
            + "|horrible|annoyed|annoying|ridiculous|unacceptable|rude|unprofessional|dissatisfied|fed up");

    /** Creates the analyser; it has no configuration. */
    public RulesAiAnalyzer() {
        // stateless
    }

    /**
     * Analyses one call with the rules in the class comment.
     *
     * @param input the transcript and call metadata; must not be null, its fields may be null
     * @return the analysis; never null, analyzer {@value #ANALYZER_NAME}, lead score in 0..100, one reason per output
     * @throws NullPointerException if {@code input} is null
     */
    @Override
    public AiAnalysis analyze(AnalysisInput input) {
        Objects.requireNonNull(input, "input");
        List<String> reasons = new ArrayList<>();
        if (!input.hasTranscript()) {
            reasons.add("no transcript: intent=other, project_type=unknown, timeline=unknown, "
                    + "budget_indicator=unknown, sentiment=neutral");
            Score score = new Score();
            addCallSignals(score, input);
            int leadScore = score.total("no transcript");
            reasons.add(score.describe(leadScore));
            Urgency urgency = urgency(Timeline.UNKNOWN, leadScore, reasons);
            return new AiAnalysis(Intent.OTHER, ProjectType.UNKNOWN, Timeline.UNKNOWN, BudgetIndicator.UNKNOWN,
                    Sentiment.NEUTRAL, leadScore, urgency, ANALYZER_NAME, reasons);
        }

        TranscriptText text = new TranscriptText(input.transcript());
        Intent intent = intent(text, reasons);
        ProjectType projectType = projectType(text, reasons);
        Timeline timeline = timeline(text, reasons);
        BudgetIndicator budget = budget(text, reasons);
        Sentiment sentiment = sentiment(text, reasons);

        Score score = new Score();
        score.add("intent " + intent.wire(), switch (intent) {
            case APPOINTMENT_BOOKING -> 30;
            case QUOTE_REQUEST -> 25;
            case INFORMATION_SEEKING -> 10;
            case OTHER -> 0;
        });
        score.add("project " + projectType.wire(), switch (projectType) {
            case WHOLE_HOME, ADDITION -> 15;
            case KITCHEN, BATHROOM -> 10;
            case UNKNOWN -> 0;
        });
        score.add("timeline " + timeline.wire(), switch (timeline) {
            case IMMEDIATE -> 20;
            case ONE_TO_THREE_MONTHS -> 15;
            case THREE_TO_SIX_MONTHS -> 8;
            case SIX_PLUS_MONTHS -> 2;
            case UNKNOWN -> 0;
        });
        score.add("budget " + budget.wire(), switch (budget) {
            case HIGH -> 20;
            case MEDIUM -> 12;
            case LOW -> 4;
            case UNKNOWN -> 0;
        });
        score.add("sentiment " + sentiment.wire(), switch (sentiment) {
            case POSITIVE -> 5;
            case NEGATIVE -> -10;
            case NEUTRAL -> 0;
        });
        addCallSignals(score, input);
        int leadScore = score.total(Boolean.FALSE.equals(input.answered()) ? "unanswered call" : null);
        reasons.add(score.describe(leadScore));
        Urgency urgency = urgency(timeline, leadScore, reasons);
        return new AiAnalysis(intent, projectType, timeline, budget, sentiment, leadScore, urgency, ANALYZER_NAME,
                reasons);
    }

    private static Intent intent(TranscriptText text, List<String> reasons) {
        for (Rule<Intent> rule : INTENT_RULES) {
            List<Hit> hits = affirmed(text.find(rule.pattern()));
            if (!hits.isEmpty()) {
                reasons.add("intent=" + rule.value().wire() + ": matched " + quoted(hits));
                return rule.value();
            }
        }
        reasons.add("intent=other: no intent phrase matched");
        return Intent.OTHER;
    }

    private static ProjectType projectType(TranscriptText text, List<String> reasons) {
        List<Hit> whole = affirmed(text.find(WHOLE_HOME));
        if (!whole.isEmpty()) {
            reasons.add("project_type=whole_home: matched " + quoted(whole));
            return ProjectType.WHOLE_HOME;
        }
        List<Hit> addition = affirmed(text.find(ADDITION));
        Predicate<Hit> outsideAddition = room -> addition.stream().noneMatch(
                a -> room.start() >= a.start() && room.start() < a.start() + a.phrase().length());
        Map<ProjectType, List<Hit>> rooms = new LinkedHashMap<>(); // tie order: kitchen, bathroom, addition
        rooms.put(ProjectType.KITCHEN, affirmed(text.find(KITCHEN)).stream().filter(outsideAddition).toList());
        rooms.put(ProjectType.BATHROOM, affirmed(text.find(BATHROOM)).stream().filter(outsideAddition).toList());
        rooms.put(ProjectType.ADDITION, addition);
        ProjectType best = ProjectType.UNKNOWN;
        int bestCount = 0;
        for (Map.Entry<ProjectType, List<Hit>> room : rooms.entrySet()) {
            if (room.getValue().size() > bestCount) {
                best = room.getKey();
                bestCount = room.getValue().size();
            }
        }
        if (best == ProjectType.UNKNOWN) {
            reasons.add("project_type=unknown: no project phrase matched");
        } else {
            String counts = rooms.entrySet().stream()
                    .map(e -> e.getKey().wire() + " " + e.getValue().size())
                    .collect(Collectors.joining(", "));
            reasons.add("project_type=" + best.wire() + ": matched " + quoted(rooms.get(best))
                    + " (hits: " + counts + ")");
        }
        return best;
    }

    private static Timeline timeline(TranscriptText text, List<String> reasons) {
        Map<String, Timeline> cues = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        List<Cue<Timeline>> found = new ArrayList<>();
        for (Rule<Timeline> rule : TIMELINE_RULES) {
            text.find(rule.pattern())
                    .forEach(hit -> found.add(new Cue<>(rule.value(), hit.phrase(), hit.start(), hit.negated())));
        }
        for (Span span : Quantities.spans(text.text())) {
            found.add(new Cue<>(timelineOf(span.months()), span.phrase(), span.start(), text.isNegated(span.start())));
        }
        found.sort(Comparator.comparingInt(Cue::start));
        for (Cue<Timeline> cue : found) {
            if (cue.negated()) {
                ignored.add("'" + cue.phrase() + "'");
            } else {
                cues.putIfAbsent(cue.phrase(), cue.value());
            }
        }
        Timeline best = cues.values().stream().min(Comparator.naturalOrder()).orElse(Timeline.UNKNOWN);
        StringBuilder reason = new StringBuilder("timeline=").append(best.wire());
        if (best == Timeline.UNKNOWN) {
            reason.append(": no timing phrase matched");
        } else {
            reason.append(": matched ").append(cues.entrySet().stream()
                    .map(e -> "'" + e.getKey() + "' (" + e.getValue().wire() + ")")
                    .collect(Collectors.joining(", ")));
            if (cues.values().stream().distinct().count() > 1) {
                reason.append("; most urgent wins");
            }
        }
        if (!ignored.isEmpty()) {
            reason.append("; ignored negated ").append(String.join(", ", ignored));
        }
        reasons.add(reason.toString());
        return best;
    }

    private static Timeline timelineOf(double months) {
        if (months <= IMMEDIATE_MAX_MONTHS) {
            return Timeline.IMMEDIATE;
        } else if (months <= SHORT_TERM_MAX_MONTHS) {
            return Timeline.ONE_TO_THREE_MONTHS;
        } else if (months <= MID_TERM_MAX_MONTHS) {
            return Timeline.THREE_TO_SIX_MONTHS;
        }
        return Timeline.SIX_PLUS_MONTHS;
    }

    private static BudgetIndicator budget(TranscriptText text, List<String> reasons) {
        List<Money> amounts = Quantities.moneyAmounts(text.text());
        if (!amounts.isEmpty()) {
            Money largest = amounts.stream().max(Comparator.comparingLong(Money::dollars)).orElseThrow();
            BudgetIndicator budget = largest.dollars() >= HIGH_BUDGET_DOLLARS ? BudgetIndicator.HIGH
                    : largest.dollars() >= MEDIUM_BUDGET_DOLLARS ? BudgetIndicator.MEDIUM
                    : BudgetIndicator.LOW;
            reasons.add("budget_indicator=" + budget.wire() + ": amount $" + String.format("%,d", largest.dollars())
                    + " from '" + largest.phrase() + "'"
                    + (amounts.size() > 1 ? " (largest of " + amounts.size() + " amounts)" : ""));
            return budget;
        }
        Map<BudgetIndicator, List<Hit>> words = new EnumMap<>(BudgetIndicator.class);
        for (Rule<BudgetIndicator> rule : BUDGET_RULES) {
            List<Hit> hits = affirmed(text.find(rule.pattern()));
            if (!hits.isEmpty()) {
                words.put(rule.value(), hits);
            }
        }
        if (words.isEmpty()) {
            reasons.add("budget_indicator=unknown: no amount or budget phrase matched");
            return BudgetIndicator.UNKNOWN;
        }
        int most = words.values().stream().mapToInt(List::size).max().orElseThrow();
        List<BudgetIndicator> leaders = words.entrySet().stream()
                .filter(e -> e.getValue().size() == most).map(Map.Entry::getKey).toList();
        BudgetIndicator budget = leaders.size() == 1 ? leaders.get(0) : BudgetIndicator.MEDIUM;
        String matched = words.values().stream().flatMap(List::stream)
                .sorted(Comparator.comparingInt(Hit::start)).map(h -> "'" + h.phrase() + "'")
                .collect(Collectors.joining(", "));
        reasons.add("budget_indicator=" + budget.wire() + ": matched " + matched
                + (leaders.size() > 1 ? " (mixed signals, tie gives medium)" : ""));
        return budget;
    }

    private static Sentiment sentiment(TranscriptText text, List<String> reasons) {
        List<String> parts = new ArrayList<>();
        int score = 0;
        List<Cue<Integer>> hits = new ArrayList<>();
        text.find(POSITIVE).forEach(h -> hits.add(new Cue<>(1, h.phrase(), h.start(), h.negated())));
        text.find(NEGATIVE).forEach(h -> hits.add(new Cue<>(-1, h.phrase(), h.start(), h.negated())));
        hits.sort(Comparator.comparingInt(Cue::start));
        for (Cue<Integer> hit : hits) {
            int points = hit.negated() ? -hit.value() : hit.value();
            score += points;
            parts.add("'" + hit.phrase() + "'" + (hit.negated() ? " negated " : " ") + (points > 0 ? "+1" : "-1"));
        }
        Sentiment sentiment = score > 0 ? Sentiment.POSITIVE : score < 0 ? Sentiment.NEGATIVE : Sentiment.NEUTRAL;
        reasons.add("sentiment=" + sentiment.wire() + ": " + (parts.isEmpty() ? "no sentiment words"
                : "score " + score + " from " + String.join(", ", parts)));
        return sentiment;
    }

    private static void addCallSignals(Score score, AnalysisInput input) {
        if (Boolean.TRUE.equals(input.firstCall())) {
            score.add("first call", FIRST_CALL_BONUS);
        }
        Integer duration = input.durationSeconds();
        if (duration != null) {
            if (duration >= ENGAGED_CALL_MIN_SECONDS && !Boolean.FALSE.equals(input.answered())) {
                score.add("duration " + duration + " s", ENGAGED_CALL_BONUS);
            } else if (duration < SHORT_CALL_MAX_SECONDS) {
                score.add("duration " + duration + " s", SHORT_CALL_PENALTY);
            }
        }
    }

    private static Urgency urgency(Timeline timeline, int leadScore, List<String> reasons) {
        Urgency urgency;
        String why;
        if (timeline == Timeline.IMMEDIATE) {
            urgency = Urgency.HIGH;
            why = "timeline immediate";
        } else if (leadScore >= HIGH_URGENCY_SCORE) {
            urgency = Urgency.HIGH;
            why = "lead_score " + leadScore + " >= " + HIGH_URGENCY_SCORE;
        } else if (timeline == Timeline.ONE_TO_THREE_MONTHS) {
            urgency = Urgency.MEDIUM;
            why = "timeline 1-3_months";
        } else if (leadScore >= MEDIUM_URGENCY_SCORE) {
            urgency = Urgency.MEDIUM;
            why = "lead_score " + leadScore + " >= " + MEDIUM_URGENCY_SCORE;
        } else {
            urgency = Urgency.LOW;
            why = "timeline not immediate or 1-3_months and lead_score " + leadScore + " < " + MEDIUM_URGENCY_SCORE;
        }
        reasons.add("urgency=" + urgency.wire() + ": " + why);
        return urgency;
    }

    private static List<Hit> affirmed(List<Hit> hits) {
        return hits.stream().filter(h -> !h.negated()).toList();
    }

    private static String quoted(List<Hit> hits) {
        return hits.stream().map(Hit::phrase).distinct().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    }

    private static Pattern words(String alternation) {
        return Pattern.compile("\\b(?:" + alternation + ")\\b");
    }

    /** A pattern whose non-negated matches stand for a value. */
    private record Rule<T>(T value, Pattern pattern) {
    }

    /** A matched cue carrying the value it stands for. */
    private record Cue<T>(T value, String phrase, int start, boolean negated) {
    }

    /** Additive lead score with its explanation. */
    private static final class Score {
        private final List<String> parts = new ArrayList<>(List.of("base " + BASE_SCORE));
        private int sum = BASE_SCORE;
        private String capReason;

        void add(String label, int points) {
            if (points != 0) {
                sum += points;
                parts.add(label + (points > 0 ? " +" : " ") + points);
            }
        }

        /** The final score: capped at 30 when {@code capReason} is non-null, then clamped to 0..100. */
        int total(String capReason) {
            this.capReason = capReason;
            int total = capReason != null ? Math.min(sum, UNANSWERED_OR_NO_TRANSCRIPT_CAP) : sum;
            return Math.max(AiAnalysis.MIN_SCORE, Math.min(AiAnalysis.MAX_SCORE, total));
        }

        String describe(int total) {
            String explanation = "lead_score=" + total + ": " + String.join(", ", parts);
            if (total != sum) {
                explanation += " = " + sum + ", " + (capReason != null && total == UNANSWERED_OR_NO_TRANSCRIPT_CAP
                        ? "capped at " + UNANSWERED_OR_NO_TRANSCRIPT_CAP + " (" + capReason + ")"
                        : "clamped to 0..100");
            }
            return explanation;
        }
    }
}
