package io.kmemsim.slub;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.testkit.contract.ObjectCacheContract;

class SlubObjectCacheContractTest extends ObjectCacheContract {

    @Override
    protected ObjectCache createObjectCache(ProviderContext context) {
        return new SlubProvider().create(new SlubOptions(), context);
    }
}
