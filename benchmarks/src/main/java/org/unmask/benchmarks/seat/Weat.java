package org.unmask.benchmarks.seat;

import java.util.ArrayList;
import java.util.List;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Interval;
import org.unmask.core.stats.Moments;
import org.unmask.core.stats.PermutationTest;

/**
 * The Word Embedding Association Test (Caliskan et al., Science 2017) as sent-bias / bias-bench compute it
 * ({@code weat.py}), on unit-length vectors.
 *
 * <pre>
 *   s(w, A, B) = mean_{a∈A} cos(w, a) − mean_{b∈B} cos(w, b)
 *   d          = [mean_{x∈X} s(x,A,B) − mean_{y∈Y} s(y,A,B)] / std_{w∈X∪Y} s(w,A,B)      (sample std, ddof = 1)
 *   p          = P[ s(X_i,Y_i,A,B) ≥ s(X,Y,A,B) ] over equal-size re-partitions (X_i, Y_i) of X∪Y (one-sided)
 * </pre>
 *
 * Ideal: d = 0 (no differential association); |d| of 0.2 / 0.5 / 0.8 are Cohen's small / medium / large.
 * The p-value is exact when {@code C(|X|+|Y|, |X|) ≤ samples}, otherwise Monte Carlo with {@code samples − 1}
 * seeded draws plus the observed partition, ties counted as "as extreme" (conservative), which is sent-bias'
 * {@code p = total_true / total}.
 */
public final class Weat {
    private Weat() {}

    /** Outcome of one test. */
    public record Result(
            double effectSize, double pValue, boolean exact, long permutations, double[] sX, double[] sY) {}

    /** {@code s(w, A, B)} for every w. */
    public static double[] associations(float[][] w, float[][] a, float[][] b) {
        double[] s = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = meanCos(w[i], a) - meanCos(w[i], b);
        }
        return s;
    }

    private static double meanCos(float[] w, float[][] set) {
        double sum = 0;
        for (float[] v : set) {
            sum += cos(w, v);
        }
        return sum / set.length;
    }

    /** Cosine similarity in double precision (sent-bias divides by both norms even for unit vectors). */
    public static double cos(float[] x, float[] y) {
        double d = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            d += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        return d / Math.sqrt(nx * ny);
    }

    /** Effect size from the targets' association scores. */
    public static double effectSize(double[] sX, double[] sY) {
        double[] all = new double[sX.length + sY.length];
        System.arraycopy(sX, 0, all, 0, sX.length);
        System.arraycopy(sY, 0, all, sX.length, sY.length);
        return (Moments.mean(sX) - Moments.mean(sY)) / Moments.std(all);
    }

    /** One target word's association score and its group. */
    private record Target(int index, boolean inX, double s) {}

    /**
     * A seeded BCa 95 % interval of the effect size from the crossed bootstrap (core {@code CrossedBootstrap}),
     * resampling target words within X and within Y; the attribute sets are held fixed, so the interval reflects
     * the choice of target words only (its {@code resamples} says {@code target words}).
     */
    public static Interval effectSizeInterval(double[] sX, double[] sY, long seed, int resamples) {
        List<Target> items = new ArrayList<>();
        for (int i = 0; i < sX.length; i++) {
            items.add(new Target(i, true, sX[i]));
        }
        for (int i = 0; i < sY.length; i++) {
            items.add(new Target(sX.length + i, false, sY[i]));
        }
        CrossedDesign design =
                CrossedDesign.of(items, List.of(CrossedDesign.Spec.within("target words", Target::index, Target::inX)));
        return new CrossedBootstrap(seed, resamples)
                .run(design, 1, d -> new double[] {effectSize(d.materialise(items))})
                .bca(0);
    }

    private static double effectSize(List<Target> items) {
        double[] x = items.stream().filter(Target::inX).mapToDouble(Target::s).toArray();
        double[] y = items.stream().filter(t -> !t.inX()).mapToDouble(Target::s).toArray();
        return x.length == 0 || y.length == 0 ? Double.NaN : effectSize(x, y);
    }

    /** Runs the test on encodings of X, Y, A, B. */
    public static Result test(float[][] x, float[][] y, float[][] a, float[][] b, int samples, long seed) {
        double[] sX = associations(x, a, b);
        double[] sY = associations(y, a, b);
        // C(2n, n) <= samples: enumerate; else samples-1 random partitions plus the observed one
        PermutationTest pt = new PermutationTest(seed, samples, Math.max(1, samples - 1));
        PermutationTest.Result r = pt.twoSample(sX, sY, PermutationTest.Alternative.GREATER);
        return new Result(effectSize(sX, sY), r.p(), r.exact(), r.permutations(), sX, sY);
    }
}
