package io.kmemsim.slub;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.SlabFlags;
import java.util.Arrays;

/**
 * slub_debug for the caches that have debug flags (reference/slab.md §3.8, §4.2–§4.8): the bytes of every
 * debug slab, their initialisation, the alloc/free checks, validation, repair and the reports.
 *
 * <p>Notes:
 * <ul>
 *   <li>Only slabs of debug caches get a {@code byte[]} (the slab's whole memory, indexed by offset from
 *       the slab start); other caches never reach this class.</li>
 *   <li>The allocator's own freelist ({@link SlubSlabs#objNext}) stays the structure allocation follows;
 *       the free-pointer words in the bytes mirror it (encoded as §3.6 says when hardened). Checks and
 *       validation read the words from the bytes, as the kernel does, and after validation walks a slab's
 *       byte freelist the allocator's freelist is rebuilt from what was walked: objects cut off become
 *       {@link SlubSlabs#LOST} (counted in use, never handed out again), objects the walk reached are
 *       free. Without F a corrupted free pointer is not followed by allocation (the kernel would follow
 *       it and likely crash).</li>
 *   <li>Tracks (U) are kept beside the bytes (the track words in the bytes stay zero): time, CPU and the
 *       entry point. kmemsim has no code addresses, so a track prints the entry point as
 *       {@code kmem_cache_alloc+0x0/0x0} (or {@code __kmalloc}, {@code kmem_cache_free}, {@code kfree}),
 *       pid 0 and, from 5.17, the stack depot's {@code object allocation/free stack trace missing}.
 *       Ages are jiffies at HZ=250 from {@link io.kmemsim.api.slab.ObjectCache#tick} time.</li>
 *   <li>{@code Slab 0x…} is the struct page address: {@code vmemmap + pfn × 64}
 *       ({@link io.kmemsim.api.arch.VirtualLayout#pageStruct}). Its {@code flags=} text is free text in the
 *       reference; kmemsim prints PG_slab (bit 9) and PG_head (bit 16, order > 0).</li>
 * </ul>
 */
final class SlubDebug {

    static final byte POISON_INUSE = 0x5a;
    static final byte POISON_FREE = 0x6b;
    static final byte POISON_END = (byte) 0xa5;
    static final byte RED_INACTIVE = (byte) 0xbb;
    static final byte RED_ACTIVE = (byte) 0xcc;

    /** Entry points recorded in tracks. */
    static final int OP_CACHE_ALLOC = 0;
    static final int OP_KMALLOC = 1;
    static final int OP_CACHE_FREE = 2;
    static final int OP_KFREE = 3;
    private static final String[] OP_NAMES = {"kmem_cache_alloc", "__kmalloc", "kmem_cache_free", "kfree"};

    private static final int HZ = 250;

    private final SlubObjectCache a;
    private final SlubSlabs t;
    final SlubReporter r;
    /** {@code on_freelist} and the freelist repair. */
    final SlubFreelistWalk walk;
    private final SlubReportEra era;
    private final boolean kmallocRedzone;
    private final boolean stackDepot;
    final StringBuilder out = new StringBuilder();
    private byte[][] mem = new byte[64][];
    private long[][] tracks = new long[64][];
    boolean[] failed = new boolean[64];
    long nowNanos;

    SlubDebug(SlubObjectCache a) {
        this.a = a;
        this.t = a.slabs;
        this.r = new SlubReporter(a.kernel);
        this.walk = new SlubFreelistWalk(a, this);
        this.era = r.era;
        this.kmallocRedzone = a.kernel.atLeast(6, 2);
        this.stackDepot = a.kernel.atLeast(5, 17);
    }

    // ---------------------------------------------------------------- layout helpers

    private static boolean has(SlubCache c, long flag) {
        return (c.flags & flag) != 0;
    }

    /** {@code __OBJECT_POISON}: P without TYPESAFE_BY_RCU and without a ctor (§3.2 step 2). */
    private static boolean objectPoison(SlubCache c) {
        return has(c, SlabFlags.POISON) && !has(c, SlabFlags.TYPESAFE_BY_RCU) && !c.ctor;
    }

