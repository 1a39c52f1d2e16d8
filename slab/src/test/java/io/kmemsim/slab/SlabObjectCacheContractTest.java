package io.kmemsim.slab;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.testkit.contract.ObjectCacheContract;

class SlabObjectCacheContractTest extends ObjectCacheContract {

    @Override
    protected ObjectCache createObjectCache(ProviderContext context) {
        return new SlabProvider().create(new SlabOptions(), context);
    }
}
