package io.kmemsim.engine.results;

import java.util.List;

/**
 * A bounded table of {@code long} samples, stored column by column in primitive arrays allocated once.
 *
 * <p>Notes:
 * <ul>
 *   <li>Samples are taken on a grid: event counts that are multiples of {@link #interval()} (the start
 *       sample at 0 events included), plus one last sample at the run's end, which may be off the
 *       grid.</li>
 *   <li>When a grid sample arrives and the table is full, every other sample is dropped (those at odd
 *       indexes, so the first one stays) and the interval doubles. With an even capacity the samples kept
 *       lie on the new grid and the arriving one does too, so the table stays evenly spaced:
 * <pre>
 *   capacity 4, interval I:  0  I  2I  3I  | 4I arrives, full
 *   thinned, interval 2I:    0  2I 4I
 * </pre></li>
 *   <li>Memory is {@code columns × capacity × 8} bytes whatever the run's length.</li>
 * </ul>
 */
final class TimeSeries {

    private final List<String> columns;
    private final long[][] values;
    private final int capacity;
    private long interval;
    private int size;
    private int thinnings;

    /**
     * @param columns  the column names, the first being the event count the grid is checked against
     * @param capacity the most samples kept (even, at least 4)
     * @param interval the starting grid spacing in events
     */
    TimeSeries(List<String> columns, int capacity, long interval) {
        this.columns = List.copyOf(columns);
        this.capacity = capacity;
        this.interval = interval;
        this.values = new long[columns.size()][capacity];
    }

    /** True when a sample at {@code events} lies on the current grid. */
    boolean onGrid(long events) {
        return events % interval == 0;
    }

    /** Appends a sample ({@code row[i]} for column i), thinning first when full. */
    void append(long[] row) {
        if (size == capacity) {
            thin();
        }
        set(size++, row);
    }

    /** Replaces the last sample (e.g. the end of a run that ended exactly on a grid point). */
    void replaceLast(long[] row) {
        set(size - 1, row);
    }

    private void set(int index, long[] row) {
        for (int c = 0; c < values.length; c++) {
            values[c][index] = row[c];
        }
    }

    private void thin() {
        int kept = (size + 1) / 2;
        for (long[] column : values) {
            for (int i = 1; i < kept; i++) {
                column[i] = column[2 * i];
            }
        }
        size = kept;
        interval *= 2;
        thinnings++;
    }

    /** The number of samples held. */
    int size() {
        return size;
    }

    /** The value of column {@code column} in sample {@code index}. */
    long value(int column, int index) {
        return values[column][index];
    }

    /** The last value of column {@code column}, or −1 when there is no sample. */
    long last(int column) {
        return size == 0 ? -1 : values[column][size - 1];
    }

    /** The column names. */
    List<String> columns() {
        return columns;
    }

    /** The current grid spacing in events. */
    long interval() {
        return interval;
    }

    /** How many times the series was thinned. */
    int thinnings() {
        return thinnings;
    }

    /** The capacity. */
    int capacity() {
        return capacity;
    }

    /** The series as CSV: the header line, then one line per sample, {@code \n}-terminated. */
    String toCsv() {
        StringBuilder sb = new StringBuilder(64 + size * columns.size() * 8);
        sb.append(String.join(",", columns)).append('\n');
        for (int i = 0; i < size; i++) {
            for (int c = 0; c < values.length; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(values[c][i]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
