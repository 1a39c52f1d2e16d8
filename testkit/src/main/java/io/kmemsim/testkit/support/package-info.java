/** Fixtures the conformance kits run on: small platforms, a provider context, a reference page allocator and scripted policy contexts. */
package io.kmemsim.testkit.support;
