package io.kmemsim.arm64;

import io.kmemsim.api.kernel.PageSize;

/** Parses the {@code granule} option with an error that names the platform and the option. */
final class Granules {

    private Granules() {
    }

    static PageSize parse(String platform, String text) {
        try {
            return PageSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(platform + " option granule must be one of 4K, 16K, 64K: " + text, e);
        }
    }
}
