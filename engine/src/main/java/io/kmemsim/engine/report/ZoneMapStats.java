package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.engine.results.ZoneSeries;
import java.util.Locale;

/** Counts over one recorded pageblock map of a zone, for the captions under the maps. */
final class ZoneMapStats {

    private ZoneMapStats() {
    }

    static int blocks(JsonNode zone) {
        JsonNode maps = zone.path("pageblockMaps");
        return maps.isEmpty() ? 0 : ZoneSeries.decodeRunLength(maps.get(0).asText()).length;
    }

    /** "N mixed, M free, K Unmovable" for map {@code index} of {@code zone}. */
    static String summary(JsonNode zone, int index) {
        byte[] map = ZoneSeries.decodeRunLength(zone.path("pageblockMaps").get(index).asText());
        int mixed = 0;
        int free = 0;
        int unmovable = 0;
        for (byte b : map) {
            mixed += (b & Zone.PAGEBLOCK_MIXED) != 0 ? 1 : 0;
            free += (b & Zone.PAGEBLOCK_FREE) != 0 ? 1 : 0;
            unmovable += (b & 7) == 0 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "%d Unmovable, %d mixed, %d free", unmovable, mixed, free);
    }
}
