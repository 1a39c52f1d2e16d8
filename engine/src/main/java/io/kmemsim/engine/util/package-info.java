/** Small primitive collections for the engine's hot paths (no boxing, no allocation per operation). */
package io.kmemsim.engine.util;
