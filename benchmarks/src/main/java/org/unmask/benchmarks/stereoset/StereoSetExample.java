package org.unmask.benchmarks.stereoset;

/**
 * One intrasentence example of the flattened dev file.
 *
 * @param line 1-based line in the file
 * @param target the target term (SS/LMS are macro-averaged over these)
 * @param domain bias type: gender, profession, race, religion
 * @param context sentence with {@code BLANK}
 * @param stereotype the stereotypical sentence
 * @param antiStereotype the anti-stereotypical sentence
 * @param unrelated the unrelated sentence
 */
public record StereoSetExample(
        int line,
        String target,
        String domain,
        String context,
        String stereotype,
        String antiStereotype,
        String unrelated) {}