    /** Original request size tracked: U on a kmalloc cache (6.1+). */
    private boolean origTracked(SlubCache c) {
        return has(c, SlabFlags.STORE_USER) && has(c, SlabFlags.KMALLOC) && a.rules.origSizeBytes() > 0;
    }

    private static int infoEnd(SlubCache c) {
        return c.offset >= c.inuse ? c.inuse + 8 : c.inuse;
    }

    /** Where object padding starts, relative to the object (check_pad_bytes). */
    private int padStart(SlubCache c) {
        int off = infoEnd(c);
        if (has(c, SlabFlags.STORE_USER)) {
            off += 2 * a.rules.trackSize();
            if (origTracked(c)) {
                off += a.rules.origSizeBytes();
            }
        }
        return off;
    }

    private static int sizeFromObject(SlubCache c) {
        return c.size - c.redLeftPad;
    }

    /** Offset of object {@code idx}'s pointer from the slab start. */
    private static int objOff(SlubCache c, int idx) {
        return idx * c.size + c.redLeftPad;
    }

    private int slabBytes(int slab) {
        return 1 << (a.pageShift + t.order[slab]);
    }

    long objAddr(SlubCache c, int slab, int idx) {
        return t.base[slab] + objOff(c, idx);
    }

    /** {@code check_valid_pointer}: NULL or an object start of this slab. */
    boolean validPointer(SlubCache c, int slab, long address) {
        if (address == 0) {
            return true;
        }
        long off = address - t.base[slab] - c.redLeftPad;
        return off >= 0 && off < (long) t.objects[slab] * c.size && off % c.size == 0;
    }

    int indexOf(SlubCache c, int slab, long address) {
        return (int) ((address - t.base[slab] - c.redLeftPad) / c.size);
    }

    /** {@code get_freepointer}: the decoded free pointer word of object {@code idx}. */
    long getFreePointer(SlubCache c, int slab, int idx) {
        int at = objOff(c, idx) + c.offset;
        long word = 0;
        byte[] m = mem[slab];
        for (int i = 7; i >= 0; i--) {
            word = (word << 8) | (m[at + i] & 0xff);
        }
        return decode(c, slab, at, word);
    }

    private long decode(SlubCache c, int slab, int at, long word) {
        return a.options.hardenedFreelist() ? word ^ c.random ^ Long.reverseBytes(t.base[slab] + at) : word;
    }

    /** {@code set_freepointer}: stores the (encoded) address of object {@code target} (−1 = NULL). */
    void setFreePointer(SlubCache c, int slab, int idx, int target) {
        storeFreePointer(c, slab, idx, target < 0 ? 0 : objAddr(c, slab, target));
    }

    void storeFreePointer(SlubCache c, int slab, int idx, long address) {
        int at = objOff(c, idx) + c.offset;
        long word = decode(c, slab, at, address);
        byte[] m = mem[slab];
        for (int i = 0; i < 8; i++) {
            m[at + i] = (byte) (word >>> (8 * i));
        }
    }

    private int getOrig(SlubCache c, int slab, int idx) {
        if (!origTracked(c)) {
            return c.objectSize;
        }
        int at = objOff(c, idx) + infoEnd(c) + 2 * a.rules.trackSize();
        byte[] m = mem[slab];
        return (m[at] & 0xff) | (m[at + 1] & 0xff) << 8 | (m[at + 2] & 0xff) << 16 | (m[at + 3] & 0xff) << 24;
    }

    private void setOrig(SlubCache c, int slab, int idx, int orig) {
        if (!origTracked(c)) {
            return;
        }
        int at = objOff(c, idx) + infoEnd(c) + 2 * a.rules.trackSize();
        byte[] m = mem[slab];
        for (int i = 0; i < a.rules.origSizeBytes(); i++) {
            m[at + i] = i < 4 ? (byte) (orig >>> (8 * i)) : 0;
        }
    }

