package io.kmemsim.cli;

import picocli.CommandLine.Command;

/**
 * {@code kmemsim inspect}: reads a real machine's {@code /proc} memory files and prints what the kernel
 * would have derived from them (fragmentation indices, recomputed watermarks).
 */
@Command(name = "inspect", description = "Inspect a real machine's /proc memory files.",
        mixinStandardHelpOptions = true,
        subcommands = {InspectBuddyinfoCommand.class, InspectZoneinfoCommand.class, InspectSlabinfoCommand.class})
public final class InspectCommand {
}
