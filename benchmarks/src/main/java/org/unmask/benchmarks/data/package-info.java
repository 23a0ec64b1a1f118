/** Delimited-text tables with file:line errors. */
package org.unmask.benchmarks.data;
