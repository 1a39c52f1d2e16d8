/** {@code kmemsim explain}: the page allocator's own narration of the first events of a run, as text and as a page. */
package io.kmemsim.engine.explain;
