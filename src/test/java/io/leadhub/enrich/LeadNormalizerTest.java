package io.leadhub.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeadNormalizerTest {

    private final LeadNormalizer normalizer = new LeadNormalizer(new PhoneNormalizer());

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "'+1 404-555-8514', US, +14045558514",
            "'(404) 555-8514', US, +14045558514",
            "4045558514, US, +14045558514",
            "'020 7946 0958', GB, +442079460958",
            "'+44 20 7946 0958', US, +442079460958"
    })
    void normalisesPhoneToE164WithTheTenantRegion(String raw, String region, String e164) {
        assertThat(normalizer.normalise(Map.of("phone_raw", raw), region)).containsEntry("phone", e164)
                .containsEntry("phone_raw", raw);
    }

    @Test
    void leavesImpossiblePhoneNull() {
        assertThat(normalizer.normalise(Map.of("phone_raw", "12"), "US").get("phone")).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource({
            "MARIA GONZALEZ, Maria, Gonzalez",
            "'Smith, John', John, Smith",
            "Mary Ann O'NEIL, Mary Ann, O'NEIL",
            "JEAN-LUC PICARD, Jean-Luc, Picard",
            "ROBERT DOWNEY JR, Robert, Downey Jr",
            "Cher, Cher, ",
            "WIRELESS CALLER, , ",
            "ATLANTA GA, , ",
    })
    void splitsCallerNames(String full, String first, String last) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("full_name", full);
        Map<String, Object> lead = normalizer.normalise(raw, "US");
        assertThat(lead.get("first_name")).isEqualTo(first);
        assertThat(lead.get("last_name")).isEqualTo(last);
    }

    @Test
    void callerIdThatIsTheCallersCityGivesNoName() {
        Map<String, Object> raw = new HashMap<>(Map.of("full_name", "MARIETTA", "city", "Marietta"));
        assertThat(normalizer.normalise(raw, "US").get("first_name")).isNull();
    }

    @Test
    void lowerCasesEmailAndDropsNonAddresses() {
        assertThat(normalizer.email("  Maria.Gonzalez@Example.COM ")).isEqualTo("maria.gonzalez@example.com");
        assertThat(normalizer.email("n/a")).isNull();
        assertThat(normalizer.email(null)).isNull();
    }

    @Test
    void everyCanonicalKeyIsPresent() {
        assertThat(normalizer.normalise(Map.of(), "US")).containsOnlyKeys("phone", "phone_raw", "email",
                "first_name", "last_name", "full_name", "city", "state", "country");
    }

    @Test
    void keepsFirstAndLastNameAsSentInsteadOfResplittingThem() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("first_name", "Mary Ann");
        raw.put("last_name", "Van Dyke");
        raw.put("full_name", "ignored when the parts are given");
        Map<String, Object> lead = normalizer.normalise(raw, "US");
        assertThat(lead).containsEntry("first_name", "Mary Ann").containsEntry("last_name", "Van Dyke")
                .containsEntry("full_name", "Mary Ann Van Dyke");

        Map<String, Object> upper = new HashMap<>();
        upper.put("last_name", "O'NEILL");
        assertThat(normalizer.normalise(upper, "US")).containsEntry("first_name", null)
                .containsEntry("last_name", "O'Neill").containsEntry("full_name", "O'Neill");
    }
}