    // ---------------------------------------------------------------- slab setup

    private void ensure(int slab) {
        if (slab >= mem.length) {
            int n = Math.max(slab + 1, mem.length * 2);
            mem = Arrays.copyOf(mem, n);
            tracks = Arrays.copyOf(tracks, n);
            failed = Arrays.copyOf(failed, n);
        }
    }

    /** A new debug slab's bytes (§4.3): 0x5a with P, every object initialised as free, free pointers written. */
    void initSlab(SlubCache c, int slab) {
        ensure(slab);
        int bytes = slabBytes(slab);
        byte[] m = mem[slab];
        if (m == null || m.length < bytes) {
            m = new byte[bytes];
            mem[slab] = m;
        }
        Arrays.fill(m, 0, bytes, has(c, SlabFlags.POISON) ? POISON_INUSE : 0);
        int objects = t.objects[slab];
        if (tracks[slab] == null || tracks[slab].length < 4 * objects) {
            tracks[slab] = new long[4 * objects];
        } else {
            Arrays.fill(tracks[slab], 0L);
        }
        failed[slab] = false;
        boolean setup = has(c, SlabFlags.RED_ZONE) || has(c, SlabFlags.STORE_USER) || objectPoison(c);
        int[] next = t.objNext[slab];
        for (int i = 0; i < objects; i++) {
            if (setup) {
                initObject(c, m, objOff(c, i), RED_INACTIVE, c.objectSize);
                if (has(c, SlabFlags.STORE_USER)) {
                    int tr = objOff(c, i) + infoEnd(c);
                    Arrays.fill(m, tr, tr + 2 * a.rules.trackSize(), (byte) 0);
                }
            }
        }
        for (int i = 0; i < objects; i++) {
            if (next[i] != SlubSlabs.ALLOCATED) {
                setFreePointer(c, slab, i, next[i]);
            }
        }
    }

    /** {@code init_object}: red zones to {@code val}, object poison up to {@code poisonSize}, red zone after it. */
    private void initObject(SlubCache c, byte[] m, int p, byte val, int poisonSize) {
        boolean rz = has(c, SlabFlags.RED_ZONE);
        if (rz) {
            Arrays.fill(m, p - c.redLeftPad, p, val);
        }
        if (objectPoison(c)) {
            Arrays.fill(m, p, p + poisonSize - 1, POISON_FREE);
            m[p + poisonSize - 1] = POISON_END;
        }
        if (rz) {
            Arrays.fill(m, p + poisonSize, p + c.inuse, val);
        }
    }

    // ---------------------------------------------------------------- alloc / free processing

    /**
     * {@code alloc_debug_processing} for object {@code idx} just taken off the slab's freelist, with the
     * original request size {@code orig} (−1 for kmem_cache_alloc). False when the F checks failed:
     * the caller retires the slab ({@code Marking all objects used} has been reported).
     */
    boolean allocProcessing(SlubCache c, int slab, int idx, long orig, int gfp, int cpu, int op) {
        if (has(c, SlabFlags.CONSISTENCY_CHECKS)
                && (!checkSlab(c, slab) || !checkObject(c, slab, idx, RED_INACTIVE))) {
            r.fix(out, c.name, "Marking all objects used");
            failed[slab] = true;
            r.emit(out);
            return false;
        }
        if (has(c, SlabFlags.TRACE)) {
            traceLine(c, slab, idx, "alloc");
        }
        int size = orig < 0 ? c.objectSize : (int) Math.min(orig, c.objectSize);
        setOrig(c, slab, idx, size);
        boolean kmallocRz = kmallocRedzone && has(c, SlabFlags.RED_ZONE) && origTracked(c);
        initObject(c, mem[slab], objOff(c, idx), RED_ACTIVE, kmallocRz ? size : c.objectSize);
        if (has(c, SlabFlags.STORE_USER)) {
            setTrack(slab, idx, 0, cpu, op);
        }
        if ((gfp & Gfp.ZERO) != 0) {
            int p = objOff(c, idx);
            Arrays.fill(mem[slab], p, p + (kmallocRedzone && origTracked(c) ? size : c.objectSize), (byte) 0);
        }
        r.emit(out);
        return true;
    }

