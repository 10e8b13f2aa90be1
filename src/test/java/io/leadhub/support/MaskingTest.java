package io.leadhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void phoneKeepsCountryAndAreaStartAndLastTwoDigits() {
        assertThat(Masking.phone("+14045558514")).isEqualTo("+1404*****14");
        assertThat(Masking.phone("+442071838750")).isEqualTo("+4420******50");
    }

    @Test
    void shortPhoneKeepsOnlyLastTwoCharacters() {
        assertThat(Masking.phone("5558514")).isEqualTo("*****14");
        assertThat(Masking.phone("12")).isEqualTo("**");
        assertThat(Masking.phone("")).isEmpty();
    }

    @Test
    void emailKeepsFirstLetterAndDomain() {
        assertThat(Masking.email("jane.doe@example.com")).isEqualTo("j***@example.com");
        assertThat(Masking.email("@example.com")).isEqualTo("***@example.com");
        assertThat(Masking.email("jane")).isEqualTo("j***");
        assertThat(Masking.email("")).isEmpty();
    }

    @Test
    void nullStaysNull() {
        assertThat(Masking.phone(null)).isNull();
        assertThat(Masking.email(null)).isNull();
        assertThat(Masking.text(null)).isNull();
    }

    @Test
    void textMasksEveryEmailAndPhoneButLeavesIdsAndDates() {
        String text = "Email address jane.doe@example.com is invalid; phone +1 404-555-8514, "
                + "alt (404) 555-8514, other bob@corp.io. Existing ID: 12345678901 on 2025-01-15";

        assertThat(Masking.text(text)).isEqualTo("Email address j***@example.com is invalid; phone +1 40********14, "
                + "alt (404)*******14, other b***@corp.io. Existing ID: 12345678901 on 2025-01-15");
    }

    @Test
    void textWithoutPersonalDataIsUnchanged() {
        assertThat(Masking.text("Property values were not valid")).isEqualTo("Property values were not valid");
    }
}
