package io.leadhub.enrich.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TranscriptTextTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            High-End KITCHEN!!                 | high end kitchen!!
            'in-law'   suite                   | 'in law' suite
            1 - 3 months                       | 1-3 months
            we don\u2019t \u2014 um \u2014 know     | we don't know
            "$50,000" (firm)                   | $50,000 firm
            6+ months                          | 6+ months
            """)
    void normalisesCaseHyphensPunctuationAndFillers(String raw, String expected) {
        assertThat(TranscriptText.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" negated={1}")
    @CsvSource(delimiter = '|', textBlock = """
            i'm not happy                       | true
            we aren't very happy                | true
            never been so happy                 | true
            not, happy                          | false
            not bad but happy                   | false
            not only happy                      | false
            no, we were not at all really happy | false
            happy                               | false
            not until we are happy              | false
            """)
    void detectsNegationWithinThreeWordsOfTheSameClause(String text, boolean negated) {
        TranscriptText transcript = new TranscriptText(text);

        assertThat(transcript.find(Pattern.compile("\\bhappy\\b")))
                .singleElement().satisfies(hit -> assertThat(hit.negated()).isEqualTo(negated));
    }
}
