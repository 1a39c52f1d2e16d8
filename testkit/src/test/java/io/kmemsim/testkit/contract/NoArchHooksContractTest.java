package io.kmemsim.testkit.contract;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.plugin.ProviderContext;

class NoArchHooksContractTest extends ArchHooksContract {

    @Override
    protected ArchHooks createHooks(ProviderContext context) {
        return ArchHooks.NONE;
    }
}
