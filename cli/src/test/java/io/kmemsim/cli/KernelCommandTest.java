package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code kmemsim kernel features}: the kernel feature table, for one version or for all. */
class KernelCommandTest {

    private static String row(String out, Feature f) {
        for (String line : out.split("\n")) {
            if (line.startsWith(f.name() + " ")) {
                return line;
            }
        }
        throw new AssertionError("no row for " + f + " in:\n" + out);
    }

    @Test
    void features_forAPointRelease_sayWhichBackportsItHas() {
        Cli r = Cli.run("kernel", "features", "--kernel", "6.1.116");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("kernel 6.1.116: ");
        assertThat(row(r.out(), Feature.ALLOC_FLAGS_REWORK)).contains(" yes ").contains("6.3+, 6.1.116+");
        assertThat(row(r.out(), Feature.HIGHATOMIC_NEEDS_GFP_HIGH)).contains(" no ");
        Cli older = Cli.run("kernel", "features", "--kernel", "6.1.115");
        assertThat(row(older.out(), Feature.ALLOC_FLAGS_REWORK)).contains(" no ");
        assertThat(older.out().split("\n")).hasSize(Feature.values().length + 2);
    }

    @Test
    void features_bareSeries_isJudgedOnItsNewestDescribedPointRelease_andFilters() {
        Cli r = Cli.run("kernel", "features", "--kernel", "6.12", "--area", "fallback", "--present");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("kernel 6.12 (judged as 6.12.117): 2 of 3 features in fallback");
        assertThat(r.out()).contains("FALLBACK_CLAIM_THEN_STEAL").contains("FALLBACK_STRICT_FREELISTS")
                .doesNotContain("FALLBACK_NO_FRAGMENT_HIGH_ORDERS");
    }

    @Test
    void features_withoutKernel_listTheWholeTable() {
        Cli r = Cli.run("kernel", "features");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("FEATURE").doesNotContain(" HAS ");
        assertThat(r.out().split("\n")).hasSize(Feature.values().length + 1);
    }

    @Test
    void features_badInput_isAUsageErrorNamingTheOption() {
        Cli r = Cli.run("kernel", "features", "--kernel", "six");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--kernel").contains("six").doesNotContain("Exception");
        Cli area = Cli.run("kernel", "features", "--area", "vm");
        assertThat(area.status()).isEqualTo(2);
        assertThat(area.err()).contains("--area").contains("unknown area \"vm\"").contains("buddy");
        Cli present = Cli.run("kernel", "features", "--present");
        assertThat(present.status()).isEqualTo(2);
        assertThat(present.err()).contains("--present needs --kernel");
    }

    @Test
    void docsTable_listsEveryFeatureWithItsVersions() throws IOException {
        String doc = Files.readString(Path.of("../docs/kernel-features.md"));
        for (Feature f : Feature.values()) {
            assertThat(doc).as("docs/kernel-features.md row of " + f)
                    .contains("| `" + f.name() + "` | " + f.area().name().toLowerCase(java.util.Locale.ROOT) + " | " + f.span() + " | ");
        }
    }
}
