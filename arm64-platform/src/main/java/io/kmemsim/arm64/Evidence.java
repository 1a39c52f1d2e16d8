package io.kmemsim.arm64;

/** How a preset's bank is known (docs/kernel-facts.md#rk3588-memory-maps legend). */
enum Evidence {
    /** ✔ seen in a real boot log or U-Boot {@code bdinfo} of an RK3588-family board with this RAM size. */
    SEEN("seen"),
    /** ◐ inferred from the rule of docs/kernel-facts.md#rk3588-memory-maps or from another size's layout; no log. */
    INFERRED("inferred");

    private final String label;

    Evidence(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
