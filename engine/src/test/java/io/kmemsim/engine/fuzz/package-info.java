/** The fuzzing suite's shared parts: the oracle every input must satisfy and the committed regression corpus. */
package io.kmemsim.engine.fuzz;
