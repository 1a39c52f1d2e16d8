package io.kmemsim.engine.twin.boot;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel configuration options the boot twin reads from a bundle's {@code kernel-config-*.txt}
 * ({@code CONFIG_X=y} lines); the distribution defaults of the architecture when the file is absent.
 */
final class ConfigFacts {

    private final Map<String, String> options = new HashMap<>();
    final boolean present;

    ConfigFacts(List<String> lines) {
        this.present = lines != null;
        if (lines == null) {
            return;
        }
        for (String l : lines) {
            int eq = l.indexOf('=');
            if (l.startsWith("CONFIG_") && eq > 0) {
                options.put(l.substring(0, eq), l.substring(eq + 1).trim());
            }
        }
    }

    boolean enabled(String name, boolean fallback) {
        if (!present) {
            return fallback;
        }
        String v = options.get(name);
        return "y".equals(v) || "m".equals(v);
    }

    /** The {@link KernelConfig} of this configuration; {@code distro} supplies what the file does not say. */
    KernelConfig kernelConfig(KernelConfig distro) {
        if (!present) {
            return distro;
        }
        PageSize size = enabled("CONFIG_ARM64_64K_PAGES", false) ? PageSize.SIZE_64K
                : enabled("CONFIG_ARM64_16K_PAGES", false) ? PageSize.SIZE_16K : PageSize.SIZE_4K;
        boolean thp = enabled("CONFIG_TRANSPARENT_HUGEPAGE", distro.transparentHugepage())
                && (enabled("CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS", true) || enabled("CONFIG_TRANSPARENT_HUGEPAGE_MADVISE", false));
        return new KernelConfig(size, enabled("CONFIG_ZONE_DMA", distro.zoneDma()), enabled("CONFIG_ZONE_DMA32", distro.zoneDma32()),
                enabled("CONFIG_ZONE_DEVICE", distro.zoneDevice()), enabled("CONFIG_CMA", distro.cma()),
                enabled("CONFIG_HUGETLB_PAGE", distro.hugetlb()), thp);
    }
}
