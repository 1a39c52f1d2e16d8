#!/usr/bin/env python3
"""Per-day tables of docs/experiments/week-of-page-cache.md from the results directories of its runs.

    python3 docs/experiments/week_tables.py results/week-grouping-compaction [more result dirs]

For each directory: one markdown row per "day" (every 2,097,152 events) read from timeseries.csv
(page_alloc_failure, free pages, free_blocks_order9/10, unusable_index_*) and zoneseries.json (the
counters kmemsim_extfrag_events, compact_stall, pgmigrate_success, and the pageblock maps), then the
week's totals from results.json. Order-9 attempts per day are the THP bursts of the scenario (5 on day
1, 4 on each later day, 32 faults each); the script checks that they add up to the run's order-9
allocations and that no other order failed, and stops otherwise.
"""
import base64
import csv
import json
import sys

DAY = 2097152
DAYS = 7
ATTEMPTS = [0, 160] + [128] * (DAYS - 1)


def decode(runs):
    raw = base64.b64decode(runs)
    out = bytearray()
    for i in range(0, len(raw), 2):
        out += bytes([raw[i]]) * raw[i + 1]
    return out


def map_counts(zs, j):
    """Mixed pageblocks (exact) and a lower bound of pageblocks holding an unmovable page."""
    mixed = lower = 0
    for z in zs['zones']:
        for v in decode(z['pageblockMaps'][j]):
            mt, is_mixed, is_free, other = v & 7, v & 8, v & 16, v & 32
            if is_free:
                continue
            mixed += 1 if is_mixed else 0
            if is_mixed or (mt == 1 and other) or (mt in (0, 2, 3) and not other):
                lower += 1
    return mixed, lower


def table(d):
    rows = {int(r['events']): r for r in csv.DictReader(open(f'{d}/timeseries.csv'))}
    zs = json.load(open(f'{d}/zoneseries.json'))
    res = json.load(open(f'{d}/results.json'))
    by_order = {a['order']: (a['success'], a['failure']) for a in res['allocationsByOrder']}
    if any(f for o, (_, f) in by_order.items() if o != 9) or sum(by_order[9]) != sum(ATTEMPTS):
        sys.exit(f'{d}: order-9 attempts {by_order[9]} or failures of other orders: the per-day rates do not apply')
    print(f'\n{d}\n')
    print('| day | order-9 success | free MiB | free 2 MiB blocks | unusable index at order 9, per zone '
          '| mixed pageblocks | pageblocks with unmovable (≥, with grouping) | fallbacks | compact stalls / pages migrated |')
    print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    prev = None
    for day in range(DAYS + 1):
        e = day * DAY
        r = rows[e]
        i = zs['events'].index(e)
        c = {k: v[i] for k, v in zs['counters'].items()}
        fail = int(r['page_alloc_failure'])
        free = sum(int(v) for k, v in r.items() if k.startswith('free_pages_node'))
        blocks = int(r['free_blocks_order9']) + 2 * int(r['free_blocks_order10'])
        ui = ' / '.join(f'{int(v) / 1000:.3f}' for k, v in r.items() if k.startswith('unusable_index'))
        mixed, lower = map_counts(zs, zs['mapEvents'].index(e)) if e in zs['mapEvents'] else ('?', '?')
        if prev is None:
            ok = '—'
            delta = dict.fromkeys(c, 0)
        else:
            failed = fail - prev[0]
            ok = f'{(ATTEMPTS[day] - failed) * 100 / ATTEMPTS[day]:.0f} % ({ATTEMPTS[day] - failed}/{ATTEMPTS[day]})'
            delta = {k: c[k] - prev[1][k] for k in c}
        print(f"| {day} | {ok} | {free * int(res['memory']['pageSizeBytes']) // 2**20} | {blocks} | {ui} | {mixed} | {lower} "
              f"| {delta.get('kmemsim_extfrag_events', 0)} | {delta.get('compact_stall', 0)} / {delta.get('pgmigrate_success', 0)} |")
        prev = (fail, c)
    occ = res['pageblockOccupancy']['total']
    rec = res['reclaim']
    wl = res['counters'].get('workload', {})
    print(f"\nweek: order 9 {by_order[9][0]} of {sum(by_order[9])}; end: {occ['withUnmovable']} pageblocks with unmovable, "
          f"{occ['mixed']} mixed, {occ['typeMismatch']} type mismatch; kswapd {rec['kswapd']}; direct {rec['direct']}; "
          f"OOM kills {rec['oomKills']}; page cache reclaimed {wl.get('workload.pagecache_reclaimed')}, "
          f"refaults {wl.get('workload.pagecache_refaults')}, shrinker freed {wl.get('workload.shrinker_freed_objects')}")


for directory in sys.argv[1:]:
    table(directory)
