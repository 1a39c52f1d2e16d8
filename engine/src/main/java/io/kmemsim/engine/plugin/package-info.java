/** The plugin host: providers found by ServiceLoader on the classpath and by PF4J in a plugins directory. */
package io.kmemsim.engine.plugin;
