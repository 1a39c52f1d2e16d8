package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.contract.PlatformContract;
import java.util.List;

/** The platform contract for {@code arm64-generic}: two banks, a no-map reservation, a 30-bit DMA limit, 16K pages. */
class Arm64GenericContractTest extends PlatformContract {

    @Override
    protected Platform createPlatform(ProviderContext context) {
        return new Arm64GenericProvider().create(new Arm64GenericOptions(List.of("0x80000000+4G", "0x880000000+4G"),
                List.of("optee=0x88000000+16M:nomap"), "0x3fffffff", 4, "16K", "32M"), context);
    }
}
