/**
 * Migrate-type fallback policies: the kernel's own per version ({@code linux}) and the alternatives
 * kernel developers have argued for ({@code no-fallback}, {@code always-claim}, {@code never-claim}).
 */
package io.kmemsim.policies.fallback;
