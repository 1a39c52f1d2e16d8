package io.kmemsim.engine.trace;

import java.util.concurrent.locks.LockSupport;

/**
 * The batches of a binary trace, in file order: decoded on the caller's thread when asked for, or ahead of it on
 * a second thread (a <em>decode thread</em>) while the caller replays the batch before.
 *
 * <p>With the decode thread, {@value #RING} batches circulate in a ring between exactly two threads: the decode
 * thread fills batch {@code n} once the caller has released batch {@code n - RING}, and publishes it by writing
 * the count of filled batches (a volatile field); the caller takes batch {@code n} once that count passes
 * {@code n} and releases it when it asks for the next one (another volatile count). Everything the decode thread
 * writes into a batch happens before the caller reads it, and the caller has finished with a batch before the
 * decode thread refills it (the Java memory model's volatile rules). The only state the decode thread touches is
 * the reader, the batches it fills and the {@link #speculate speculative translation} (which depends on the records
 * alone); what the records do to the simulation is decided on the caller's thread, in file order, so a replay's
 * results are the same with and without the thread. A thread that waits spins briefly,
 * then parks; the other side wakes it when it publishes or releases a batch (each side announces that it parks
 * before re-checking the count it waits on, so no wake-up is missed; the {@value #PARK_NANOS} ns time-out is only a
 * safety net). Nothing is allocated per batch.
 *
 * <p>A read error ends the file: the batch it happened in carries it after its good records, and the decode
 * thread stops. {@link #close} stops the thread (waiting for it to leave the reader) and closes the reader.
 */
final class RecordBatches implements AutoCloseable {

    /** Records per batch. */
    static final int BATCH = 1024;
    /** Batches in the ring of the decode thread. */
    static final int RING = 4;
    private static final int SPINS = 200;
    private static final long PARK_NANOS = 1_000_000;

    private final BinaryTraceReader reader;
    private final boolean threaded;
    private final RecordBatch[] ring;
    /** The caller's side: batches taken so far (the last one is in use until the next call). */
    private long taken;
    private volatile long filled;
    private volatile long released;
    private volatile boolean stop;
    private volatile Thread waitingCaller;
    private volatile Thread waitingDecoder;
    private Thread decoder;
    private boolean done;
    /** Applied to each batch once filled, on the thread that filled it; null: none. */
    private TraceWorkloadSpeculation speculation;

    /**
     * @param threaded decode on a second thread (started by the first {@link #next})
     */
    RecordBatches(BinaryTraceReader reader, boolean threaded, int batchSize) {
        this.reader = reader;
        this.threaded = threaded;
        this.ring = new RecordBatch[threaded ? RING : 1];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new RecordBatch(batchSize);
        }
    }

    /**
     * Translates every batch with {@code s} right after it is decoded, on the thread that decodes it (so, with the
     * decode thread, ahead of the caller). Set before the first {@link #next}.
     */
    void speculate(TraceWorkloadSpeculation s) {
        if (decoder != null || taken > 0) {
            throw new IllegalStateException("speculate before the first batch");
        }
        speculation = s;
    }

    /** Whether the batches are decoded on a second thread. */
    boolean threaded() {
        return threaded;
    }

    /**
     * The next batch (the previous one is released: it must not be read any more), or null after a batch that
     * {@link RecordBatch#end ended} the trace or {@link RecordBatch#failure failed}.
     */
    RecordBatch next() {
        if (done) {
            return null;
        }
        RecordBatch b;
        if (!threaded) {
            b = ring[0];
            reader.fill(b);
            if (speculation != null) {
                speculation.translate(b);
            }
        } else {
            if (decoder == null) {
                start();
            } else {
                released = taken; // the batch handed out last is free again
                Thread w = waitingDecoder;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
            long n = taken;
            int spins = 0;
            while (filled <= n) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                    continue;
                }
                waitingCaller = Thread.currentThread();
                if (filled <= n) {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
                waitingCaller = null;
            }
            b = ring[(int) (n % RING)];
            taken = n + 1;
        }
        if (b.end || b.failure != null) {
            done = true;
        }
        return b;
    }

    private void start() {
        Thread t = new Thread(this::decode, "kmemsim-trace-decode");
        t.setDaemon(true);
        decoder = t;
        t.start();
    }

    /** The decode thread: fills batch after batch until the trace ends, reading fails or {@link #close}. */
    private void decode() {
        long n = 0;
        while (!stop) {
            int spins = 0;
            while (n - released >= RING) {
                if (stop) {
                    return;
                }
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                    continue;
                }
                waitingDecoder = Thread.currentThread();
                if (n - released >= RING && !stop) {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
                waitingDecoder = null;
            }
            RecordBatch b = ring[(int) (n % RING)];
            try {
                reader.fill(b);
            } catch (Throwable e) { // fill keeps read errors in the batch; anything else ends the file too
                b.failure = e;
            }
            if (speculation != null) {
                try {
                    speculation.translate(b); // the entries filled, also before a failure
                } catch (Throwable e) {
                    b.size = 0;
                    b.failure = e;
                }
            }
            filled = ++n;
            Thread w = waitingCaller;
            if (w != null) {
                LockSupport.unpark(w);
            }
            if (b.end || b.failure != null) {
                return;
            }
        }
    }

    /** Stops the decode thread, if any, then closes the reader. */
    @Override
    public void close() {
        Thread t = decoder;
        if (t != null) {
            stop = true;
            LockSupport.unpark(t);
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        reader.close();
    }
}
