package io.kmemsim.arm64;

/** How a preset's bank is known (reference/arm64-rock5b.md §7.6 legend). */
enum Evidence {
    /** ✔ seen in a real boot log or U-Boot {@code bdinfo} of an RK3588-family board with this RAM size. */
    SEEN("seen"),
    /** ◐ inferred from the rule of §7.3 step 4 or from another size's layout; no log. */
    INFERRED("inferred");

    private final String label;

    Evidence(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
