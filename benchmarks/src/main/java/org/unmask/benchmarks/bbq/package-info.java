/**
 * BBQ (Parrish et al. 2022) for causal LMs, asked as lm-evaluation-harness asks it (answer log-likelihoods, or the
 * answer scored as the assistant's reply through the chat template) and scored as the paper defines.
 */
package org.unmask.benchmarks.bbq;
