package io.leadhub.enrich;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Normalises phone numbers to E.164 with Google's libphonenumber.
 *
 * <p>Input: a number as a provider sent it ({@code "+1 404-555-8514"}, {@code "(404) 555-8514"},
 * {@code "4045558514"}) and the ISO 3166-1 alpha-2 region used when the number has no country code.
 * Output: E.164 ({@code "+14045558514"}) when libphonenumber considers the number possible, else empty.
 */
@Component("phoneNormalizer")
public class PhoneNormalizer {

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

    /**
     * @param raw    the number as received; null or blank gives empty
     * @param region default region for national numbers, e.g. {@code US}
     * @return the number in E.164, or empty when it cannot be parsed or is not a possible number
     */
    public Optional<String> toE164(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = util.parse(raw.trim(), region);
            if (!util.isPossibleNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
