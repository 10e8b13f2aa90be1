package io.leadhub.enrich;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Normalises the person fields of a lead.
 *
 * <ul>
 *   <li>{@code phone}: E.164 via {@link PhoneNormalizer} with the tenant's default region (null when the number
 *       is not a possible number; the original stays in {@code phone_raw}).</li>
 *   <li>{@code full_name} → {@code first_name} / {@code last_name}: caller-ID names (CNAM, often upper-case) are
 *       title-cased; {@code "Last, First"} is swapped; suffixes (Jr, Sr, II, III, IV) stay with the last name;
 *       caller-ID placeholders ({@code WIRELESS CALLER}, {@code UNKNOWN}, {@code ATLANTA GA}-style city/state
 *       names) give no name. When the source sent the parts ({@code first_name} and/or {@code last_name}, e.g. a
 *       web form), they are kept as sent (only upper-case text is title-cased) rather than re-split, so
 *       "Mary Ann" + "Van Dyke" stays that way.</li>
 *   <li>{@code email}: trimmed, lower-cased; null when it has no {@code @}.</li>
 * </ul>
 */
@Component("leadNormalizer")
public class LeadNormalizer {

    private static final Set<String> PLACEHOLDER_NAMES = Set.of("WIRELESS CALLER", "UNKNOWN", "UNKNOWN CALLER",
            "UNAVAILABLE", "PRIVATE", "PRIVATE CALLER", "ANONYMOUS", "RESTRICTED", "TOLL FREE", "TOLL FREE CALL",
            "CELL PHONE", "NO CALLER ID", "OUT OF AREA", "V", "NAME UNAVAILABLE");
    private static final Set<String> SUFFIXES = Set.of("JR", "JR.", "SR", "SR.", "II", "III", "IV");
    private static final Set<String> US_STATES = Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
            "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
            "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA",
            "WA", "WV", "WI", "WY", "DC");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final PhoneNormalizer phones;

    /** @param phones E.164 normaliser */
    public LeadNormalizer(PhoneNormalizer phones) {
        this.phones = phones;
    }

    /**
     * @param rawLead person fields as parsed from the webhook (phone_raw, full_name, first_name, last_name, email,
     *                city, state, country; any may be absent)
     * @param region  ISO 3166-1 alpha-2 default region for national numbers
     * @return a new map with every canonical lead key: phone, phone_raw, email, first_name, last_name, full_name,
     *         city, state, country (contact_id, returning and source are added later)
     */
    public Map<String, Object> normalise(Map<String, Object> rawLead, String region) {
        Map<String, Object> lead = new LinkedHashMap<>();
        String phoneRaw = str(rawLead.get("phone_raw"));
        lead.put("phone", phones.toE164(phoneRaw, region).orElse(null));
        lead.put("phone_raw", phoneRaw);
        lead.put("email", email(str(rawLead.get("email"))));
        String first = str(rawLead.get("first_name"));
        String last = str(rawLead.get("last_name"));
        String[] name = first != null || last != null
                ? new String[] {titleIfUpper(first), titleIfUpper(last)}
                : splitName(str(rawLead.get("full_name")), str(rawLead.get("city")), str(rawLead.get("state")));
        lead.put("first_name", name[0]);
        lead.put("last_name", name[1]);
        lead.put("full_name", name[0] == null ? name[1] : name[1] == null ? name[0] : name[0] + " " + name[1]);
        lead.put("city", titleIfUpper(str(rawLead.get("city"))));
        lead.put("state", str(rawLead.get("state")));
        lead.put("country", str(rawLead.get("country")));
        return lead;
    }

    /**
     * @param email an e-mail address as received
     * @return trimmed and lower-cased, or null when blank or without {@code @}
     */
    public String email(String email) {
        if (email == null || email.isBlank() || !email.contains("@")) {
            return null;
        }
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @param fullName caller name as received, e.g. {@code "JOHN SMITH"}, {@code "Smith, John"}
     * @param city     the caller's city (to recognise city/state caller-ID names), or null
     * @param state    the caller's state, or null
     * @return {@code [first, last]}; either may be null
     */
    public String[] splitName(String fullName, String city, String state) {
        if (fullName == null) {
            return new String[] {null, null};
        }
        String name = SPACES.matcher(fullName.trim()).replaceAll(" ");
        String upper = name.toUpperCase(Locale.ROOT);
        if (name.isEmpty() || PLACEHOLDER_NAMES.contains(upper) || looksLikePlace(upper, city, state)
                || name.chars().noneMatch(Character::isLetter)) {
            return new String[] {null, null};
        }
        if (name.contains(",")) {
            String[] parts = name.split(",", 2);
            String last = parts[0].trim();
            String first = parts[1].trim();
            name = first.isEmpty() ? last : first + " " + last;
        }
        name = titleIfUpper(name);
        List<String> tokens = new ArrayList<>(Arrays.asList(name.split(" ")));
        if (tokens.size() == 1) {
            return new String[] {tokens.get(0), null};
        }
        String suffix = null;
        if (tokens.size() > 2 && SUFFIXES.contains(tokens.get(tokens.size() - 1).toUpperCase(Locale.ROOT))) {
            suffix = tokens.remove(tokens.size() - 1);
        }
        String last = tokens.remove(tokens.size() - 1) + (suffix == null ? "" : " " + suffix);
        return new String[] {String.join(" ", tokens), last};
    }

    private static boolean looksLikePlace(String upperName, String city, String state) {
        String[] tokens = upperName.split(" ");
        String lastToken = tokens[tokens.length - 1];
        if (tokens.length >= 2 && US_STATES.contains(lastToken)) {
            String place = upperName.substring(0, upperName.length() - lastToken.length()).trim();
            return city == null || place.equalsIgnoreCase(city) || lastToken.equalsIgnoreCase(state);
        }
        return city != null && upperName.equalsIgnoreCase(city);
    }

    private static String titleIfUpper(String s) {
        if (s == null || !s.equals(s.toUpperCase(Locale.ROOT))) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == ' ' || c == '-' || c == '\'';
        }
        return out.toString();
    }

    private static String str(Object o) {
        if (o == null) {
            return null;
        }
        String s = o.toString().trim();
        return s.isEmpty() ? null : s;
    }
}
