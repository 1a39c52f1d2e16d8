package io.kmemsim.engine.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.engine.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void parse_readsNameAndOverrides() {
        Variant v = Variant.parse("linux+none: fallback.id=linux, compaction.id=none");

        assertThat(v.name()).isEqualTo("linux+none");
        assertThat(v.overrides()).containsExactly("fallback.id=linux", "compaction.id=none");
    }

    @Test
    void parse_keepsCommasInsideValues() {
        Variant v = Variant.parse("w: workload.options.weights=fragmenter:3,thp:1,workload.options.orders=[0,9],seed=3");

        assertThat(v.overrides()).containsExactly("workload.options.weights=fragmenter:3,thp:1",
                "workload.options.orders=[0,9]", "seed=3");
    }

    @Test
    void parse_nameAloneIsTheBase() {
        assertThat(Variant.parse("base:")).isEqualTo(new Variant("base", List.of()));
        assertThat(Variant.parse("grouping-off: fallback=null").overrides()).containsExactly("fallback=null");
    }

    @Test
    void parse_refusesTextWithoutAName() {
        assertThatThrownBy(() -> Variant.parse("fallback.id=linux"))
                .isInstanceOf(InputException.class)
                .hasMessage("--variant: a variant is written 'name: key=value,key=value,...': \"fallback.id=linux\"");
        assertThatThrownBy(() -> Variant.parse(" : seed=1"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("the variant name before ':' is empty");
        assertThatThrownBy(() -> Variant.parse("a: seed"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("expected key=value after the name: \"seed\"");
    }

    @Test
    void toString_isWhatParseReads() {
        Variant v = Variant.parse("a: seed=1,fallback=null");
        assertThat(Variant.parse(v.toString())).isEqualTo(v);
    }
}
