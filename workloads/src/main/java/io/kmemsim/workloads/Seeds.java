package io.kmemsim.workloads;

import java.util.SplittableRandom;

/**
 * Derives a generator's random stream from the scenario seed and a per-generator constant, so that
 * two workloads (or two parts of a mix) given the same scenario seed draw unrelated sequences.
 */
final class Seeds {

    static final long CHURN = 0x63687572_6e000001L;
    static final long FRAGMENTER = 0x66726167_6d000002L;
    static final long THP = 0x74687000_00000003L;
    static final long SLAB_CHURN = 0x736c6162_63000004L;
    static final long MIX = 0x6d697800_00000005L;
    static final long ARCH = 0x61726368_00000006L;
    static final long PAGE_CACHE = 0x70636163_68000007L;

    private Seeds() {
    }

    /** A random stream for {@code constant} under {@code seed}. */
    static SplittableRandom random(long seed, long constant) {
        return new SplittableRandom(mix64(seed ^ mix64(constant)));
    }

    /** The SplitMix64 finaliser (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", 2014). */
    static long mix64(long z) {
        long x = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
