package com.example.cheapest;

import io.kmemsim.api.plugin.Provider;
import io.kmemsim.testkit.contract.ProviderContract;

/** The testkit's provider kit: id, description, options the host can bind, create with the defaults. */
class CheapestBlockProviderContractTest extends ProviderContract {

    @Override
    protected Provider<?, ?> provider() {
        return new CheapestBlockProvider();
    }
}
