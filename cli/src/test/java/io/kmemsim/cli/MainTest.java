package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.ApiVersion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @Test
    void help_listsCommandsAndExitStatus() {
        Cli r = Cli.run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: kmemsim", "run", "plugins", "platform", "inspect", "trace", "--plugins-dir", "--verbose", "Exit status");
    }

    @Test
    void version_namesKmemsimAndApiVersions() {
        Cli r = Cli.run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("kmemsim 0.1.0-SNAPSHOT", "api " + ApiVersion.CURRENT);
    }

    @Test
    void unknownOption_isUsageErrorWithoutStackTrace() {
        Cli r = Cli.run("--no-such-option");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'", "kmemsim --help");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void badOptionOfSubcommand_isUsageError() {
        Cli r = Cli.run("run", "--sett", "seed=2");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--sett", "Possible solutions: --set", "kmemsim run --help");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void unknownCommand_isUsageErrorWithSuggestion() {
        Cli r = Cli.run("rn");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("'rn'", "Commands: ", "run", "plugins");
    }

    @Test
    void noCommand_printsUsageAsUsageError() {
        Cli r = Cli.run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("a command is required", "Usage: kmemsim");
    }

    @Test
    void verboseOnUsageError_addsStackTrace() {
        Cli r = Cli.run("--verbose", "run", "--bogus");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errHasStackTrace()).isTrue();
    }

    @Test
    void subcommandsFor_buildsOnlyTheNamedCommand() {
        assertThat(Main.subcommandsFor("run", "--set", "seed=2")).containsExactly(RunCommand.class);
        assertThat(Main.subcommandsFor("--verbose", "--plugins-dir", "run", "platform", "list")).containsExactly(PlatformCommand.class);
        assertThat(Main.subcommandsFor("--plugins-dir=x", "--no-default-plugins", "twin", "dir")).containsExactly(TwinCommand.class);
        assertThat(Main.subcommandsFor("--version")).isEmpty();
        assertThat(Main.subcommandsFor("-V", "--verbose")).isEmpty();
    }

    @Test
    void subcommandsFor_buildsAllWhenTheChoiceIsNotCertain() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-V", "-h"},
                new String[] {"help", "run"}, new String[] {"rn"}, new String[] {"@args.txt"}, new String[] {"--plugins-dir"},
                new String[] {"-x", "run"}, new String[] {"--", "run"}, new String[] {"--version", "extra"})) {
            assertThat(Main.subcommandsFor(args)).as(String.join(" ", args)).isEqualTo(Main.COMMANDS);
        }
    }

    @Test
    void help_listsEveryCommandOfTheList() {
        Cli r = Cli.run("--help");
        for (Class<?> command : Main.COMMANDS) {
            assertThat(r.out()).contains("  " + command.getAnnotation(CommandLine.Command.class).name() + " ");
        }
    }

    @Test
    void inheritedOptions_reachACommandAddedAlone(@TempDir Path empty) {
        Cli r = Cli.run("plugins", "list", "--no-default-plugins", "--plugins-dir", empty.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("Unknown option");
    }
}
