/** The {@code cheapest-block} compaction policy: a kmemsim plugin built outside the kmemsim reactor. */
package com.example.cheapest;
