package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.contract.PlatformContract;

/** The testkit's {@link PlatformContract} for one ROCK 5B+ preset, firmware, granule and kernel. */
abstract class RockContract extends PlatformContract {

    private final int gib;
    private final String firmware;
    private final String granule;
    private final String kernel;

    RockContract(int gib, String firmware, String granule, String kernel) {
        this.gib = gib;
        this.firmware = firmware;
        this.granule = granule;
        this.kernel = kernel;
    }

    @Override
    protected KernelVersion kernel() {
        return KernelVersion.parse(kernel);
    }

    @Override
    protected Platform createPlatform(ProviderContext context) {
        return Presets.rock(gib).create(new Rock5bPlusOptions(firmware, granule, ""), context);
    }
}
