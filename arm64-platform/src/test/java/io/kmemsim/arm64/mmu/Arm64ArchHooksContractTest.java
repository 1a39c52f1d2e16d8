package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.contract.ArchHooksContract;

class Arm64ArchHooksContractTest extends ArchHooksContract {

    @Override
    protected ArchHooks createHooks(ProviderContext context) {
        return new Arm64ArchHooksProvider().create(new Arm64ArchHooksOptions(), context);
    }
}
