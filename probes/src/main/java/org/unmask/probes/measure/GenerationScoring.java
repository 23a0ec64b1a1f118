package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.GenerationResult.Counts;
import org.unmask.core.result.GenerationResult.Setting;
import org.unmask.core.result.GenerationResult.TargetShare;
import org.unmask.core.result.LeanResult.AggregateValue;
import org.unmask.core.stats.Bca;
import org.unmask.core.stats.Correlation;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.Interval;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Term;
import org.unmask.probes.suite.TermList;

/**
 * Turns labelled continuations into per-setting counts, shares and their seeded crossed-bootstrap BCa 95 %
 * intervals. One resample draws targets, templates and contexts (Owen's pigeonhole bootstrap, as the lean measures
 * do) and every statistic of every setting is computed on it, so the hyperparameter effect's interval pairs the two
 * settings' shares.
 */
final class GenerationScoring {
    /** Statistics per setting in the replicate vector: share, amplification, pearson, spearman, effect. */
    private static final int PER_SETTING = 5;

    private static final String[] ID = {"female-share", "amplification", "pearson", "spearman", "hyperparameter-effect"
    };
    private static final double[] IDEAL = {0.5, 0, 0, 0, 0};

    private final MeasureSpec.Generation spec;
    private final List<Term> targets;
    private final TermList targetList;
    private final CrossedBootstrap bootstrap;

    GenerationScoring(MeasureSpec.Generation spec, TermList targetList, CrossedBootstrap bootstrap) {
        this.spec = spec;
        this.targetList = targetList;
        this.targets = targetList.terms();
        this.bootstrap = bootstrap;
    }

    /** Targets × templates × contexts (continuations of one prompt share all three). */
    static List<CrossedDesign.Spec<GenerationItem>> specs() {
        return List.of(
                CrossedDesign.Spec.of("targets", GenerationItem::target),
                CrossedDesign.Spec.of("templates", GenerationItem::template),
                CrossedDesign.Spec.of("contexts", GenerationItem::context));
    }

    GenerationResult result(String formula, List<GenerationItem> items) {
        Map<String, Integer> fullCounts = itemsPerTarget(items);
        CrossedDesign design = CrossedDesign.of(items, specs());
        CrossedBootstrap.Result reps = bootstrap.run(
                design, PER_SETTING * spec.decoding().size(), d -> statistics(d.materialise(items), fullCounts));
        double[] point = reps.estimates();
        boolean resamplable = design.resampled();
        Map<String, List<GenerationItem>> bySetting = Groups.by(items, GenerationItem::setting);
        List<Setting> settings = new ArrayList<>();
        for (int k = 0; k < spec.decoding().size(); k++) {
            Decoding d = spec.decoding().get(k);
            List<TargetShare> perTarget = targetShares(bySetting.getOrDefault(d.name(), List.of()));
            Counts total = perTarget.stream().map(TargetShare::counts).reduce(Counts.ZERO, GenerationScoring::sum);
            int n = (int) perTarget.stream()
                    .filter(t -> !Double.isNaN(t.femaleShare()))
                    .count();
            List<AggregateValue> aggregates = new ArrayList<>();
            for (int j = 0; j < PER_SETTING; j++) {
                if ((j >= 1 && j <= 3 && targetList.statName() == null) || (j == 4 && k == 0)) {
                    continue;
                }
                int at = PER_SETTING * k + j;
                Interval ci = resamplable ? reps.bca(at) : Interval.undefined(Bca.METHOD, "nothing to resample");
                aggregates.add(new AggregateValue(
                        ID[j], label(j), IDEAL[j], new Estimate(point[at], ci, n), Double.NaN, 0, false, ""));
            }
            settings.add(new Setting(d, total, aggregates, perTarget));
        }
        return new GenerationResult(
                spec.name(),
                spec.measure(),
                formula,
                spec.female(),
                spec.male(),
                spec.targets(),
                targetList.statName(),
                spec.samples(),
                spec.maxNewTokens(),
                settings,
                items);
    }

