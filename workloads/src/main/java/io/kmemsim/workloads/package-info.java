/**
 * Seeded, deterministic synthetic workload generators ({@code churn}, {@code fragmenter}, {@code thp},
 * {@code slab-churn}, {@code mix}) as {@link io.kmemsim.api.plugin.WorkloadProvider}s; the providers
 * and their options records are the public surface (docs/workloads.md).
 *
 * <p>Shared rules: randomness comes only from {@link java.util.SplittableRandom}s seeded from the
 * scenario seed mixed with a per-workload constant; live allocations are kept in primitive arrays
 * ({@code LiveSet}) so producing an event allocates nothing; a handle the host reports failed is
 * dropped from its live set and never freed — the host reports it before pulling the next event.
 * The page workloads also emit the architecture events of their blocks ({@code ArchEvents}): movable
 * blocks are mapped into user address spaces after allocation and unmapped before free, some
 * unmovable blocks are DMA-mapped while they live.
 */
package io.kmemsim.workloads;
