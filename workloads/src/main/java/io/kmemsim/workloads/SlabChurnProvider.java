package io.kmemsim.workloads;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** {@code slab-churn}: kmalloc/kfree and kmem_cache traffic with a size mix (docs/workloads.md). */
public final class SlabChurnProvider implements WorkloadProvider<SlabChurnOptions> {

    @Override
    public String id() {
        return "slab-churn";
    }

    @Override
    public String description() {
        return "kmalloc/kfree with a size histogram and kmem_cache alloc/free over a few named caches created at the start";
    }

    @Override
    public Class<SlabChurnOptions> optionsType() {
        return SlabChurnOptions.class;
    }

    @Override
    public Workload create(SlabChurnOptions options, ProviderContext context) {
        String where = "slab-churn option ";
        StreamSettings stream = StreamSettings.of(where, options.events(), options.tickEvery(), options.nsPerEvent());
        HandleSpace handles = new HandleSpace();
        Generator generator = generator(where, options, context, handles,
                Seeds.random(context.seed(), Seeds.SLAB_CHURN));
        return new GeneratedWorkload(generator, handles, ArchEvents.off(), stream);
    }

    /** The slab-churn generator (also a part of {@code mix}); validates every option but the stream settings. */
    static Generator generator(String where, SlabChurnOptions o, ProviderContext context, HandleSpace handles,
                               SplittableRandom random) {
        long kmallocMax = kmallocMaxSize(context);
        WeightTable sizes = WeightTable.parse(where, "kmalloc-sizes", o.kmallocSizes(), k -> parseSize(k, kmallocMax));
        Checks.inRange(where, "kmalloc-share", o.kmallocShare(), 0.0, 1.0);
        Checks.positive(where, "kmalloc-mean-lifetime", o.kmallocMeanLifetime());
        Checks.inRange(where, "atomic-fraction", o.atomicFraction(), 0.0, 1.0);
        List<SlabChurnOptions.Cache> caches = Checks.given(where, "caches", o.caches());
        int n = caches.size();
        LiveSet[] sets = new LiveSet[n + 1];
        double[] freePer = new double[n + 1];
        double[] allocWeights = new double[n + 1];
        int[] kinds = new int[n + 1];
        sets[0] = handles.newSet(false);
        freePer[0] = 1.0 / o.kmallocMeanLifetime();
        allocWeights[0] = o.kmallocShare();
        SlabChurnGenerator.CacheTable table = cacheTable(where, caches, kmallocMax);
        long[] cacheHandles = new long[n];
        double cacheWeights = 0;
        for (int i = 0; i < n; i++) {
            cacheWeights += caches.get(i).weight();
        }
        for (int i = 0; i < n; i++) {
            kinds[i + 1] = i + 1;
            sets[i + 1] = handles.newSet(false);
            cacheHandles[i] = handles.newCacheHandle();
            freePer[i + 1] = 1.0 / caches.get(i).meanLifetime();
            allocWeights[i + 1] = cacheWeights > 0 ? (1 - o.kmallocShare()) * caches.get(i).weight() / cacheWeights : 0;
        }
        if (o.kmallocShare() < 1 && !(cacheWeights > 0)) {
            throw new IllegalArgumentException(where + "kmalloc-share must be 1 when no cache has a weight > 0: "
                    + o.kmallocShare());
        }
        if (o.kmallocShare() == 0 && n == 0) {
            throw new IllegalArgumentException(where + "kmalloc-share must be > 0 when caches is empty: 0.0");
        }
        return new SlabChurnGenerator(random, sets, freePer, WeightTable.of(kinds, allocWeights), sizes, cacheHandles,
                table, Gfp.GFP_KERNEL, Gfp.gfpAtomic(context.kernel()), o.atomicFraction(), context.cpus());
    }

    private static SlabChurnGenerator.CacheTable cacheTable(String where, List<SlabChurnOptions.Cache> caches,
                                                           long maxSize) {
        int n = caches.size();
        String[] names = new String[n];
        int[] sizes = new int[n];
        int[] aligns = new int[n];
        long[] flags = new long[n];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            SlabChurnOptions.Cache c = Checks.given(where, "caches[" + i + "]", caches.get(i));
            String at = where + "caches[" + i + "].";
            String name = Checks.given(at, "name", c.name());
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace) || !seen.add(name)) {
                throw new IllegalArgumentException(at + "name must be non-empty, without spaces and unique: \"" + name + "\"");
            }
            Checks.inRange(at, "size", c.size(), 1, maxSize);
            if (c.align() < 0 || (c.align() & (c.align() - 1)) != 0) {
                throw new IllegalArgumentException(at + "align must be 0 or a power of two: " + c.align());
            }
            Checks.inRange(at, "weight", c.weight(), 0.0, Double.MAX_VALUE);
            Checks.positive(at, "mean-lifetime", c.meanLifetime());
            try {
                flags[i] = SlabFlags.parse(Checks.given(at, "flags", c.flags())) | (c.ctor() ? Event.FLAG_CTOR : 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "flags: " + e.getMessage(), e);
            }
            names[i] = name;
            sizes[i] = c.size();
            aligns[i] = c.align();
        }
        return new SlabChurnGenerator.CacheTable(names, sizes, aligns, flags);
    }

    /**
     * {@code KMALLOC_MAX_SIZE}: {@code PAGE_SIZE << largest order} (4 MiB with 4K pages;
     * include/linux/slab.h: KMALLOC_SHIFT_HIGH, ARCH_KMALLOC_MINALIGN (6.1), SLUB and SLAB 6.1+).
     */
    static long kmallocMaxSize(ProviderContext context) {
        return context.kernelConfig().pageSize().bytes() << PageOrders.maxOrder(context.kernel(), context.kernelConfig());
    }

    private static int parseSize(String key, long max) {
        long size;
        try {
            size = Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size must be an integer number of bytes: " + key, e);
        }
        if (size < 1 || size > max) {
            throw new IllegalArgumentException("size must be in [1, " + max + "] (KMALLOC_MAX_SIZE): " + size);
        }
        return (int) size;
    }
}
