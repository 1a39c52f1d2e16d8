package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Workload;

/** {@code page-cache}: streaming file reads and writes, a hot file, periodic sync, processes with anonymous memory (docs/workloads.md). */
public final class PageCacheProvider implements WorkloadProvider<PageCacheOptions> {

    @Override
    public String id() {
        return "page-cache";
    }

    @Override
    public String description() {
        return "Page cache pressure: streaming file reads and writes, a hot file, periodic sync, and processes whose anonymous memory lives and exits";
    }

    @Override
    public Class<PageCacheOptions> optionsType() {
        return PageCacheOptions.class;
    }

    @Override
    public Workload create(PageCacheOptions o, ProviderContext context) {
        String where = "page-cache option ";
        StreamSettings stream = StreamSettings.of(where, o.events(), o.tickEvery(), o.nsPerEvent());
        HandleSpace handles = new HandleSpace();
        Generator generator = generator(where, o, context, handles, Seeds.random(context.seed(), Seeds.PAGE_CACHE));
        return new GeneratedWorkload(generator, handles, ArchEvents.off(), stream);
    }

    /** The page-cache generator (also a part of {@code mix}); validates every option but the stream settings. */
    static Generator generator(String where, PageCacheOptions o, ProviderContext context, HandleSpace handles,
                               java.util.SplittableRandom random) {
        Checks.positive(where, "files", o.files());
        Checks.positive(where, "file-mb", o.fileMb());
        Checks.inRange(where, "write-fraction", o.writeFraction(), 0, 1);
        Checks.atLeast(where, "hot-mb", o.hotMb(), 0);
        Checks.inRange(where, "hot-fraction", o.hotFraction(), 0, 1);
        Checks.atLeast(where, "sync-every", o.syncEvery(), 0);
        Checks.inRange(where, "processes", o.processes(), 0, 65535);
        Checks.atLeast(where, "anon-mb-per-process", o.anonMbPerProcess(), 0);
        Checks.positive(where, "process-lifetime", o.processLifetime());
        Checks.inRange(where, "anon-fraction", o.anonFraction(), 0, 1);
        int pageShift = context.kernelConfig().pageSize().shift();
        long filePages = o.fileMb() << (20 - pageShift);
        long hotPages = o.hotMb() << (20 - pageShift);
        long anonPages = o.anonMbPerProcess() << (20 - pageShift);
        long cachePages = o.files() * filePages + hotPages;
        if (cachePages > Integer.MAX_VALUE || anonPages > Integer.MAX_VALUE || o.processes() * anonPages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + "files * file-mb + hot-mb and processes * anon-mb-per-process must each be below "
                    + (Integer.MAX_VALUE >> (20 - pageShift)) + " MiB of pages: " + cachePages + " and "
                    + o.processes() * anonPages + " pages");
        }
        PageCacheGenerator[] made = new PageCacheGenerator[1];
        int tag = handles.newOwnerTag(new HandleSpace.Owner() {
            @Override
            public void failed(long handle) {
                made[0].failed(handle);
            }

            @Override
            public void reclaimed(long handle, boolean oomKill) {
                made[0].reclaimed(handle, oomKill);
            }

            @Override
            public void evicted(long handle, long shadow) {
                made[0].evicted(handle, shadow);
            }
        });
        made[0] = new PageCacheGenerator(o, HandleSpace.base(tag), context.cpus(), (int) filePages, (int) hotPages,
                (int) anonPages, random);
        return made[0];
    }
}
