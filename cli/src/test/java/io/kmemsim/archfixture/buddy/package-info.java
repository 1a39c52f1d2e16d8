/** A fake plugin package whose class depends on the engine. */
package io.kmemsim.archfixture.buddy;
