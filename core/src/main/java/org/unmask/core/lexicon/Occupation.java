package org.unmask.core.lexicon;

import java.util.OptionalDouble;

/**
 * An occupation with its real-world share of women.
 *
 * @param name the occupation as written in templates (lower case, singular)
 * @param pctFemale percent of workers who are women (U.S. BLS), if known
 * @param pctFemaleSource where the percentage comes from ({@code winogender-bls-2015} or {@code winobias-readme-bls})
 * @param winogender whether Winogender (Rudinger et al. 2018) lists it
 * @param winobias whether WinoBias (Zhao et al. 2018) lists it
 */
public record Occupation(
        String name, OptionalDouble pctFemale, String pctFemaleSource, boolean winogender, boolean winobias) {}
