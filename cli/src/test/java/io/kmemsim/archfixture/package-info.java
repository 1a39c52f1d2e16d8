/** Classes that break the architecture rules on purpose, so the architecture test can show the rules fail. */
package io.kmemsim.archfixture;
