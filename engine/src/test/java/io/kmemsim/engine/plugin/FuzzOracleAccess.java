package io.kmemsim.engine.plugin;

import io.kmemsim.engine.fuzz.FuzzOracle;

/** Test access to the oracle's quote stripping. */
final class FuzzOracleAccess {

    private FuzzOracleAccess() {
    }

    static String withoutQuotes(String message) {
        return FuzzOracle.withoutQuotes(message);
    }
}
