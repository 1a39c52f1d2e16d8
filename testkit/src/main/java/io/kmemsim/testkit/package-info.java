/** The kmemsim testkit: conformance kits per SPI, test fixtures, and architecture rules for plugin authors. */
package io.kmemsim.testkit;
