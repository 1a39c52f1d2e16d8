/** The {@code claim-threshold} migrate-type fallback policy: a kmemsim plugin built outside the kmemsim reactor. */
package com.example.claimthreshold;