    /**
     * {@code free_debug_processing} for the object at {@code address} ({@code idx} −1 when it is not an
     * object start). False when the F checks failed: {@code Object at 0x… not freed} has been reported and
     * the object stays as it was. On true the caller pushes the object and calls {@link #linkFree}.
     */
    boolean freeProcessing(SlubCache c, int slab, int idx, long address, int cpu, int op) {
        if (has(c, SlabFlags.CONSISTENCY_CHECKS)) {
            boolean ok = checkSlab(c, slab);
            if (ok && idx < 0) {
                slabErr(c, slab, "Invalid object pointer 0x" + SlubReporter.ptr(address));
                ok = false;
            }
            if (ok && walk.onFreelist(c, slab, idx, false) == 1) {
                objectErr(c, slab, idx, "Object already free");
                ok = false;
            }
            if (ok && !checkObject(c, slab, idx, RED_ACTIVE)) {
                ok = false;
            }
            if (!ok) {
                r.fix(out, c.name, "Object at 0x" + SlubReporter.ptr(address) + " not freed");
                r.emit(out);
                return false;
            }
        }
        if (has(c, SlabFlags.STORE_USER)) {
            setTrack(slab, idx, 2, cpu, op);
        }
        if (has(c, SlabFlags.TRACE)) {
            traceLine(c, slab, idx, "free");
            SlubReporter.hexDump(out, "Object ", objAddr(c, slab, idx), mem[slab], objOff(c, idx), c.objectSize);
        }
        initObject(c, mem[slab], objOff(c, idx), RED_INACTIVE, c.objectSize);
        r.emit(out);
        return true;
    }

    /** Writes the free pointer of the object just pushed: it points at the previous head. */
    void linkFree(SlubCache c, int slab, int idx) {
        setFreePointer(c, slab, idx, t.objNext[slab][idx]);
    }

    /** With F, a slab about to go back to the page allocator is pad-checked and every object checked as free (§4.3). */
    void beforeDiscard(SlubCache c, int slab) {
        if (has(c, SlabFlags.CONSISTENCY_CHECKS)) {
            padCheck(c, slab);
            for (int i = 0; i < t.objects[slab]; i++) {
                checkObject(c, slab, i, RED_INACTIVE);
            }
            r.emit(out);
        }
    }

    /** The slab is retired after a failed allocation check: every object counts as used. */
    boolean failed(int slab) {
        return slab < failed.length && failed[slab];
    }

    private void traceLine(SlubCache c, int slab, int idx, String what) {
        out.append("TRACE ").append(c.name).append(' ').append(what).append(" 0x")
                .append(SlubReporter.ptr(objAddr(c, slab, idx))).append(" inuse=").append(t.inuse[slab])
                .append(" fp=0x").append(SlubReporter.ptr(freelistAddr(c, slab))).append('\n');
    }

    long freelistAddr(SlubCache c, int slab) {
        int head = t.freelist[slab];
        return head < 0 ? 0 : objAddr(c, slab, head);
    }

    private void setTrack(int slab, int idx, int which, int cpu, int op) {
        long[] tr = tracks[slab];
        tr[4 * idx + which] = nowNanos;
        tr[4 * idx + which + 1] = ((long) (op + 1) << 32) | cpu;
    }

    // ---------------------------------------------------------------- krealloc, ksize, raw access

    /** The tracked original size, or object_size when not tracked ({@code get_orig_size}). */
    int origSize(SlubCache c, int slab, int idx) {
        return getOrig(c, slab, idx);
    }

