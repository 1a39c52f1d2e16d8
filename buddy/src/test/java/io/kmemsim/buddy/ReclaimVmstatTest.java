package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.testkit.support.TestProviderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reclaim counters the allocator reports are named and ordered as a real Debian 6.1.192 arm64
 * kernel prints them in /proc/vmstat (the bench run fixtures/bundles/arm64-2G-4cpu-kpf).
 */
class ReclaimVmstatTest {

    private static final Path REAL = Path.of("..", "fixtures", "bundles", "arm64-2G-4cpu-kpf", "vmstat.after.txt");

    @Test
    void reclaimCounters_existInTheRealFile_inItsOrder() throws IOException {
        List<String> real = new ArrayList<>();
        for (String line : Files.readAllLines(REAL)) {
            real.add(line.substring(0, line.indexOf(' ')));
        }
        BuddyPageAllocator a = (BuddyPageAllocator) new BuddyProvider().create(new BuddyOptions(),
                TestProviderContext.builder().platform(Machines.twoZones()).kernel("6.1")
                        .reclaimPolicy(new ReclaimTest.TailReclaimer()).build());
        List<String> ours = new ArrayList<>();
        a.forEachCounter((name, value) -> ours.add(name));
        Set<String> reclaimNames = Set.of("nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
                "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_inactive_anon",
                "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable", "workingset_refault_file",
                "nr_anon_pages", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_dirtied", "nr_written");
        List<String> added = ours.stream()
                .filter(n -> reclaimNames.contains(n) || List.of(ReclaimCounters.EVENTS).contains(n) || n.startsWith("pgskip_"))
                .toList();
        assertThat(added).hasSize(reclaimNames.size() + ReclaimCounters.EVENTS.length + a.zones.length);
        assertThat(real).containsAll(added);
        List<String> realOrder = real.stream().filter(added::contains).toList();
        assertThat(added).isEqualTo(realOrder);
    }
}
