package io.kmemsim.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginInstallerTest {

    private static final Path HOME = Path.of("/home/ada");

    @Test
    void userDirectory_isKmemsimPlugins_elseXdgDataHome_elseLocalShare() {
        assertThat(PluginInstaller.userDirectory(Map.of("KMEMSIM_PLUGINS", "/opt/p", "XDG_DATA_HOME", "/x"), HOME))
                .isEqualTo(Path.of("/opt/p"));
        assertThat(PluginInstaller.userDirectory(Map.of("XDG_DATA_HOME", "/x"), HOME)).isEqualTo(Path.of("/x/kmemsim/plugins"));
        assertThat(PluginInstaller.userDirectory(Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.local/share/kmemsim/plugins"));
    }

    @Test
    void userDirectory_ignoresBlankValues_andARelativeXdgDataHome() {
        assertThat(PluginInstaller.userDirectory(Map.of("KMEMSIM_PLUGINS", " ", "XDG_DATA_HOME", "relative/data"), HOME))
                .isEqualTo(Path.of("/home/ada/.local/share/kmemsim/plugins"));
    }
}