    private String label(int j) {
        return switch (j) {
            case 0 -> "female share F/(F+M)";
            case 1 -> "amplification: model % female − " + targetList.statName() + " (mean over targets)";
            case 2 -> "Pearson r (target share vs " + targetList.statName() + ")";
            case 3 -> "Spearman ρ (target share vs " + targetList.statName() + ")";
            default -> "female share − that under '" + spec.decoding().get(0).name() + "'";
        };
    }

    private List<TargetShare> targetShares(List<GenerationItem> items) {
        Map<String, Counts> counts = new HashMap<>();
        for (GenerationItem i : items) {
            counts.merge(i.target(), count(label(i)), GenerationScoring::sum);
        }
        List<TargetShare> out = new ArrayList<>();
        for (Term t : targets) {
            Counts c = counts.getOrDefault(t.text(), Counts.ZERO);
            out.add(new TargetShare(t.text(), t.stat(), c, c.femaleShare()));
        }
        return out;
    }

    /**
     * Every setting's statistics on a (re)sample, {@link #PER_SETTING} per setting. A target drawn m times has m
     * times its full-data continuations in the resample; it is weighted m times in the per-target mean and the
     * correlations (prompts are balanced: every target has the same templates, contexts and samples).
     */
    private double[] statistics(List<GenerationItem> sample, Map<String, Integer> fullCounts) {
        Map<String, List<GenerationItem>> bySetting = Groups.by(sample, GenerationItem::setting);
        int settings = spec.decoding().size();
        double[] out = new double[PER_SETTING * settings];
        for (int k = 0; k < settings; k++) {
            List<GenerationItem> items =
                    bySetting.getOrDefault(spec.decoding().get(k).name(), List.of());
            Map<String, Integer> drawn = itemsPerTarget(items);
            List<double[]> pairs = new ArrayList<>();
            Counts total = Counts.ZERO;
            for (TargetShare t : targetShares(items)) {
                total = sum(total, t.counts());
                String key = key(spec.decoding().get(k).name(), t.target());
                long m = Math.round(drawn.getOrDefault(key, 0) / (double) fullCounts.getOrDefault(key, 1));
                for (long r = 0; r < m && !Double.isNaN(t.femaleShare()) && !Double.isNaN(t.stat()); r++) {
                    pairs.add(new double[] {t.femaleShare(), t.stat()});
                }
            }
            double[] share = pairs.stream().mapToDouble(p -> p[0]).toArray();
            double[] stat = pairs.stream().mapToDouble(p -> p[1]).toArray();
            int at = PER_SETTING * k;
            out[at] = total.femaleShare();
            out[at + 1] = amplification(share, stat);
            out[at + 2] = share.length < 2 ? Double.NaN : Correlation.pearson(share, stat);
            out[at + 3] = share.length < 2 ? Double.NaN : Correlation.spearman(share, stat);
            out[at + 4] = out[at] - out[0];
        }
        return out;
    }

    /** Mean over targets of model % female − the statistic (a percentage); NaN without targets. */
    private static double amplification(double[] share, double[] stat) {
        if (share.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < share.length; i++) {
            sum += 100 * share[i] - stat[i];
        }
        return sum / share.length;
    }

    /** Continuations per (setting, target). */
    private static Map<String, Integer> itemsPerTarget(List<GenerationItem> items) {
        Map<String, Integer> out = new HashMap<>();
        for (GenerationItem i : items) {
            out.merge(key(i.setting(), i.target()), 1, Integer::sum);
        }
        return out;
    }

    private static String key(String setting, String target) {
        return setting + '\u0000' + target;
    }

    private static OutputClassifier.Label label(GenerationItem i) {
        return OutputClassifier.Label.valueOf(i.label().toUpperCase(java.util.Locale.ROOT));
    }

    /** The counts of one continuation with this label. */
    private static Counts count(OutputClassifier.Label label) {
        return new Counts(
                label == OutputClassifier.Label.FEMALE ? 1 : 0,
                label == OutputClassifier.Label.MALE ? 1 : 0,
                label == OutputClassifier.Label.BOTH ? 1 : 0,
                label == OutputClassifier.Label.NONE ? 1 : 0);
    }

    private static Counts sum(Counts a, Counts b) {
        return new Counts(a.female() + b.female(), a.male() + b.male(), a.both() + b.both(), a.none() + b.none());
    }
}
