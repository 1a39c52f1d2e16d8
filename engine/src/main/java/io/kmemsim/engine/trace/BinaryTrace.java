package io.kmemsim.engine.trace;

/**
 * Constants of kmemsim's binary trace format, version 1 (docs/trace-format.md).
 *
 * <pre>
 * file    = header record* end
 * header  = "KMSTRACE" (8 bytes) u8 version(=1) u8 kernelLength kernel(ASCII, e.g. "6.1.192")
 * record  = u8 type  payload           type = TraceEventType ordinal (0..9)
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
 * </pre>
 */
final class BinaryTrace {

    static final byte[] MAGIC = {'K', 'M', 'S', 'T', 'R', 'A', 'C', 'E'};
    static final int VERSION = 1;
    static final int NAME_RECORD = 0xFE;
    static final int END_RECORD = 0xFF;

    private BinaryTrace() {
    }
}
