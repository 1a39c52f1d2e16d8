package io.kmemsim.engine.bootlog;

import java.util.Objects;

/**
 * One boot-log line as the kernel prints it (without the {@code [ time]} prefix), and how far it can be
 * trusted.
 *
 * @param text       the line, without a newline
 * @param exactness  whether the text is what the kernel prints, or contains estimated or unknown parts
 * @param note       why the line is not exact, or a remark on an exact line; {@code ""} when none
 */
public record BootLine(String text, Exactness exactness, String note) {

    /** How a line relates to what the kernel prints. */
    public enum Exactness {
        /** Byte for byte what the kernel prints, by a rule and format the reference states for this kernel. */
        EXACT,
        /**
         * Some numbers are estimated (marked {@code ~}) or unknown (printed {@code ?}), or the reference does
         * not state the rule for this kernel version; {@link BootLine#note()} says which.
         */
        ESTIMATED
    }

    public BootLine {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(exactness, "exactness");
        Objects.requireNonNull(note, "note");
    }

    static BootLine exact(String text) {
        return new BootLine(text, Exactness.EXACT, "");
    }

    /** True when the line is byte for byte what the kernel prints. */
    public boolean isExact() {
        return exactness == Exactness.EXACT;
    }
}
