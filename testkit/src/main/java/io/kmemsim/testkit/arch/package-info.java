/** Reusable ArchUnit rules: kmemsim's module boundaries, for the project's CI and for plugin authors' own. */
package io.kmemsim.testkit.arch;
