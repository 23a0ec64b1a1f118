/** Winogender and WinoBias as masked-pronoun probes. */
package org.unmask.benchmarks.wino;
