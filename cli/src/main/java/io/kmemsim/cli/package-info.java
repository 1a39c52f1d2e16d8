/** The kmemsim command line: one picocli command per subcommand, thin over the engine; the only code that prints. */
package io.kmemsim.cli;
