package org.unmask.core.result;

import java.util.List;

/**
 * The part of {@code corpus-stats.json} (schema {@value #SCHEMA}, written by {@code unmask corpus stats}) that other
 * tools read, as records the {@link ResultCodec} binds: per occupation its sentence-level gender counts and the
 * reference share. The file holds more (definitions, provenance, document and window levels, skips); a reader
 * ignores what it does not use.
 *
 * @param schema {@value #SCHEMA}
 * @param occupations one entry per occupation of the word lists, in list order
 */
public record CorpusStats(String schema, List<Occupation> occupations) {
    /** The schema id this build writes and reads. */
    public static final String SCHEMA = "unmask.corpus-stats/1";

    public CorpusStats {
        occupations = List.copyOf(occupations);
    }

    /**
     * One occupation.
     *
     * @param occupation its name
     * @param referencePctFemale real-world % female (BLS), NaN when the list has none
     * @param sentence sentence-level association (Thaler et al. 2024)
     */
    public record Occupation(String occupation, double referencePctFemale, Level sentence) {}

    /**
     * The association at one counting level.
     *
     * @param n units (here sentences) mentioning the occupation with words of only one gender
     * @param pctFemale 100 · female-only / n, NaN when n = 0
     */
    public record Level(long n, double pctFemale) {}
}
