package io.kmemsim.engine.bootlog;

import java.util.Objects;

/**
 * One boot-time reservation of RAM as the twin models it.
 *
 * @param name  what it is ({@code kernel image}, {@code memmap}, {@code cma}, …)
 * @param base  physical address of the first byte
 * @param size  bytes
 * @param rule  where the size and place come from (the boot line, the kernel rule, or the measured default)
 */
public record Reservation(String name, long base, long size, String rule) {

    public Reservation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
    }

    /** Whole pages of {@code pageBytes} covered (rounded out, as {@code memblock_reserve} pages are). */
    public long pages(long pageBytes) {
        long first = base / pageBytes;
        long last = (base + size + pageBytes - 1) / pageBytes;
        return last - first;
    }
}
