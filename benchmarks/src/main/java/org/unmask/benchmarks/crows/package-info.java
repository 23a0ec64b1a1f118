/** CrowS-Pairs (Nangia et al. 2020) in the paper's and bias-bench's variants, with a faithful difflib port. */
package org.unmask.benchmarks.crows;
