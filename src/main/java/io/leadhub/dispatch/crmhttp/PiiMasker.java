package io.leadhub.dispatch.crmhttp;

import io.leadhub.support.Masking;
import java.util.function.UnaryOperator;

/**
 * Masks one lead's phone number and e-mail address (in the spellings a CRM echoes them: E.164, without the
 * {@code +}, and {@code %2B}-encoded) and every other phone number and e-mail in a text, before the text goes into
 * an exception message or a log line. Stateless apart from the two values.
 */
public final class PiiMasker implements UnaryOperator<String> {

    private final String phone;
    private final String email;

    /**
     * @param phone the lead's phone in E.164, or null
     * @param email the lead's e-mail, or null
     */
    public PiiMasker(String phone, String email) {
        this.phone = phone == null || phone.isBlank() ? null : phone;
        this.email = email == null || email.isBlank() ? null : email;
    }

    /**
     * @param text a CRM error text or an I/O error message, or null
     * @return the text with the lead's phone and e-mail and any other phone numbers and e-mails masked; null for null
     */
    @Override
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        if (email != null) {
            masked = masked.replace(email, Masking.email(email));
        }
        if (phone != null) {
            masked = masked.replace(phone, Masking.phone(phone));
            if (phone.startsWith("+") && phone.length() > 1) {
                String digits = phone.substring(1);
                masked = masked.replace("%2B" + digits, Masking.phone(phone));
                masked = masked.replace(digits, Masking.phone(digits));
            }
        }
        return Masking.text(masked);
    }
}
