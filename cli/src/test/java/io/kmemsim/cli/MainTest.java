package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.ApiVersion;
import org.junit.jupiter.api.Test;

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
}
