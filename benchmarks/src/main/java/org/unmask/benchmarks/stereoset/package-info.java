/** StereoSet intrasentence scored as bias-bench scores masked LMs. */
package org.unmask.benchmarks.stereoset;
