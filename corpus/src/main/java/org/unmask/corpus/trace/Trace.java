package org.unmask.corpus.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.CorpusStats;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.core.result.TraceResult.Coefficient;
import org.unmask.core.result.TraceResult.Occupation;
import org.unmask.core.result.TraceResult.Point;
import org.unmask.core.result.TraceResult.Run;
import org.unmask.core.stats.Correlation;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Draw;
import org.unmask.core.stats.Interval;

/**
 * Links corpus statistics to model bias, per occupation (the Thaler et al. 2024 question: does the model amplify
 * the gender skew of its data?). Inputs are the outputs of {@code unmask corpus stats} ({@code corpus-stats.json})
 * and of one or more {@code unmask audit} runs ({@code result.json}), all read through the result contract
 * ({@link ResultCodec}), so a malformed file is an error naming the file and the field.
 *
 * <p>The model's % female per occupation comes from one measure kind of each audit ({@link ModelShares}): a
 * {@code generation} measure (one run per decoding setting), {@code zero-shot}, {@code pronoun-lean} or
 * {@code cooccurrence-log-ratio}; {@link #AUTO} takes the first of these the audit has. Occupations enter a run
 * when the corpus has at least {@code minSentences} gendered sentences for them and the model share is defined.
 * Per run: mean amplification (model − data, percentage points; 0 ideal) with a seeded BCa interval of the
 * bootstrap over occupations, Pearson r with its Fisher-z interval and the least-squares slope of model on data
 * (Bordia &amp; Bowman's bias amplification; 1 = reproduces, &gt; 1 = amplifies). The top level of the result
 * describes the first run as schema 1 did (data vs BLS, model vs BLS, Spearman ρ, skew amplification).
 */
public final class Trace {
    /** Measure choice: the first usable kind the audit has, in {@link #MEASURES} order. */
    public static final String AUTO = "auto";
    /** The measure kinds a trace reads the model's % female from, in the order {@link #AUTO} prefers them. */
    public static final List<String> MEASURES = ModelShares.KINDS;
    /** Seed of the amplification bootstrap: fixed, so a trace is reproducible from its inputs. */
    public static final long SEED = 17;

    private Trace() {}

    /** One audit's pronoun-lean (or, automatically, other) measure against the corpus, as before several runs. */
    public static TraceResult link(Path corpusStats, Path audit, int minSentences) throws InvalidInputException {
        return link(corpusStats, List.of(audit), minSentences, AUTO, CrossedBootstrap.DEFAULT_RESAMPLES);
    }

    /**
     * Compares a corpus with one or more audited models.
     *
     * @param corpusStats {@code corpus-stats.json} or the folder holding it
     * @param audits each {@code result.json} or the folder holding it (at least one)
     * @param minSentences gendered sentences an occupation needs in the corpus to be compared
     * @param measure {@link #AUTO} or one of {@link #MEASURES}
     * @param resamples bootstrap resamples of the amplification intervals
     * @throws InvalidInputException when a file is missing or malformed, or an audit has no usable measure
     */
    public static TraceResult link(Path corpusStats, List<Path> audits, int minSentences, String measure, int resamples)
            throws InvalidInputException {
        if (!AUTO.equals(measure) && !ModelShares.KINDS.contains(measure)) {
            throw new InvalidInputException(
                    "unknown trace measure '" + measure + "'",
                    "use --measure auto or one of " + String.join(", ", ModelShares.KINDS));
        }
        if (audits.isEmpty()) {
            throw new InvalidInputException("no audit to trace", "give --audit DIR (repeatable) or --model REF");
        }
        Path statsFile = Files.isDirectory(corpusStats) ? corpusStats.resolve("corpus-stats.json") : corpusStats;
        CorpusStats stats = ResultCodec.readCorpusStats(statsFile);
        List<Run> runs = new ArrayList<>();
        List<List<Occupation>> rowsOfRuns = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        for (Path audit : audits) {
            Path auditFile = Files.isDirectory(audit) ? audit.resolve("result.json") : audit;
            AuditResult result = ResultCodec.readAudit(auditFile);
            String label = label(auditFile, labels);
            for (ModelShares.Series s : ModelShares.of(result, auditFile, measure)) {
                List<Occupation> rows = new ArrayList<>();
                List<Point> points = new ArrayList<>();
                List<String> excluded = new ArrayList<>();
                for (CorpusStats.Occupation o : stats.occupations()) {
                    String name = o.occupation();
                    long n = o.sentence().n();
                    ModelShares.Share m = s.shares().get(name);
                    if (n < minSentences || m == null || Double.isNaN(m.pct())) {
                        excluded.add(name
                                + (m == null
                                        ? " (not in the audit)"
                                        : n < minSentences
                                                ? " (" + n + " gendered sentences < " + minSentences + ")"
                                                : " (model share undefined)"));
                        continue;
                    }
                    double bls = Double.isNaN(o.referencePctFemale()) ? m.stat() : o.referencePctFemale();
                    double data = o.sentence().pctFemale();
                    rows.add(new Occupation(name, data, n, m.pct(), m.lean(), bls));
                    points.add(new Point(name, data, n, m.pct(), m.ciLow(), m.ciHigh(), m.n(), bls));
                }
                String runLabel = label + (s.suffix().isEmpty() ? "" : " · " + s.suffix());
                runs.add(run(runLabel, auditFile.toString(), s, points, excluded, resamples));
                rowsOfRuns.add(rows);
            }
        }
        Run first = runs.get(0);
        List<String> excluded = first.excluded();
        return compute(
                rowsOfRuns.get(0),
                excluded,
                minSentences,
                statsFile.toString(),
                first.audit(),
                first.modelPctFemale(),
                runs);
    }

