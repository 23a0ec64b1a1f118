/**
 * BOLD (Dhamala et al. 2021), gender and profession domains: sampled continuations scored by token-based gender
 * polarity and HurtLex hurtfulness; the classifier metrics are not reproduced.
 */
package org.unmask.benchmarks.bold;