    /** {@code ksize}'s side effect (§1.6): the whole object becomes usable, orig := object_size. */
    void skipOrigSizeCheck(SlubCache c, int slab, int idx) {
        setOrig(c, slab, idx, c.objectSize);
    }

    /** 6.13+ krealloc within the object (§1.7 steps 2–3). */
    void kreallocInPlace(SlubCache c, int slab, int idx, int newSize, int gfp) {
        int ks = c.objectSize;
        int orig = getOrig(c, slab, idx);
        if ((gfp & Gfp.ZERO) != 0) {
            if (orig < newSize) {
                zero(c, slab, idx, orig, newSize);
            } else {
                zero(c, slab, idx, newSize, ks);
            }
        }
        if (origTracked(c)) {
            setOrig(c, slab, idx, newSize);
            if (has(c, SlabFlags.RED_ZONE) && newSize < ks) {
                int p = objOff(c, idx);
                Arrays.fill(mem[slab], p + newSize, p + ks, RED_ACTIVE);
            }
        }
    }

    /** Clears object bytes [from, to). */
    void zero(SlubCache c, int slab, int idx, int from, int to) {
        int p = objOff(c, idx);
        Arrays.fill(mem[slab], p + from, p + to, (byte) 0);
    }

    /** Copies {@code n} object bytes between two debug objects (krealloc moving an object). */
    void copy(SlubCache from, int fromSlab, int fromIdx, SlubCache to, int toSlab, int toIdx, int n) {
        int len = Math.min(n, Math.min(from.objectSize, to.objectSize));
        System.arraycopy(mem[fromSlab], objOff(from, fromIdx), mem[toSlab], objOff(to, toIdx), len);
    }

    void write(int slab, int at, byte[] data) {
        System.arraycopy(data, 0, mem[slab], at, data.length);
    }

    byte[] read(int slab, int at, int length) {
        return Arrays.copyOfRange(mem[slab], at, at + length);
    }

    SlubSlabs slabs() {
        return t;
    }

    // ---------------------------------------------------------------- checks

    /** {@code check_slab}: a retired slab is refused; the slab tail is pad-checked (§4.3 step 1, §4.4). */
    boolean checkSlab(SlubCache c, int slab) {
        if (failed[slab]) {
            slabErr(c, slab, "Slab disabled since SLUB metadata consistency check failed");
            return false;
        }
        if (t.inuse[slab] > t.objects[slab]) {
            slabErr(c, slab, "inuse " + t.inuse[slab] + " > max " + t.objects[slab]);
            return false;
        }
        padCheck(c, slab);
        return true;
    }

    /** {@code slab_pad_check} (P only): the tail after the last stride must be 0x5a. */
    private void padCheck(SlubCache c, int slab) {
        if (!has(c, SlabFlags.POISON)) {
            return;
        }
        int length = slabBytes(slab);
        int remainder = length % c.size;
        if (remainder == 0) {
            return;
        }
        byte[] m = mem[slab];
        int pad = length - remainder;
        int fault = firstMismatch(m, pad, length, POISON_INUSE);
        if (fault < 0) {
            return;
        }
        int end = length;
        while (end > fault && m[end - 1] == POISON_INUSE) {
            end--;
        }
        long base = t.base[slab];
        String range = "0x" + SlubReporter.ptr(base + fault) + "-0x" + SlubReporter.ptr(base + end - 1);
        r.bug(out, c.name, "Padding overwritten. " + range + " @offset=" + fault);
        r.info(out, slabLine(slab));
        r.addTaint();
        if (!a.kernel.atLeast(6, 12)) {
            r.countError();
        }
        SlubReporter.hexDump(out, "Padding ", base + pad, m, pad, remainder);
        Arrays.fill(m, fault, end, POISON_INUSE);
        r.fix(out, c.name, "Restoring slab padding " + range + "=0x5a");
    }

