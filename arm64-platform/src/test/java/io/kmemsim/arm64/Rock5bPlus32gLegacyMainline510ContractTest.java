package io.kmemsim.arm64;

/** The platform contract for {@code rock5b-plus-32g}, firmware legacy-mainline, 4K pages, kernel 5.10. */
class Rock5bPlus32gLegacyMainline510ContractTest extends RockContract {

    Rock5bPlus32gLegacyMainline510ContractTest() {
        super(32, "legacy-mainline", "4K", "5.10");
    }
}
