package io.kmemsim.api.mm;

import org.apiguardian.api.API;

/** The per-zone watermarks ({@code enum zone_watermarks}); PROMO exists from 6.1 on (NUMA tiering). */
@API(status = API.Status.STABLE, since = "0.1")
public enum WatermarkLevel {
    MIN, LOW, HIGH, PROMO
}
