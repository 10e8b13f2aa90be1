package io.leadhub.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data (phone numbers, e-mail addresses) before it goes into log lines, exception messages or
 * anything else an operator reads. The masked form keeps just enough to tell two values apart while
 * debugging ({@code +1404*****14}, {@code j***@example.com}).
 *
 * <p>Stateless and thread-safe; all methods accept {@code null} and return {@code null} for it.
 */
public final class Masking {

    /** E-mail addresses in free text. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    /**
     * Phone numbers in free text: international ({@code +} followed by at least 7 digits, optionally
     * separated by spaces, dots, dashes or parentheses) or NANP-style ({@code (404) 555-8514},
     * {@code 404-555-8514}). Bare digit runs are left alone: they are usually record ids.
     */
    private static final Pattern PHONE = Pattern.compile(
            "\\+\\d[\\d ().-]{5,}\\d|\\(?\\b\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}\\b");

    private Masking() {
    }

    /**
     * Masks a phone number: keeps the first five characters (the {@code +}, country code and start of the
     * area code in E.164) and the last two, and replaces the rest by {@code *}. Values shorter than nine
     * characters keep only their last two characters; values of two characters or fewer are fully masked.
     *
     * @param phone a phone number in any format, e.g. {@code +14045558514}, or null
     * @return the masked number, e.g. {@code +1404*****14}, of the same length; null for null
     */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        int n = phone.length();
        if (n >= 9) {
            return phone.substring(0, 5) + "*".repeat(n - 7) + phone.substring(n - 2);
        }
        if (n > 2) {
            return "*".repeat(n - 2) + phone.substring(n - 2);
        }
        return "*".repeat(n);
    }

    /**
     * Masks an e-mail address: keeps the first character of the local part and the whole domain.
     *
     * @param email an e-mail address, e.g. {@code jane.doe@example.com}, or null
     * @return the masked address, e.g. {@code j***@example.com}; a value without {@code @} keeps only its
     *         first character ({@code j***}); the empty string stays empty; null for null
     */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        if (email.isEmpty()) {
            return email;
        }
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return email.charAt(0) + "***";
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        return (local.isEmpty() ? "" : local.substring(0, 1)) + "***@" + domain;
    }

    /**
     * Masks every e-mail address ({@link #email(String)}) and phone number ({@link #phone(String)}) found in
     * a free text, such as an error message returned by a CRM that echoes the values it rejected.
     *
     * @param text any text, or null
     * @return the text with e-mail addresses and phone numbers masked; null for null
     */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = replaceAll(EMAIL.matcher(text), true);
        return replaceAll(PHONE.matcher(masked), false);
    }

    private static String replaceAll(Matcher matcher, boolean email) {
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String found = matcher.group();
            matcher.appendReplacement(out, Matcher.quoteReplacement(email ? email(found) : phone(found)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
