/** SEAT/WEAT: effect size and permutation test on sentence encodings. */
package org.unmask.benchmarks.seat;
