/** HONEST: hurtful top-K completions against HurtLex. */
package org.unmask.benchmarks.honest;
