package io.leadhub.inbound.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacTest {

    /** RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". */
    private static final String RFC4231_CASE2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    @Test
    void sha256HexMatchesRfc4231() {
        assertThat(Hmac.sha256Hex("Jefe", "what do ya want ".getBytes(StandardCharsets.UTF_8),
                "for nothing?".getBytes(StandardCharsets.UTF_8))).isEqualTo(RFC4231_CASE2);
    }

    @Test
    void matchesHexIgnoresCaseAndBlanksButNotContent() {
        byte[] mac = Hmac.sha256("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));
        assertThat(Hmac.matchesHex(mac, RFC4231_CASE2)).isTrue();
        assertThat(Hmac.matchesHex(mac, " " + RFC4231_CASE2.toUpperCase() + " ")).isTrue();
        assertThat(Hmac.matchesHex(mac, RFC4231_CASE2.substring(0, 62))).isFalse();
        assertThat(Hmac.matchesHex(mac, RFC4231_CASE2.substring(0, 63))).isFalse();
        assertThat(Hmac.matchesHex(mac, "zz" + RFC4231_CASE2.substring(2))).isFalse();
        assertThat(Hmac.matchesHex(mac, null)).isFalse();
    }

    @Test
    void secretEqualsComparesWholeValues() {
        assertThat(Hmac.secretEquals("k-123", "k-123")).isTrue();
        assertThat(Hmac.secretEquals("k-123", "k-124")).isFalse();
        assertThat(Hmac.secretEquals("k-123", "k-1234")).isFalse();
        assertThat(Hmac.secretEquals("k-123", null)).isFalse();
        assertThat(Hmac.secretEquals(null, "k")).isFalse();
    }

    @Test
    void sha256OfBytes() {
        assertThat(Hmac.sha256Hex("abc".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void refusesAnEmptyKey() {
        assertThatThrownBy(() -> Hmac.sha256("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
