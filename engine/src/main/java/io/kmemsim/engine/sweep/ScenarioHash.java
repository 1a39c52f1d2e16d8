package io.kmemsim.engine.sweep;

import io.kmemsim.api.ApiVersion;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.Scenario;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content hash that names a point's results directory: SHA-256 over the effective scenario as it was bound —
 * kernel, seed, CPUs, each component's kind, provider id, plugin id and version and its bound options, the run
 * settings — and the engine's version. Two texts that bind to the same scenario share a hash; a changed option,
 * plugin version or kmemsim version gives a new one, so that point reruns. The scenario's name is left out (it
 * labels, it does not change the run).
 */
public final class ScenarioHash {

    /** Hex digits kept: 64 bits, enough to tell the points of any sweep apart. */
    public static final int LENGTH = 16;

    private ScenarioHash() {
    }

    /** The canonical text the hash is taken over (for debugging and docs). */
    public static String canonical(Scenario s) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("kmemsim-engine ").append(engineVersion()).append(" api ").append(ApiVersion.CURRENT).append('\n');
        sb.append("kernel ").append(s.kernel()).append('\n');
        sb.append("seed ").append(s.seed()).append('\n');
        sb.append("cpus ").append(s.cpus()).append('\n');
        for (ComponentConfig c : s.components()) {
            sb.append(c.kind().label()).append(' ').append(c.id()).append(' ').append(c.entry().pluginId()).append(' ')
                    .append(c.entry().version()).append(' ').append(c.options()).append('\n');
        }
        sb.append("run ").append(s.run()).append('\n');
        return sb.toString();
    }

    private static String engineVersion() {
        Package p = ScenarioHash.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "unversioned" : v;
    }

    /** The hash of {@code s}: {@link #LENGTH} lowercase hex digits. */
    public static String of(Scenario s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(s).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
