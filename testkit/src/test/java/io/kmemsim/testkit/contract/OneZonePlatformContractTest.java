package io.kmemsim.testkit.contract;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.support.TestPlatforms;

class OneZonePlatformContractTest extends PlatformContract {

    @Override
    protected Platform createPlatform(ProviderContext context) {
        return TestPlatforms.oneZone();
    }
}
