package io.leadhub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CelValuesTest {

    @Test
    void javaNumbersBecomeCelIntOrDouble() {
        assertThat(CelValues.toCel(5)).isEqualTo(5L);
        assertThat(CelValues.toCel((short) 5)).isEqualTo(5L);
        assertThat(CelValues.toCel((byte) 5)).isEqualTo(5L);
        assertThat(CelValues.toCel(BigInteger.TEN)).isEqualTo(10L);
        assertThat(CelValues.toCel(1.5f)).isEqualTo(1.5d);
        assertThat(CelValues.toCel(new BigDecimal("2.25"))).isEqualTo(2.25d);
        assertThat(CelValues.toCel(7L)).isEqualTo(7L);
    }

    @Test
    void javaNullBecomesCelNullAlsoInsideCollections() {
        assertThat(CelValues.toCel(null)).isSameAs(NullValue.NULL_VALUE);
        Map<String, Object> lead = new HashMap<>();
        lead.put("email", null);
        lead.put("tags", Arrays.asList("a", null));
        lead.put("nested", Map.of("n", 1));

        @SuppressWarnings("unchecked")
        Map<Object, Object> cel = (Map<Object, Object>) CelValues.toCel(lead);
        assertThat(cel.get("email")).isSameAs(NullValue.NULL_VALUE);
        assertThat(cel.get("tags")).isEqualTo(List.of("a", NullValue.NULL_VALUE));
        assertThat(cel.get("nested")).isEqualTo(Map.of("n", 1L));
    }

    @Test
    void unsupportedTypesAreRejectedByClassName() {
        assertThatThrownBy(() -> CelValues.toCel(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void celResultsBecomePlainMutableJava() {
        assertThat(CelValues.fromCel(NullValue.NULL_VALUE)).isNull();
        assertThat(CelValues.fromCel(UnsignedLong.valueOf(3))).isEqualTo(3L);
        assertThat(CelValues.fromCel(Instant.parse("2026-11-21T10:15:30Z"))).isEqualTo("2026-11-21T10:15:30Z");
        assertThat(CelValues.fromCel(Duration.ofHours(1))).isEqualTo("PT1H");

        Object list = CelValues.fromCel(ImmutableList.of(1L, NullValue.NULL_VALUE, UnsignedLong.ONE));
        assertThat(list).isInstanceOf(ArrayList.class).isEqualTo(Arrays.asList(1L, null, 1L));
        Object map = CelValues.fromCel(ImmutableMap.of("a", ImmutableList.of("x"), "b", NullValue.NULL_VALUE));
        assertThat(map).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        assertThat(m.get("a")).isInstanceOf(ArrayList.class);
        assertThat(m).containsEntry("b", null);
    }
}
