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
        if (cachePages > Integer.MAX_VALUE || anonPages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + "files * file-mb + hot-mb and anon-mb-per-process must each be below "
                    + (Integer.MAX_VALUE >> (20 - pageShift)) + " MiB of pages: " + cachePages + " and " + anonPages + " pages");
        }
        return new PageCacheWorkload(o, stream, context.cpus(), (int) filePages, (int) hotPages, (int) anonPages,
                Seeds.random(context.seed(), Seeds.PAGE_CACHE));
    }
}
