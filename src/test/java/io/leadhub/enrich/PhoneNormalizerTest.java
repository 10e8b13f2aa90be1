package io.leadhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNormalizerTest {

    private final PhoneNormalizer phones = new PhoneNormalizer();

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "'+1 404-555-8514', US, +14045558514",
            "'(404) 555-8514', US, +14045558514",
            "404.555.8514, US, +14045558514",
            "4045558514, US, +14045558514",
            "14045558514, US, +14045558514",
            "'  +14045558514  ', US, +14045558514",
            "'020 7946 0958', GB, +442079460958",
            "'030 901820', DE, +4930901820",
            "'(416) 555-0199', CA, +14165550199"
    })
    void formatsNationalAndInternationalNumbersAsE164(String raw, String region, String e164) {
        assertThat(phones.toE164(raw, region)).contains(e164);
    }

    @Test
    void aCountryCodeInTheNumberWinsOverTheRegion() {
        assertThat(phones.toE164("+44 20 7946 0958", "US")).contains("+442079460958");
        assertThat(phones.toE164("+1 404 555 8514", "GB")).contains("+14045558514");
    }

    @Test
    void theSameNationalNumberDependsOnTheRegion() {
        assertThat(phones.toE164("020 7946 0958", "GB")).contains("+442079460958");
        assertThat(phones.toE164("020 7946 0958", "US")).isEmpty();
    }

    @Test
    void internationalNumbersNeedNoRegion() {
        assertThat(phones.toE164("+1 404 555 8514", null)).contains("+14045558514");
    }

    @Test
    void nationalNumbersWithoutARegionCannotBeParsed() {
        assertThat(phones.toE164("(404) 555-8514", null)).isEmpty();
        assertThat(phones.toE164("(404) 555-8514", "ZZ")).isEmpty();
    }

    @Test
    void dropsAnExtension() {
        assertThat(phones.toE164("404-555-8514 ext. 12", "US")).contains("+14045558514");
    }

    @Test
    void keepsAPossibleNumberEvenIfNotAssigned() {
        // 555-0100..0199 are fictional, yet of a possible length: the hub keeps what the caller ID said
        assertThat(phones.toE164("(404) 555-0100", "US")).contains("+14045550100");
    }

    @ParameterizedTest(name = "\"{0}\" -> empty")
    @ValueSource(strings = {"12", "555", "abc", "anonymous", "+", "++1", "404-555-85144-7777-1234", "+999 1234 5678"})
    void junkGivesEmpty(String raw) {
        assertThat(phones.toE164(raw, "US")).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" -> empty")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void nullOrBlankGivesEmpty(String raw) {
        assertThat(phones.toE164(raw, "US")).isEmpty();
    }
}
