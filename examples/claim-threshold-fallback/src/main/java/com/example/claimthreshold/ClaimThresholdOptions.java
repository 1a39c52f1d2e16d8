package com.example.claimthreshold;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.Range;

/**
 * Options of the {@code claim-threshold} fallback policy.
 *
 * @param claimThreshold the share of a pageblock that must be free or already of the requested mobility
 *                       before the policy re-types the whole pageblock; the kernel's rule is one half
 * @param minClaimOrder  blocks smaller than this order are stolen, never claimed, whatever the share
 */
public record ClaimThresholdOptions(
        @Doc("share of a pageblock that must be free or of the requested mobility to claim it (the kernel uses 0.5)")
        @Range(min = 0, max = 1) double claimThreshold,
        @Doc("never claim the pageblock of a fallback block below this order")
        @Range(min = 0, max = 10) int minClaimOrder) {

    /** The kernel's half-pageblock rule, any order. */
    public ClaimThresholdOptions() {
        this(0.5, 0);
    }
}
