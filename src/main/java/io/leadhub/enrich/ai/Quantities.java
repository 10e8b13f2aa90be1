package io.leadhub.enrich.ai;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses money amounts and time spans out of {@linkplain TranscriptText#normalize(String) normalised} transcript text.
 *
 * <p>Numbers may be digits ({@code 45,000}, {@code 1.5}) or simple English number words ({@code ten},
 * {@code twenty five}, {@code one hundred fifty}, {@code a}/{@code an} = 1, {@code couple} = 2, {@code few} = 4,
 * {@code several} = 5, {@code half} = 0.5).
 */
final class Quantities {

    private static final Map<String, Integer> WORD_VALUES = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
            Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14), Map.entry("fifteen", 15),
            Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
            Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
            Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("seventy", 70), Map.entry("eighty", 80),
            Map.entry("ninety", 90), Map.entry("couple", 2), Map.entry("few", 4), Map.entry("several", 5));

    private static final String WORD_NUMBER = "(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            + "|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
            + "|seventy|eighty|ninety|hundred|couple|few|several|an?)";

    /** {@code $45,000}, {@code $1.5 million}, {@code 80k}, {@code 50 grand}, {@code 20,000 dollars}. */
    private static final Pattern DIGIT_AMOUNT = Pattern.compile(
            "(\\$\\s?)?\\b(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?\\s?(k|thousand|grand|million|mil|m|dollars|bucks)?\\b");
    /** {@code fifty thousand}, {@code twenty five thousand}, {@code a hundred and fifty grand}. */
    private static final Pattern WORD_AMOUNT = Pattern.compile(
            "(?<!half )\\b(" + WORD_NUMBER + "(?:\\s(?:and\\s|of\\s)?" + WORD_NUMBER + ")*)\\s(thousand|grand|million)\\b");
    private static final Pattern HALF_A_MILLION = Pattern.compile("\\bhalf (?:a )?million\\b");

    /** A count of days, weeks, months or years: digits, a number word, "a couple of", "a few", "half a". */
    private static final String SPAN_NUMBER = "(\\d+(?:\\.\\d+)?|a couple of|a couple|couple of|a few|several|half an?"
            + "|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty four|twenty|thirty)";
    private static final String SPAN_UNIT = "(day|week|month|year)s?";
    /** {@code 3-6 months}, {@code 3 to 6 months}, {@code one or two weeks}: the upper bound counts. */
    private static final Pattern SPAN_RANGE = Pattern.compile(
            "\\b" + SPAN_NUMBER + "\\s?(?:-|to|or)\\s?" + SPAN_NUMBER + "\\s" + SPAN_UNIT + "\\b");
    /** {@code 6+ months}, {@code six plus months}, {@code 6 months or more}: a bit more than the number. */
    private static final Pattern SPAN_PLUS = Pattern.compile(
            "\\b" + SPAN_NUMBER + "(?:\\s?\\+|\\splus|\\sor more)\\s" + SPAN_UNIT + "\\b"
                    + "|\\b" + SPAN_NUMBER + "\\s" + SPAN_UNIT + "\\s(?:or more|or longer|plus)\\b");
    /**
     * {@code in two weeks}, {@code within a month}, {@code in the next 3 months}, {@code over the next 6 months},
     * {@code six months from now}, {@code 6 months out}; not {@code ... ago}.
     */
    private static final Pattern SPAN_SINGLE = Pattern.compile(
            "\\b(?:in|within|next|another|over the next)\\s(?:(?:about|around|approximately|roughly|maybe|like|say|the|next)\\s)*?"
                    + SPAN_NUMBER + "\\s" + SPAN_UNIT + "\\b(?!\\sago)"
                    + "|\\b" + SPAN_NUMBER + "\\s" + SPAN_UNIT + "\\s(?:from now|out|away)\\b");

    private static final double DAYS_PER_MONTH = 30.44;
    private static final double WEEKS_PER_MONTH = 4.345;
    private static final double MORE_THAN = 0.5;

    private Quantities() {
    }

    /**
     * A money amount found in the text.
     *
     * @param phrase  the matched text, e.g. {@code "$60k"}
     * @param dollars the amount in whole US dollars, {@code > 0}
     */
    record Money(String phrase, long dollars) {
    }

    /**
     * A time span found in the text.
     *
     * @param phrase the matched text, e.g. {@code "in three weeks"}
     * @param start  where the match starts in the text (for negation checks)
     * @param months the span in months (upper bound of a range), {@code > 0}
     */
    record Span(String phrase, int start, double months) {
    }

    /**
     * The money amounts in a normalised text. A bare number counts only with a {@code $} sign or a unit word
     * ({@code k, thousand, grand, million, mil, dollars, bucks}; {@code m} only after {@code $}); {@code 401k} is a
     * retirement plan, not an amount.
     *
     * @param text normalised text
     * @return the amounts in text order; empty if none
     */
    static List<Money> moneyAmounts(String text) {
        List<Money> amounts = new ArrayList<>();
        Matcher m = DIGIT_AMOUNT.matcher(text);
        while (m.find()) {
            boolean dollarSign = m.group(1) != null;
            String unit = m.group(4);
            String integer = m.group(2).replace(",", "");
            if ((!dollarSign && (unit == null || unit.equals("m"))) || ("401".equals(integer) && "k".equals(unit))) {
                continue;
            }
            BigDecimal number = new BigDecimal(integer + (m.group(3) == null ? "" : m.group(3)));
            addIfPositive(amounts, m.group().trim(), number.multiply(BigDecimal.valueOf(multiplier(unit))));
        }
        Matcher w = WORD_AMOUNT.matcher(text);
        while (w.find()) {
            OptionalDouble number = numberValue(w.group(1));
            if (number.isPresent()) {
                addIfPositive(amounts, w.group(), BigDecimal.valueOf(number.getAsDouble() * multiplier(w.group(2))));
            }
        }
        Matcher h = HALF_A_MILLION.matcher(text);
        while (h.find()) {
            amounts.add(new Money(h.group(), 500_000));
        }
        return amounts;
    }

    private static void addIfPositive(List<Money> amounts, String phrase, BigDecimal dollars) {
        long value = dollars.setScale(0, RoundingMode.HALF_UP).longValueExact();
        if (value > 0) {
            amounts.add(new Money(phrase, value));
        }
    }

    private static long multiplier(String unit) {
        if (unit == null) {
            return 1;
        }
        return switch (unit) {
            case "k", "thousand", "grand" -> 1_000L;
            case "m", "mil", "million" -> 1_000_000L;
            default -> 1L;
        };
    }

    /**
     * The time spans in a normalised text: ranges and "N+" forms anywhere, single spans only after
     * {@code in, within, next, another, over the next} or before {@code from now, out, away}.
     *
     * @param text normalised text
     * @return the spans ordered by position; empty if none
     */
    static List<Span> spans(String text) {
        List<Span> spans = new ArrayList<>();
        Matcher r = SPAN_RANGE.matcher(text);
        while (r.find()) {
            OptionalDouble upper = numberValue(r.group(2));
            if (upper.isPresent()) {
                spans.add(new Span(r.group(), r.start(), toMonths(upper.getAsDouble(), r.group(3))));
            }
        }
        Matcher p = SPAN_PLUS.matcher(text);
        while (p.find()) {
            String number = p.group(1) != null ? p.group(1) : p.group(3);
            String unit = p.group(1) != null ? p.group(2) : p.group(4);
            OptionalDouble value = numberValue(number);
            if (value.isPresent()) {
                spans.add(new Span(p.group(), p.start(), toMonths(value.getAsDouble(), unit) + MORE_THAN));
            }
        }
        Matcher s = SPAN_SINGLE.matcher(text);
        while (s.find()) {
            String number = s.group(1) != null ? s.group(1) : s.group(3);
            String unit = s.group(1) != null ? s.group(2) : s.group(4);
            OptionalDouble value = numberValue(number);
            if (value.isPresent()) {
                spans.add(new Span(s.group(), s.start(), toMonths(value.getAsDouble(), unit)));
            }
        }
        spans.sort(Comparator.comparingInt(Span::start));
        return spans;
    }

    private static double toMonths(double value, String unit) {
        return switch (unit) {
            case "day" -> value / DAYS_PER_MONTH;
            case "week" -> value / WEEKS_PER_MONTH;
            case "year" -> value * 12;
            default -> value;
        };
    }

    /**
     * The value of a number phrase: digits ({@code 1.5}, {@code 45,000}) or number words ({@code twenty five},
     * {@code a hundred and fifty}, {@code a couple of}, {@code half a}).
     *
     * @param phrase a normalised number phrase
     * @return the value, or empty if the phrase has no number in it
     */
    static OptionalDouble numberValue(String phrase) {
        String trimmed = phrase.trim().replace(",", "");
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            try {
                return OptionalDouble.of(Double.parseDouble(trimmed));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        double value = 0;
        boolean article = false;
        boolean half = false;
        boolean any = false;
        for (String word : trimmed.split("\\s+")) {
            switch (word) {
                case "a", "an" -> article = true;
                case "half" -> half = true;
                case "hundred" -> {
                    value = Math.max(value, 1) * 100;
                    any = true;
                }
                case "and", "of" -> {
                    // connectors: "a hundred and fifty", "a couple of"
                }
                default -> {
                    Integer v = WORD_VALUES.get(word);
                    if (v != null) {
                        value += v;
                        any = true;
                    }
                }
            }
        }
        if (!any && (article || half)) {
            value = 1;
            any = true;
        }
        if (!any) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(half ? value / 2 : value);
    }
}
