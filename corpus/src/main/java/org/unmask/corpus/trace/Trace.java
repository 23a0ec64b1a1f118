package org.unmask.corpus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.stats.Correlation;
import org.unmask.core.stats.Estimate;

/**
 * Links corpus statistics to model bias, per occupation (the Thaler et al. 2024 question: does the model amplify
 * the gender skew of its data?). Inputs are the outputs of {@code unmask corpus stats} ({@code corpus-stats.json})
 * and of {@code unmask audit} ({@code result.json}, its {@code pronoun-lean} measure).
 *
 * <p>Model % female = {@code 100 · σ(lean)} with lean = mean log P(female pronoun) − mean log P(male pronoun):
 * exactly {@code P(she) / (P(she) + P(he))} when each pronoun list has one entry, otherwise the share of the
 * geometric mean probabilities. Occupations enter the comparison when the corpus has at least
 * {@code minSentences} gendered sentences for them and the model lean is defined. Reported: Pearson r and
 * Spearman ρ with Fisher-z 95% intervals for data vs model, data vs BLS and model vs BLS; mean amplification
 * (model − data, percentage points; 0 ideal); skew amplification (mean |model − 50| − mean |data − 50|;
 * &gt; 0 = the model is more one-sided than its data); and the least-squares slope of model on data % female
 * (Bordia &amp; Bowman's bias amplification; 1 = reproduces, &gt; 1 = amplifies).
 */
public final class Trace {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The comparison's numbers. */
    public record Result(List<TraceRow> rows, List<String> excluded, Estimate pearsonDataModel,
            Estimate spearmanDataModel, Estimate pearsonDataBls, Estimate pearsonModelBls, double meanAmplification,
            double skewAmplification, double slope, int minSentences, String corpusStats, String audit) {}

    private Trace() {}

    public static Result link(Path corpusStats, Path audit, int minSentences) throws InvalidInputException {
        Path statsFile = Files.isDirectory(corpusStats) ? corpusStats.resolve("corpus-stats.json") : corpusStats;
        Path auditFile = Files.isDirectory(audit) ? audit.resolve("result.json") : audit;
        JsonNode stats = read(statsFile, "run `unmask corpus stats <corpus> --out <dir>` first");
        JsonNode result = read(auditFile, "run `unmask audit --model <ref> --out <dir>` first");
        if (!"unmask.corpus-stats/1".equals(stats.path("schema").asText())) {
            throw new InvalidInputException(statsFile + " is not an unmask corpus-stats/1 file",
                    "pass the --out folder of `unmask corpus stats`");
        }
        Map<String, double[]> model = pronounLeans(result, auditFile);
        List<TraceRow> rows = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (JsonNode o : stats.path("occupations")) {
            String name = o.path("occupation").asText();
            JsonNode s = o.path("sentence");
            long n = s.path("n").asLong();
            double[] m = model.get(name);
            if (n < minSentences || m == null || Double.isNaN(m[0])) {
                excluded.add(name + (m == null ? " (not in the audit)" : n < minSentences ? " (" + n
                        + " gendered sentences < " + minSentences + ")" : " (model lean undefined)"));
                continue;
            }
            double lean = m[0];
            double bls = o.path("referencePctFemale").isNumber() ? o.path("referencePctFemale").asDouble() : m[1];
            rows.add(new TraceRow(name, s.path("pctFemale").asDouble(), n, 100 / (1 + Math.exp(-lean)), lean, bls));
        }
        return compute(rows, excluded, minSentences, statsFile.toString(), auditFile.toString());
    }

    static Result compute(List<TraceRow> rows, List<String> excluded, int minSentences, String stats, String audit) {
        double[] data = rows.stream().mapToDouble(TraceRow::dataPctFemale).toArray();
        double[] model = rows.stream().mapToDouble(TraceRow::modelPctFemale).toArray();
        List<TraceRow> withBls = rows.stream().filter(r -> !Double.isNaN(r.blsPctFemale())).toList();
        double[] bData = withBls.stream().mapToDouble(TraceRow::dataPctFemale).toArray();
        double[] bModel = withBls.stream().mapToDouble(TraceRow::modelPctFemale).toArray();
        double[] bls = withBls.stream().mapToDouble(TraceRow::blsPctFemale).toArray();
        double amp = rows.stream().mapToDouble(TraceRow::amplification).average().orElse(Double.NaN);
        double skew = rows.stream().mapToDouble(r -> Math.abs(r.modelPctFemale() - 50) - Math.abs(r.dataPctFemale()
                - 50)).average().orElse(Double.NaN);
        return new Result(rows, excluded, Correlation.pearsonEstimate(data, model),
                Correlation.spearmanEstimate(data, model), Correlation.pearsonEstimate(bData, bls),
                Correlation.pearsonEstimate(bModel, bls), amp, skew, slope(data, model), minSentences, stats, audit);
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

    /** target → {lean, stat} of the audit's pronoun-lean measure. */
    private static Map<String, double[]> pronounLeans(JsonNode result, Path file) throws InvalidInputException {
        for (JsonNode m : result.path("measures")) {
            if ("pronoun-lean".equals(m.path("measure").asText())) {
                Map<String, double[]> out = new HashMap<>();
                for (JsonNode t : m.path("targets")) {
                    JsonNode v = t.path("lean").path("value");
                    out.put(t.path("target").asText(), new double[] {v.isNumber() ? v.asDouble() : Double.NaN,
                            t.path("stat").isNumber() ? t.path("stat").asDouble() : Double.NaN});
                }
                return out;
            }
        }
        throw new InvalidInputException(file + " has no pronoun-lean measure",
                "run the built-in suite (`unmask audit`), which includes pronoun-lean over the occupations");
    }

    private static JsonNode read(Path f, String hint) throws InvalidInputException {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + f + ": " + e.getMessage(), hint);
        }
    }
}
