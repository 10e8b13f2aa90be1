package io.leadhub.enrich.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A call transcript normalised for keyword rules, with phrase matching that knows about negation.
 *
 * <p>Normalisation (see {@link #normalize(String)}): lower case; typographic quotes and dashes made ASCII; a hyphen
 * between letters becomes a space ({@code high-end} = {@code high end}, {@code in-law} = {@code in law}); a hyphen
 * between digits is kept ({@code 1-3}); the characters {@code $ + ' . , ; : ! ?} are kept, every other symbol becomes a
 * space; hesitation fillers ({@code uh, um, hmm, erm}) are dropped; runs of whitespace become one space.
 *
 * <p>Negation (see {@link #isNegated(int)}): a match is negated when one of the {@link #NEGATION_WINDOW} words before
 * it, in the same clause, is a negator ({@code not, no, never, nothing, without, hardly, nor, cannot} or a
 * {@code n't} contraction). A clause ends at {@code . , ; : ! ?} and at the word {@code but}. A negator does not
 * negate when directly followed by {@code only, just, sure, know, later, more, less} ("not only the kitchen", "not
 * sure", "don't know how much", "no later than") or when {@code until} or {@code till} stands between it and the match
 * ("can't start until next year").
 */
final class TranscriptText {

    /** How many words before a match are searched for a negator. */
    static final int NEGATION_WINDOW = 3;

    private static final Pattern TYPOGRAPHIC_APOSTROPHES = Pattern.compile("[\u2018\u2019\u201B\u02BC`\u00B4]");
    private static final Pattern DASHES = Pattern.compile("[\u2010-\u2015\u2212]");
    private static final Pattern DIGIT_RANGE = Pattern.compile("(\\d)\\s*-\\s*(\\d)");
    private static final Pattern LETTER_HYPHEN = Pattern.compile("(?<=[a-z])-(?=[a-z])");
    private static final Pattern STRAY_HYPHEN = Pattern.compile("(?<!\\d)-|-(?!\\d)");
    private static final Pattern DISALLOWED = Pattern.compile("[^a-z0-9$+'.,;:!?\\- ]");
    private static final Pattern FILLERS = Pattern.compile("\\b(?:u+h+|u+m+|u+h+m+|h+m+|e+r+m+)\\b");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern CLAUSE_BREAK = Pattern.compile("[.,;:!?]|\\bbut\\b");

    private static final Set<String> NEGATORS = Set.of(
            "not", "no", "never", "nothing", "without", "hardly", "nor", "cannot",
            "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wouldnt", "shouldnt",
            "wont", "havent", "hasnt", "hadnt", "aint");
    private static final Set<String> NOT_NEGATING_NEXT_WORDS = Set.of(
            "only", "just", "sure", "know", "later", "more", "less");
    private static final Set<String> SCOPE_ENDERS = Set.of("until", "till");

    private final String text;

    /**
     * Normalises a transcript.
     *
     * @param raw the transcript; must not be null
     */
    TranscriptText(String raw) {
        this.text = normalize(raw);
    }

    /**
     * Normalises text as described in the class comment.
     *
     * @param raw any text; must not be null
     * @return the normalised text, possibly empty
     */
    static String normalize(String raw) {
        String s = raw.toLowerCase(Locale.ROOT);
        s = TYPOGRAPHIC_APOSTROPHES.matcher(s).replaceAll("'");
        s = DASHES.matcher(s).replaceAll("-");
        s = DIGIT_RANGE.matcher(s).replaceAll("$1-$2");
        s = LETTER_HYPHEN.matcher(s).replaceAll(" ");
        s = DISALLOWED.matcher(s).replaceAll(" ");
        s = STRAY_HYPHEN.matcher(s).replaceAll(" ");
        s = FILLERS.matcher(s).replaceAll(" ");
        return WHITESPACE.matcher(s).replaceAll(" ").trim();
    }

    /**
     * The normalised text.
     *
     * @return the text the patterns run on
     */
    String text() {
        return text;
    }

    /**
     * All matches of a pattern, left to right, each flagged as negated or not.
     *
     * @param pattern a pattern written against normalised text
     * @return the matches; empty if none
     */
    List<Hit> find(Pattern pattern) {
        List<Hit> hits = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            hits.add(new Hit(m.group(), m.start(), isNegated(m.start())));
        }
        return hits;
    }

    /**
     * Whether the text at {@code start} is in the scope of a negator (see the class comment).
     *
     * @param start an index into {@link #text()}
     * @return true if negated
     */
    boolean isNegated(int start) {
        String before = text.substring(0, start);
        int clauseStart = 0;
        Matcher breaks = CLAUSE_BREAK.matcher(before);
        while (breaks.find()) {
            clauseStart = breaks.end();
        }
        String clause = before.substring(clauseStart).trim();
        if (clause.isEmpty()) {
            return false;
        }
        String[] words = clause.split(" ");
        for (int i = words.length - 1; i >= Math.max(0, words.length - NEGATION_WINDOW); i--) {
            if (SCOPE_ENDERS.contains(words[i])) {
                return false;
            }
            String next = i + 1 < words.length ? words[i + 1] : "";
            if (isNegator(words[i]) && !NOT_NEGATING_NEXT_WORDS.contains(next)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNegator(String word) {
        return word.endsWith("n't") || NEGATORS.contains(word);
    }

    /**
     * One pattern match.
     *
     * @param phrase  the matched normalised text
     * @param start   where it starts in the normalised text
     * @param negated whether a negator precedes it in the same clause
     */
    record Hit(String phrase, int start, boolean negated) {
    }
}
