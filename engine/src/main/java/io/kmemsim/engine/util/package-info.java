/** The engine's primitive collections for hot paths, from maintained libraries (no boxing, no allocation per operation). */
package io.kmemsim.engine.util;
