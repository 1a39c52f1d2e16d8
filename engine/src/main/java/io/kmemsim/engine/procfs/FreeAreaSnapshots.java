package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.procfs.Pagetypeinfo.ZoneTypes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link FreeAreaSnapshot} from a {@code /proc/buddyinfo} file and, optionally, the
 * {@code /proc/pagetypeinfo} of the same moment.
 *
 * <p>The two files must list the same zones in the same order with the same number of orders;
 * otherwise the pagetypeinfo is rejected naming the zone. The per-type counts are not required to add
 * up to the buddyinfo counts (two files read one after the other are not taken at the same instant,
 * and a count printed as {@code >100000} is only a lower bound); each is kept as printed.
 */
public final class FreeAreaSnapshots {

    private FreeAreaSnapshots() {
    }

    /** Reads the files; {@code pagetypeinfo} may be null. File errors are reported as input problems. */
    public static FreeAreaSnapshot read(Path buddyinfo, Path pagetypeinfo) {
        FreeAreaSnapshot b;
        try (BufferedReader r = open(buddyinfo)) {
            b = BuddyinfoParser.parse(r, buddyinfo.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pagetypeinfo == null) {
            return b;
        }
        try (BufferedReader r = open(pagetypeinfo)) {
            return combine(b, PagetypeinfoParser.parse(r, pagetypeinfo.toString()), pagetypeinfo.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a text file, turning a missing or unreadable file into an {@link InputException}. */
    public static BufferedReader open(Path file) {
        try {
            // malformed bytes decode to U+FFFD, which LineSource reports with the line they are on
            return new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "no such file"));
        } catch (IOException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    /** Adds the per-type free counts and pageblock counts of {@code types} to the buddyinfo snapshot. */
    public static FreeAreaSnapshot combine(FreeAreaSnapshot buddyinfo, Pagetypeinfo types, String typesSource) {
        List<ZoneFreeArea> b = buddyinfo.zones();
        List<ZoneTypes> t = types.zones();
        if (b.size() != t.size()) {
            throw problem(typesSource, "lists " + t.size() + " zones but buddyinfo lists " + b.size());
        }
        List<ZoneFreeArea> out = new ArrayList<>(b.size());
        for (int i = 0; i < b.size(); i++) {
            ZoneFreeArea z = b.get(i);
            ZoneTypes zt = t.get(i);
            String name = "node " + z.node() + " " + z.zone().printedName();
            if (z.node() != zt.node() || z.zone() != zt.zone()) {
                throw problem(typesSource, "zone " + (i + 1) + " is node " + zt.node() + " " + zt.zone().printedName()
                        + " but buddyinfo has " + name + " there");
            }
            if (zt.freeBlocks()[0].length != z.freeBlocks().size()) {
                throw problem(typesSource, name + " has " + zt.freeBlocks()[0].length
                        + " orders but buddyinfo has " + z.freeBlocks().size());
            }
            Map<MigrateType, List<Long>> free = new EnumMap<>(MigrateType.class);
            Map<MigrateType, Long> blocks = new EnumMap<>(MigrateType.class);
            for (int k = 0; k < types.types().size(); k++) {
                List<Long> counts = new ArrayList<>();
                for (long n : zt.freeBlocks()[k]) {
                    counts.add(n);
                }
                free.put(types.types().get(k), counts);
                blocks.put(types.types().get(k), zt.pageblocks()[k]);
            }
            out.add(new ZoneFreeArea(z.node(), z.zone(), z.freeBlocks(), free, blocks));
        }
        return new FreeAreaSnapshot(out);
    }

    private static InputException problem(String source, String message) {
        return new InputException(new InputProblem(source, 0, 0, "zone", message));
    }
}
