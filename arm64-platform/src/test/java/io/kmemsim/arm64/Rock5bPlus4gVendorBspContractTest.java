package io.kmemsim.arm64;

/** The platform contract for {@code rock5b-plus-4g}, firmware vendor, 4K pages, kernel 6.1. */
class Rock5bPlus4gVendorBspContractTest extends RockContract {

    Rock5bPlus4gVendorBspContractTest() {
        super(4, "vendor", "4K", "6.1");
    }
}
