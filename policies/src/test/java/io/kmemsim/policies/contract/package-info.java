/** Conformance kits for the policies of this module. */
package io.kmemsim.policies.contract;
