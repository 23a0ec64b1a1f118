package org.unmask.core.result;

/** What one measure of a suite found. */
public sealed interface MeasureResult permits TopKResult, LeanResult, GenerationResult {
    /** The measure's name in the suite. */
    String name();

    /** The measure kind's id. */
    String measure();
}