    private static int firstMismatch(byte[] m, int from, int to, byte expected) {
        for (int i = from; i < to; i++) {
            if (m[i] != expected) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code check_object} (§4.4) for object {@code idx} expected in state {@code val} (0xcc allocated,
     * 0xbb free). Up to 6.10 the first failing red-zone or poison region ends the check and padding
     * failures do not fail the object; from 6.11 every region is checked and any failure fails it.
     */
    boolean checkObject(SlubCache c, int slab, int idx, byte val) {
        int p = objOff(c, idx);
        int o = c.objectSize;
        boolean all = era.checksEverything();
        boolean[] first = {true};
        boolean ok = true;
        if (has(c, SlabFlags.RED_ZONE)) {
            ok = bytes(c, slab, idx, "Left Redzone", p - c.redLeftPad, c.redLeftPad, val, first);
            if (ok || all) {
                ok &= bytes(c, slab, idx, "Right Redzone", p + o, c.inuse - o, val, first);
            }
            if ((ok || all) && kmallocRedzone && origTracked(c) && val == RED_ACTIVE) {
                int orig = getOrig(c, slab, idx);
                if (o > orig) {
                    ok &= bytes(c, slab, idx, "kmalloc Redzone", p + orig, o - orig, val, first);
                }
            }
            if (!ok && !all) {
                return false;
            }
        } else if (has(c, SlabFlags.POISON) && o < c.inuse) {
            boolean pad = bytes(c, slab, idx, "Alignment padding", p + o, c.inuse - o, POISON_INUSE, first);
            ok &= pad || !all;
        }
        if (has(c, SlabFlags.POISON)) {
            if (val != RED_ACTIVE && objectPoison(c)) {
                boolean poison = bytes(c, slab, idx, "Poison", p, o - 1, POISON_FREE, first);
                if (poison || all) {
                    poison &= bytes(c, slab, idx, "End Poison", p + o - 1, 1, POISON_END, first);
                }
                if (!poison && !all) {
                    return false;
                }
                ok &= poison;
            }
            int off = padStart(c);
            if (off != sizeFromObject(c)) {
                boolean pad = bytes(c, slab, idx, "Object padding", p + off, sizeFromObject(c) - off, POISON_INUSE, first);
                ok &= pad || !all;
            }
        }
        if (c.offset >= c.inuse || val != RED_ACTIVE) {
            if (!validPointer(c, slab, getFreePointer(c, slab, idx))) {
                objectErr(c, slab, idx, "Freepointer corrupt");
                storeFreePointer(c, slab, idx, 0);
                ok = false;
            }
        }
        if (!ok && era == SlubReportEra.C) {
            trailer(c, slab, idx);
            r.addTaint();
        }
        return ok;
    }

    /** {@code check_bytes_and_report}: the region must hold {@code expected}; reports and restores it if not. */
    private boolean bytes(SlubCache c, int slab, int idx, String what, int from, int len, byte expected, boolean[] first) {
        byte[] m = mem[slab];
        int fault = firstMismatch(m, from, from + len, expected);
        if (fault < 0) {
            return true;
        }
        int end = from + len;
        while (end > fault && m[end - 1] == expected) {
            end--;
        }
        long base = t.base[slab];
        String range = "0x" + SlubReporter.ptr(base + fault) + "-0x" + SlubReporter.ptr(base + end - 1);
        String line = range + " @offset=" + fault + ". First byte 0x" + Integer.toHexString(m[fault] & 0xff)
                + " instead of 0x" + Integer.toHexString(expected & 0xff);
        r.countError();
        switch (era) {
            case A, B -> {
                r.bug(out, c.name, what + " overwritten");
                r.info(out, line);
                trailer(c, slab, idx);
                r.addTaint();
            }
            case C -> {
                r.bug(out, c.name, what + " overwritten");
                out.append(line).append('\n');
            }
            case D -> {
                out.append('[').append(what).append(" overwritten] ").append(line).append('\n');
                if (first[0]) {
                    r.bug(out, c.name, "Object corrupt");
                    trailer(c, slab, idx);
                    r.addTaint();
                }
            }
            default -> throw new IllegalStateException("era " + era);
        }
        first[0] = false;
        Arrays.fill(m, fault, end, expected);
        r.fix(out, c.name, "Restoring " + what + " " + range + "=0x" + Integer.toHexString(expected & 0xff));
        return false;
    }

    // ---------------------------------------------------------------- errors and trailer

    /** {@code slab_err}: header with the reason, the Slab line. */
    void slabErr(SlubCache c, int slab, String reason) {
        r.bug(out, c.name, reason);
        r.info(out, slabLine(slab));
        r.addTaint();
        r.countError();
    }

    /** {@code object_err}: header with the reason, the object trailer. */
    void objectErr(SlubCache c, int slab, int idx, String reason) {
        r.bug(out, c.name, reason);
        trailer(c, slab, idx);
        r.addTaint();
        r.countError();
    }

    String slabLine(int slab) {
        SlubCache c = a.caches.get(t.cache[slab]);
        long page = a.layout.pageStruct(t.pfn[slab]);
        int order = t.order[slab];
        long flags = 0x200L | (order > 0 ? 0x10000L : 0L);
        String f = era == SlubReportEra.A ? String.format("0x%04x", flags)
                : "0x" + Long.toHexString(flags) + (order > 0 ? "(slab|head)" : "(slab)");
        return "Slab 0x" + SlubReporter.ptr(page) + " objects=" + t.objects[slab] + " used=" + t.inuse[slab]
                + " fp=0x" + SlubReporter.ptr(freelistAddr(c, slab)) + " flags=" + f;
    }

    /** {@code print_trailer}: tracks, Slab line, Object line, the hex dumps. */
    private void trailer(SlubCache c, int slab, int idx) {
        printTracking(c, slab, idx);
        r.info(out, slabLine(slab));
        int p = objOff(c, idx);
        long addr = objAddr(c, slab, idx);
        r.info(out, "Object 0x" + SlubReporter.ptr(addr) + " @offset=" + p + " fp=0x"
                + SlubReporter.ptr(getFreePointer(c, slab, idx)));
        out.append('\n');
        byte[] m = mem[slab];
        if (has(c, SlabFlags.RED_ZONE)) {
            SlubReporter.hexDump(out, "Redzone  ", addr - c.redLeftPad, m, p - c.redLeftPad, c.redLeftPad);
        } else if (p > 16) {
            SlubReporter.hexDump(out, "Bytes b4 ", addr - 16, m, p - 16, 16);
        }
        SlubReporter.hexDump(out, "Object   ", addr, m, p, Math.min(c.objectSize, 1 << a.pageShift));
        if (has(c, SlabFlags.RED_ZONE)) {
            SlubReporter.hexDump(out, "Redzone  ", addr + c.objectSize, m, p + c.objectSize, c.inuse - c.objectSize);
        }
        int off = padStart(c);
        if (off != sizeFromObject(c)) {
            SlubReporter.hexDump(out, "Padding  ", addr + off, m, p + off, sizeFromObject(c) - off);
        }
    }

    /** {@code print_tracking} (U only): the alloc track, then the free track if the object was ever freed. */
    void printTracking(SlubCache c, int slab, int idx) {
        if (!has(c, SlabFlags.STORE_USER) || slab >= tracks.length || tracks[slab] == null) {
            return;
        }
        printTrack("Allocated", tracks[slab], 4 * idx);
        printTrack("Freed", tracks[slab], 4 * idx + 2);
    }

    private void printTrack(String what, long[] tr, int at) {
        long info = tr[at + 1];
        if (info == 0) {
            return;
        }
        int op = (int) (info >>> 32) - 1;
        long age = (nowNanos - tr[at]) * HZ / 1_000_000_000L;
        r.info(out, what + " in " + OP_NAMES[op] + "+0x0/0x0 age=" + age + " cpu=" + (int) info + " pid=0");
        if (stackDepot) {
            out.append("object allocation/free stack trace missing\n");
        }
    }

    StringBuilder out() {
        return out;
    }
}
