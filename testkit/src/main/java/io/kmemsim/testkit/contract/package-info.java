/**
 * Conformance kits: one abstract JUnit 5 class per SPI. An implementation's test extends the kit with
 * a few lines that create the component; the kit's nested groups then check the SPI contract.
 */
package io.kmemsim.testkit.contract;