    /** The audit's folder name (e.g. {@code base}), numbered when two audits share it. */
    private static String label(Path auditFile, Map<String, Integer> seen) {
        Path dir = auditFile.toAbsolutePath().normalize().getParent();
        String name = dir == null || dir.getFileName() == null
                ? auditFile.toString()
                : dir.getFileName().toString();
        int k = seen.merge(name, 1, Integer::sum);
        return k == 1 ? name : name + " (" + k + ")";
    }

    /** A run's statistics over its points. */
    static Run run(
            String label,
            String audit,
            ModelShares.Series s,
            List<Point> points,
            List<String> excluded,
            int resamples) {
        double[] data = points.stream().mapToDouble(Point::dataPctFemale).toArray();
        double[] model = points.stream().mapToDouble(Point::modelPctFemale).toArray();
        double[] amp = points.stream().mapToDouble(Point::amplification).toArray();
        double mean = Arrays.stream(amp).average().orElse(Double.NaN);
        Interval ci = amplificationInterval(amp, resamples);
        String how = amp.length < 2
                ? "none: fewer than 2 occupations"
                : "BCa, " + resamples
                        + " seeded bootstrap resamples of the occupations (seed " + SEED
                        + "); the model's sampling noise"
                        + " within an occupation is in each point's interval, not in this one";
        return new Run(
                label,
                audit,
                s.kind(),
                s.measureName(),
                s.setting(),
                s.definition(),
                new Coefficient(mean, ci.lower(), ci.upper(), amp.length),
                how,
                Coefficient.of(Correlation.pearsonEstimate(data, model)),
                slope(data, model),
                points,
                excluded);
    }

    /** The 95 % BCa interval of the mean of {@code x} under the bootstrap over its elements. */
    static Interval amplificationInterval(double[] x, int resamples) {
        if (x.length < 2) {
            return Interval.UNDEFINED;
        }
        CrossedDesign design = CrossedDesign.iid("occupations", x.length);
        return new CrossedBootstrap(SEED, resamples)
                .run(design, 1, (Draw d) -> {
                    double sum = 0;
                    double w = 0;
                    for (int i = 0; i < x.length; i++) {
                        sum += d.weight(i) * x[i];
                        w += d.weight(i);
                    }
                    return new double[] {w == 0 ? Double.NaN : sum / w};
                })
                .bca(0, "occupations");
    }

    static TraceResult compute(
            List<Occupation> rows, List<String> excluded, int minSentences, String stats, String audit) {
        return compute(rows, excluded, minSentences, stats, audit, TraceResult.MODEL_PCT_FEMALE, List.of());
    }

    static TraceResult compute(
            List<Occupation> rows,
            List<String> excluded,
            int minSentences,
            String stats,
            String audit,
            String definition,
            List<Run> runs) {
        double[] data = rows.stream().mapToDouble(Occupation::dataPctFemale).toArray();
        double[] model = rows.stream().mapToDouble(Occupation::modelPctFemale).toArray();
        List<Occupation> withBls =
                rows.stream().filter(r -> !Double.isNaN(r.blsPctFemale())).toList();
        double[] bData = withBls.stream().mapToDouble(Occupation::dataPctFemale).toArray();
        double[] bModel =
                withBls.stream().mapToDouble(Occupation::modelPctFemale).toArray();
        double[] bls = withBls.stream().mapToDouble(Occupation::blsPctFemale).toArray();
        double amp =
                rows.stream().mapToDouble(Occupation::amplification).average().orElse(Double.NaN);
        double skew = rows.stream()
                .mapToDouble(r -> Math.abs(r.modelPctFemale() - 50) - Math.abs(r.dataPctFemale() - 50))
                .average()
                .orElse(Double.NaN);
        return new TraceResult(
                TraceResult.SCHEMA,
                stats,
                audit,
                minSentences,
                definition,
                TraceResult.DATA_PCT_FEMALE,
                Coefficient.of(Correlation.pearsonEstimate(data, model)),
                Coefficient.of(Correlation.spearmanEstimate(data, model)),
                Coefficient.of(Correlation.pearsonEstimate(bData, bls)),
                Coefficient.of(Correlation.pearsonEstimate(bModel, bls)),
                amp,
                skew,
                slope(data, model),
                rows,
                excluded,
                runs);
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
}
