package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.contract.PlatformContract;

/** The platform contract for {@code arm64-virt} with its defaults. */
class Arm64VirtContractTest extends PlatformContract {

    @Override
    protected Platform createPlatform(ProviderContext context) {
        return new Arm64VirtProvider().create(new Arm64VirtOptions(), context);
    }
}
