package io.kmemsim.arm64;

/** The platform contract for {@code rock5b-plus-16g}, firmware vendor, 16K pages, kernel 6.18. */
class Rock5bPlus16gVendor16kContractTest extends RockContract {

    Rock5bPlus16gVendor16kContractTest() {
        super(16, "vendor", "16K", "6.18");
    }
}
