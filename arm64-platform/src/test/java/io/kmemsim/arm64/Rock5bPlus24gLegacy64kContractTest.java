package io.kmemsim.arm64;

/** The platform contract for {@code rock5b-plus-24g}, firmware legacy, 64K pages, kernel 6.12. */
class Rock5bPlus24gLegacy64kContractTest extends RockContract {

    Rock5bPlus24gLegacy64kContractTest() {
        super(24, "legacy", "64K", "6.12");
    }
}
