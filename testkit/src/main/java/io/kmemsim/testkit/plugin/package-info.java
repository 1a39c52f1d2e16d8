/**
 * Test support for plugin authors: {@link io.kmemsim.testkit.plugin.PluginJarBuilder} compiles Java
 * sources into a real PF4J plugin jar, so a test can load a plugin the way the kmemsim CLI does.
 *
 * <p>Typical uses in a plugin's own test suite:
 * <ul>
 *   <li><b>Packaging check</b>: build a jar into a JUnit {@code TempDir} and load it with the host's
 *       plugin registry ({@code io.kmemsim.engine.plugin.PluginRegistry.load(classLoader, dir)}, from
 *       the engine artifact); assert that the provider id is found and that
 *       {@code refused()} is empty, which proves the {@code META-INF/services} registration, the
 *       manifest and the {@code Plugin-Requires} range.</li>
 *   <li><b>Classpath check</b>: put the same jar on a {@link java.net.URLClassLoader} and use
 *       {@code PluginRegistry.fromClasspath(loader)}: the one registration serves both ways in.</li>
 *   <li><b>Failure paths</b>: a jar asking for a newer api ({@code requires(">=9.0.0")}), a registration
 *       naming a missing class, a provider that throws: the host must report each with the plugin's id
 *       instead of failing obscurely.</li>
 * </ul>
 *
 * <p>The plugin's sources are compiled against the test's classpath, so they may use anything the test
 * sees; a real plugin should depend on {@code kmemsim-api} only, in {@code provided} scope, because the
 * host always supplies the api classes itself.
 */
package io.kmemsim.testkit.plugin;
