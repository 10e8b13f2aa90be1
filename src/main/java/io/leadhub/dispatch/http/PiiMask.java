package io.leadhub.dispatch.http;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.leadhub.support.Masking;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Masks one lead's phone and e-mail in texts meant for operators (exception messages, logs), in the spellings a
 * CRM may echo them: as given, without the leading {@code +}, URL-encoded; then any other phone number or e-mail
 * address ({@link Masking#text(String)}).
 */
public final class PiiMask {

    private PiiMask() {
    }

    /**
     * @param phone the lead's E.164 phone, or null
     * @param email the lead's e-mail, or null
     * @return a function masking them (and any other phone or e-mail) in a text; null stays null
     */
    public static UnaryOperator<String> of(String phone, String email) {
        return text -> {
            if (text == null) {
                return null;
            }
            String masked = text;
            if (email != null && !email.isBlank()) {
                masked = masked.replace(email, Masking.email(email));
                masked = masked.replace(URLEncoder.encode(email, StandardCharsets.UTF_8), Masking.email(email));
            }
            if (phone != null && !phone.isBlank()) {
                masked = masked.replace(phone, Masking.phone(phone));
                if (phone.startsWith("+") && phone.length() > 1) {
                    masked = masked.replace("%2B" + phone.substring(1), "%2B" + Masking.phone(phone.substring(1)));
                    masked = masked.replace(phone.substring(1), Masking.phone(phone.substring(1)));
                }
                String national = nationalNumber(phone);
                if (national != null && national.length() >= 7) {
                    masked = masked.replace(national, Masking.phone(national));
                }
            }
            return Masking.text(masked);
        };
    }

    /**
     * @param e164 a phone number in E.164, e.g. {@code +14045558514}
     * @return its national significant number ({@code 4045558514}), or null when it does not parse
     */
    public static String nationalNumber(String e164) {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            return util.getNationalSignificantNumber(util.parse(e164, null));
        } catch (NumberParseException e) {
            return null;
        }
    }
}
