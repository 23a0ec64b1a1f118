package org.unmask.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordLists;

/**
 * A {@link CountingSpec} in a form Java serialization can ship to Spark executors ({@code OptionalDouble} is not
 * serializable); {@link #toSpec()} rebuilds an equal spec (same fingerprint) on the other side.
 */
record WireSpec(
        List<String> names,
        List<List<String>> forms,
        double[] pctFemale,
        List<String> male,
        List<String> female,
        List<String> dropped,
        String source,
        int window,
        String textField,
        int maxLineBytes)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    static WireSpec of(CountingSpec s) {
        List<String> names = new ArrayList<>();
        List<List<String>> forms = new ArrayList<>();
        double[] pct = new double[s.words().occupations().size()];
        for (int i = 0; i < pct.length; i++) {
            OccupationTerm t = s.words().occupations().get(i);
            names.add(t.name());
            forms.add(new ArrayList<>(t.forms()));
            pct[i] = t.referencePctFemale().orElse(Double.NaN);
        }
        WordLists w = s.words();
        return new WireSpec(
                names,
                forms,
                pct,
                new ArrayList<>(w.male()),
                new ArrayList<>(w.female()),
                new ArrayList<>(w.dropped()),
                w.source(),
                s.window(),
                s.textField(),
                s.maxLineBytes());
    }

    CountingSpec toSpec() {
        List<OccupationTerm> occ = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            occ.add(new OccupationTerm(
                    names.get(i),
                    forms.get(i),
                    Double.isNaN(pctFemale[i]) ? OptionalDouble.empty() : OptionalDouble.of(pctFemale[i])));
        }
        return new CountingSpec(new WordLists(occ, male, female, dropped, source), window, textField, maxLineBytes);
    }
}
