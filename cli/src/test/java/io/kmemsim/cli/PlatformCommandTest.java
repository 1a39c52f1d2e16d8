package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code kmemsim platform list|show}, run directly with picocli. Golden boot lines are worked by hand from
 * arch/arm64/mm/init.c: zone_sizes_init() (6.1); mm/page_alloc.c: free_area_init() (6.1); kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-memory-maps.
 */
class PlatformCommandTest {

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PlatformCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    @DisplayName("list prints every platform id with its description, by id")
    void list_allPlatforms() {
        Result r = run("list");
        assertThat(r.status()).isZero();
        List<String> ids = r.out().lines().map(l -> l.split(" ")[0]).toList();
        assertThat(ids).containsExactly("arm64-generic", "arm64-virt", "rock5b-plus-16g", "rock5b-plus-24g",
                "rock5b-plus-32g", "rock5b-plus-4g", "rock5b-plus-8g");
        assertThat(r.out()).contains("rock5b-plus-8g   Radxa ROCK 5B+ (RK3588, 4x Cortex-A76 + 4x Cortex-A55) with 8 GB");
    }

    @Test
    @DisplayName("show rock5b-plus-8g on mainline 6.12: the ROCK 5A 8 GB log's lines, Memory total exact")
    void show_8gMainline612() {
        Result r = run("show", "rock5b-plus-8g", "--kernel", "6.12", "--no-notes");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(String.join("\n",
                "Zone ranges:",
                "  DMA      [mem 0x0000000000200000-0x00000000ffffffff]",
                "  DMA32    empty",
                "  Normal   [mem 0x0000000100000000-0x00000002ffffffff]",
                "Movable zone start for each node",
                "Early memory node ranges",
                "  node   0: [mem 0x0000000000200000-0x00000000efffffff]",
                "  node   0: [mem 0x0000000100000000-0x00000001ffffffff]",
                "  node   0: [mem 0x00000002f0000000-0x00000002ffffffff]",
                "Initmem setup node 0 [mem 0x0000000000200000-0x00000002ffffffff]",
                "On node 0, zone DMA: 512 pages in unavailable ranges",
                "cma: Reserved 32 MiB at 0x00000000ee000000 on node -1",
                "Built 1 zonelists, mobility grouping on.  Total pages: 2096640",
                // reservation model (engine bootlog BootReservations) with the 6.12 image sizes; the real ROCK 5A
                // 6.12 log prints 8051128K available and 294792K reserved (its initrd is not modelled)
                "Memory: ~8081592K/8386560K available (~17344K kernel code, ~4898K rwdata, ~11908K rodata, ~10496K init,"
                        + " ~734K bss, ~272200K reserved, 32768K cma-reserved)",
                ""));
    }

