package io.kmemsim.engine.trace;

/**
 * Constants of kmemsim's binary trace format, versions 1 and 2 (docs/trace-format.md).
 *
 * <pre>
 * file    = header record* end
 * header  = "KMSTRACE" (8 bytes) u8 version(1 or 2) u8 kernelLength kernel(ASCII, e.g. "6.1.192")
 * record  = u8 type  payload           type = TraceEventType ordinal (0..9): the general form, any event
 *         | u8 0x10  fixed page alloc  (version 2: 24 bytes in all, with the type byte)
 *         | u8 0x11  fixed page free   (version 2: 16 bytes in all, with the type byte)
 *         | u8 0xFE  varint index  varint length  UTF-8 bytes      (defines cache name #index)
 * end     = u8 0xFF  varint recordCount
 * payload = zigzag-varint timeDelta(ns, from the previous record)  varint cpu  varint pid+1  fields
 * fields by type (varint unless noted; "p+1" = value plus one so that -1 encodes as 0):
 *   MM_PAGE_ALLOC              pfn+1 order migratetype gfp
 *   MM_PAGE_FREE, _BATCHED     pfn+1 order
 *   MM_PAGE_ALLOC_ZONE_LOCKED  pfn+1 order migratetype percpu_refill+1
 *   MM_PAGE_PCPU_DRAIN         pfn+1 order migratetype
 *   MM_PAGE_ALLOC_EXTFRAG      pfn+1 alloc_order fallback_order pageblock_order alloc_mt fallback_mt
 *                              u8 flags (bit0 fragmenting, bit1 change_ownership)
 *   KMALLOC, KMEM_CACHE_ALLOC  u64 ptr (8 bytes, big-endian) bytes_req+1 bytes_alloc+1 gfp node+1 accounted+1
 *   KFREE                      u64 ptr
 *   KMEM_CACHE_FREE            u64 ptr  nameIndex+1 (0 = no name)
 * fixed page records (version 2), little-endian 64-bit words starting at the type byte:
 *   w0 = type(8) | timeDelta(32, ns, not negative) &lt;&lt; 8 | pid+1(23) &lt;&lt; 40 | 0(1) &lt;&lt; 63
 *   w1 = pfn+1(44) | cpu(13) &lt;&lt; 44 | order(4) &lt;&lt; 57 | migratetype(3) &lt;&lt; 61   (free: migratetype bits 0)
 *   w2 = gfp(32) | 0(32) &lt;&lt; 32                                                  (alloc only)
 * </pre>
 * A page record whose values do not fit its fixed fields (a time step backwards or of 2^32 ns or more, a PFN of
 * 2^44 − 1 or more, order 16) is written in the general form.
 */
final class BinaryTrace {

    static final byte[] MAGIC = {'K', 'M', 'S', 'T', 'R', 'A', 'C', 'E'};
    /** The version {@link BinaryTraceWriter} writes unless told otherwise. */
    static final int VERSION = 2;
    /** The oldest version the reader reads. */
    static final int OLDEST_VERSION = 1;
    static final int FIXED_PAGE_ALLOC = 0x10;
    static final int FIXED_PAGE_FREE = 0x11;
    static final int FIXED_ALLOC_BYTES = 24;
    static final int FIXED_FREE_BYTES = 16;
    static final int NAME_RECORD = 0xFE;
    static final int END_RECORD = 0xFF;

    static final int DELTA_SHIFT = 8;
    static final long DELTA_MASK = 0xffffffffL;
    static final int PID_SHIFT = 40;
    static final long PID_MASK = (1L << 23) - 1;
    static final long PFN_MASK = (1L << 44) - 1;
    static final int CPU_SHIFT = 44;
    static final long CPU_MASK = (1L << 13) - 1;
    static final int ORDER_SHIFT = 57;
    static final long ORDER_MASK = 0xf;
    static final int MIGRATETYPE_SHIFT = 61;

    private BinaryTrace() {
    }
}
