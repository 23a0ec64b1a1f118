package org.unmask.corpus.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.CorpusStats;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Coefficient;
import org.unmask.core.result.TraceResult.Occupation;
import org.unmask.core.stats.Correlation;

/**
 * Links corpus statistics to model bias, per occupation (the Thaler et al. 2024 question: does the model amplify
 * the gender skew of its data?). Inputs are the outputs of {@code unmask corpus stats} ({@code corpus-stats.json})
 * and of {@code unmask audit} ({@code result.json}, its {@code pronoun-lean} measure), both read through the
 * result contract ({@link ResultCodec}), so a malformed file is an error naming the file and the field.
 *
 * <p>Model % female = {@code 100 · σ(lean)} with lean = mean log P(female pronoun) − mean log P(male pronoun):
 * exactly {@code P(she) / (P(she) + P(he))} when each pronoun list has one entry, otherwise the share of the
 * geometric mean probabilities. Occupations enter the comparison when the corpus has at least
 * {@code minSentences} gendered sentences for them and the model lean is defined. Reported: Pearson r and
 * Spearman ρ with Fisher-z 95% intervals for data vs model, data vs BLS and model vs BLS; mean amplification
 * (model − data, percentage points; 0 ideal); skew amplification (mean |model − 50| − mean |data − 50|;
 * &gt; 0 = the model is more one-sided than its data); and the least-squares slope of model on data % female
 * (Bordia &amp; Bowman's bias amplification; 1 = reproduces, &gt; 1 = amplifies).
 *
 * <p>The result is a {@link TraceResult} (the result contract's record of {@code trace.json}); {@code report} writes
 * and renders it.
 */
public final class Trace {
    private Trace() {}

    /**
     * Compares a corpus with a model.
     *
     * @param corpusStats {@code corpus-stats.json} or the folder holding it
     * @param audit {@code result.json} or the folder holding it
     * @param minSentences gendered sentences an occupation needs in the corpus to be compared
     * @throws InvalidInputException when a file is missing or malformed, or the audit has no pronoun-lean measure
     */
    public static TraceResult link(Path corpusStats, Path audit, int minSentences) throws InvalidInputException {
        Path statsFile = Files.isDirectory(corpusStats) ? corpusStats.resolve("corpus-stats.json") : corpusStats;
        Path auditFile = Files.isDirectory(audit) ? audit.resolve("result.json") : audit;
        CorpusStats stats = ResultCodec.readCorpusStats(statsFile);
        Map<String, TargetLean> model = pronounLeans(ResultCodec.readAudit(auditFile), auditFile);
        List<Occupation> rows = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (CorpusStats.Occupation o : stats.occupations()) {
            String name = o.occupation();
            long n = o.sentence().n();
            TargetLean m = model.get(name);
            if (n < minSentences || m == null || Double.isNaN(m.lean().value())) {
                excluded.add(name + (m == null ? " (not in the audit)" : n < minSentences ? " (" + n
                        + " gendered sentences < " + minSentences + ")" : " (model lean undefined)"));
                continue;
            }
            double lean = m.lean().value();
            double bls = Double.isNaN(o.referencePctFemale()) ? m.stat() : o.referencePctFemale();
            rows.add(new Occupation(name, o.sentence().pctFemale(), n, 100 / (1 + Math.exp(-lean)), lean, bls));
        }
        return compute(rows, excluded, minSentences, statsFile.toString(), auditFile.toString());
    }

    static TraceResult compute(List<Occupation> rows, List<String> excluded, int minSentences, String stats,
            String audit) {
        double[] data = rows.stream().mapToDouble(Occupation::dataPctFemale).toArray();
        double[] model = rows.stream().mapToDouble(Occupation::modelPctFemale).toArray();
        List<Occupation> withBls = rows.stream().filter(r -> !Double.isNaN(r.blsPctFemale())).toList();
        double[] bData = withBls.stream().mapToDouble(Occupation::dataPctFemale).toArray();
        double[] bModel = withBls.stream().mapToDouble(Occupation::modelPctFemale).toArray();
        double[] bls = withBls.stream().mapToDouble(Occupation::blsPctFemale).toArray();
        double amp = rows.stream().mapToDouble(Occupation::amplification).average().orElse(Double.NaN);
        double skew = rows.stream().mapToDouble(r -> Math.abs(r.modelPctFemale() - 50) - Math.abs(r.dataPctFemale()
                - 50)).average().orElse(Double.NaN);
        return new TraceResult(TraceResult.SCHEMA, stats, audit, minSentences, TraceResult.MODEL_PCT_FEMALE,
                TraceResult.DATA_PCT_FEMALE, Coefficient.of(Correlation.pearsonEstimate(data, model)),
                Coefficient.of(Correlation.spearmanEstimate(data, model)),
                Coefficient.of(Correlation.pearsonEstimate(bData, bls)),
                Coefficient.of(Correlation.pearsonEstimate(bModel, bls)), amp, skew, slope(data, model), rows,
                excluded);
    }

    /** Least-squares slope of y on x; NaN with fewer than 2 points or no spread in x. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** target → its lean in the audit's pronoun-lean measure. */
    private static Map<String, TargetLean> pronounLeans(AuditResult result, Path file) throws InvalidInputException {
        for (MeasureResult m : result.measures()) {
            if (m instanceof LeanResult l && "pronoun-lean".equals(l.measure())) {
                Map<String, TargetLean> out = new HashMap<>();
                for (TargetLean t : l.targets()) {
                    out.put(t.target(), t);
                }
                return out;
            }
        }
        throw new InvalidInputException(file + " has no pronoun-lean measure",
                "run the built-in suite (`unmask audit`), which includes pronoun-lean over the occupations");
    }
}