    @Test
    @DisplayName("show rock5b-plus-8g on the 6.1 BSP: available within 1 % of Radxa's real 6.1 log (7840408K/8386560K)")
    void show_8gBsp61_availableNearTheRealLog() {
        Result r = run("show", "rock5b-plus-8g", "--kernel", "6.1", "--no-notes");
        assertThat(r.status()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Memory: ~(\\d+)K/(\\d+)K available").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(2))).isEqualTo(8386560);
        // Rockchip's BSP kernel does not defer struct-page init: available = present − reserved − CMA
        assertThat(Long.parseLong(m.group(1))).isCloseTo(7840408, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    @DisplayName("show rock5b-plus-8g legacy on the 6.1 BSP: vendor CMA pool, OP-TEE hole, 6.1 memmap subtraction")
    void show_8gLegacyBsp61() {
        Result r = run("show", "rock5b-plus-8g", "--firmware", "legacy", "--kernel", "6.1", "--no-notes");
        assertThat(r.status()).isZero();
        // Total: DMA 978432 − 978432×64/4096 (15288) + Normal 1048576 − 16384 = 1995336 (mm/page_alloc.c: build_all_zonelists() (6.1); arch/arm64/mm/init.c: zone_sizes_init() (6.1))
        assertThat(r.out()).isEqualTo(String.join("\n",
                "Reserved memory: created CMA memory pool at 0x0000000010000000, size 256 MiB",
                "Zone ranges:",
                "  DMA      [mem 0x0000000000200000-0x00000000ffffffff]",
                "  DMA32    empty",
                "  Normal   [mem 0x0000000100000000-0x00000001ffffffff]",
                "Movable zone start for each node",
                "Early memory node ranges",
                "  node   0: [mem 0x0000000000200000-0x00000000083fffff]",
                "  node   0: [mem 0x0000000009400000-0x00000000efffffff]",
                "  node   0: [mem 0x0000000100000000-0x00000001ffffffff]",
                "Initmem setup node 0 [mem 0x0000000000200000-0x00000001ffffffff]",
                "On node 0, zone DMA: 512 pages in unavailable ranges",
                "On node 0, zone DMA: 4096 pages in unavailable ranges",
                "Built 1 zonelists, mobility grouping on.  Total pages: 1995336",
                // Rockchip's 6.1 BSP kernel has no deferred struct-page init (Radxa's real 6.1 log: available =
                // present − reserved − CMA): 8108032 − 254888 − 262144 = 7591000
                "Memory: ~7591000K/8108032K available (~13248K kernel code, ~2806K rwdata, ~9524K rodata, ~6464K init,"
                        + " ~627K bss, ~254888K reserved, 262144K cma-reserved)",
                ""));
    }

    @Test
    @DisplayName("show rock5b-plus-16g vendor on 6.18: the BDY G98 log's node, unavailable and Total lines")
    void show_16gVendor618() {
        Result r = run("show", "rock5b-plus-16g", "--firmware", "vendor", "--kernel", "6.18");
        assertThat(r.status()).isZero();
        assertThat(r.out().lines().toList()).containsSubsequence(
                "  node   0: [mem 0x0000000000200000-0x00000000083fffff]",
                "  node   0: [mem 0x0000000009400000-0x00000000efffffff]",
                "  node   0: [mem 0x0000000100000000-0x00000003fbffffff]",
                "  node   0: [mem 0x00000003fc500000-0x00000003ffefffff]",
                "  node   0: [mem 0x00000004f0000000-0x00000004ffffffff]",
                "On node 0, zone DMA: 512 pages in unavailable ranges",
                "On node 0, zone DMA: 4096 pages in unavailable ranges",
                "On node 0, zone Normal: 1280 pages in unavailable ranges",
                "On node 0, zone Normal: 256 pages in unavailable ranges",
                "Built 1 zonelists, mobility grouping on.  Total pages: 4188160");
        assertThat(r.out()).contains("K/16752640K available").contains("# line 19 (estimated): exact: the total after '/'");
    }

    static Stream<Arguments> everyPresetGranuleFirmware() {
        List<Arguments> all = new ArrayList<>();
        for (String size : List.of("4g", "8g", "16g", "24g", "32g")) {
            for (String granule : List.of("4K", "16K", "64K")) {
                for (String firmware : List.of("mainline", "vendor", "legacy", "legacy-mainline")) {
                    all.add(Arguments.of("rock5b-plus-" + size, granule, firmware));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyPresetGranuleFirmware")
    @DisplayName("every preset, granule and firmware renders on 6.12 with exact zone and node lines")
    void show_everyPreset(String name, String granule, String firmware) {
        Result r = run("show", name, "--granule", granule, "--firmware", firmware, "--kernel", "6.12", "--no-notes");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Zone ranges:");
        assertThat(lines.get(1)).isEqualTo("  DMA      [mem 0x0000000000200000-0x00000000" + (name.endsWith("-4g")
                && firmware.startsWith("legacy") ? "efffffff]" : "ffffffff]"));
        assertThat(lines.get(2)).isEqualTo("  DMA32    empty");
        long kib = lines.stream().filter(l -> l.startsWith("Memory:")).findFirst().map(l -> Long.parseLong(
                l.substring(l.indexOf('/') + 1, l.indexOf("K available")))).orElseThrow();
        long pageKib = Long.parseLong(granule.replace("K", ""));
        assertThat(lines).contains("Built 1 zonelists, mobility grouping on.  Total pages: " + kib / pageKib);
    }

    @Test
    @DisplayName("arm64-virt and arm64-generic take their options with -o")
    void show_virtAndGeneric() {
        Result virt = run("show", "arm64-virt", "-o", "size=4G", "--no-notes");
        assertThat(virt.status()).isZero();
        assertThat(virt.out()).contains("  DMA      [mem 0x0000000040000000-0x00000000ffffffff]", "  Normal   [mem 0x0000000100000000-0x000000013fffffff]");
        Result generic = run("show", "arm64-generic", "-o", "banks=[0x80000000+1G, 0x100000000+1G]", "-o", "dma-limit=0x3fffffff");
        assertThat(generic.status()).as(generic.err()).isZero();
        assertThat(generic.out()).contains("  node   0: [mem 0x0000000100000000-0x000000013fffffff]");
    }

    @Test
    @DisplayName("an unknown platform exits 2 listing the platforms")
    void show_unknownPlatform() {
        Result r = run("show", "rock5c");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown platform id 'rock5c'").contains("rock5b-plus-8g").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("an unknown firmware exits 2 listing the firmware values")
    void show_unknownFirmware() {
        Result r = run("show", "rock5b-plus-8g", "--firmware", "uefi");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("option firmware must be one of mainline, vendor, legacy, legacy-mainline: uefi");
    }

    @Test
    @DisplayName("an unknown granule exits 2 listing the granules")
    void show_unknownGranule() {
        Result r = run("show", "rock5b-plus-8g", "--granule", "8K");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("option granule must be one of 4K, 16K, 64K: 8K");
    }

    @Test
    @DisplayName("an option the platform does not have exits 2 listing its options")
    void show_optionNotOfPlatform() {
        Result r = run("show", "arm64-virt", "--firmware", "vendor");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("platform show: firmware: unknown key; valid keys: size, cpus, granule, cma");
    }

    @Test
    @DisplayName("-o values follow the scenario's rules and messages: a list is [a, b], a typo gets a suggestion, numbers are checked")
    void show_optionsBoundLikeAScenario() {
        Result commas = run("show", "arm64-generic", "-o", "banks=0x80000000+1G,0x100000000+1G");
        assertThat(commas.status()).isEqualTo(2);
        assertThat(commas.err()).contains("platform show: banks: expected a list: \"0x80000000+1G,0x100000000+1G\"")
                .doesNotContain("\tat ");
        Result typo = run("show", "arm64-virt", "-o", "sise=4G", "-o", "cpus=many");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("platform show: sise: unknown key (did you mean 'size'?)",
                "platform show: cpus: expected an integer: \"many\"");
    }

    @Test
    @DisplayName("a bad kernel version and an unsupported kernel exit 2")
    void show_badKernel() {
        assertThat(run("show", "rock5b-plus-8g", "--kernel", "six").status()).isEqualTo(2);
        Result r = run("show", "rock5b-plus-8g", "--kernel", "6.6");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("supports kernels 5.10 and 6.1 (Rockchip BSP) and 6.12 or later");
    }

    @Test
    @DisplayName("arm64-generic without banks exits 2 naming the option")
    void show_genericWithoutBanks() {
        Result r = run("show", "arm64-generic");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("platform show: banks: missing required key"); // @Required, as in a scenario
    }
}
