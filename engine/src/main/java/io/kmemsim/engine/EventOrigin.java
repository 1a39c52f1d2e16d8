package io.kmemsim.engine;

/**
 * A workload that reads its events from a file (the trace workload) says where the event it produced last
 * came from, so that an input error found by the host while running that event (an exact replay's PFN
 * outside the machine) can name the file and line.
 */
public interface EventOrigin {

    /** The file the events come from. */
    String eventSource();

    /** The line (text) or record (binary) of the event produced last, counting from 1; 0 when unknown. */
    long eventLine();
}
