package io.kmemsim.arm64;

/** The platform contract for {@code rock5b-plus-8g}, firmware mainline, 4K pages, kernel 6.12. */
class Rock5bPlus8gMainlineContractTest extends RockContract {

    Rock5bPlus8gMainlineContractTest() {
        super(8, "mainline", "4K", "6.12");
    }
}
