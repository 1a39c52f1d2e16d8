package com.example.claimthreshold;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.OneOf;
import io.kmemsim.api.plugin.Range;

/**
 * Options of the {@code claim-threshold} fallback policy.
 *
 * @param claimThreshold the share of a pageblock that must be free or already of the requested mobility
 *                       before the policy re-types the whole pageblock; the kernel's rule is one half
 * @param minClaimOrder  blocks smaller than this order are stolen, never claimed, whatever the share
 * @param search         {@code largest-first} (the kernel's: fall back to the largest foreign block, so
 *                       fallbacks are rare and claim whole pageblocks) or {@code smallest-first} (keep
 *                       large blocks for huge pages; fallbacks then take small blocks and the claim
 *                       threshold decides how much mixing that causes)
 */
public record ClaimThresholdOptions(
        @Doc("share of a pageblock that must be free or of the requested mobility to claim it (the kernel uses 0.5)")
        @Range(min = 0, max = 1) double claimThreshold,
        @Doc("never claim the pageblock of a fallback block below this order")
        @Range(min = 0, max = 10) int minClaimOrder,
        @Doc("which foreign block to fall back to: largest-first (the kernel's) or smallest-first")
        @OneOf({"largest-first", "smallest-first"}) String search) {

    /** The kernel's half-pageblock rule, any order, largest block first. */
    public ClaimThresholdOptions() {
        this(0.5, 0, "largest-first");
    }
}
