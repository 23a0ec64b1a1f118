package org.unmask.mitigation.cost;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.request.PseudoLogLikelihoodRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Interval;

/**
 * Pseudo-perplexity of a masked LM on held-out text (Salazar, Liang, Nguyen, Kirchhoff, "Masked Language Model
 * Scoring", ACL 2020): every token is masked in turn and its log-probability read,
 *
 * <pre>  PPPL = exp( − Σ_sentences PLL(W) / N ),  PLL(W) = Σ_t log P(w_t | W without w_t)</pre>
 *
 * with N the number of scored (non-special) tokens. Lower is better; it is the usual "what did the mitigation
 * cost the language model" number. The 95% CI is a seeded BCa bootstrap over sentences (core
 * {@code CrossedBootstrap}, 1,000 resamples, the ratio re-estimated on each; it always contains the estimate).
 * Runs through {@link RequestExecutor}, so one forward pass per token, batched.
 * The result is the {@value #FILE} of a result folder, written and read through the result codec.
 */
public final class PseudoPerplexity {
    /** The file name in a result folder. */
    public static final String FILE = "pseudo-perplexity.json";

    private static final int RESAMPLES = 1000;

    private PseudoPerplexity() {}

    /**
     * The measured value.
     *
     * @param text name of the held-out text
     * @param sentences sentences scored (n)
     * @param tokens tokens scored (N)
     * @param pppl the pseudo-perplexity
     * @param ciLow lower end of the 95% bootstrap CI
     * @param ciHigh upper end
     * @param perSentencePll PLL of each sentence, for paired comparisons
     * @param perSentenceTokens tokens of each sentence
     */
    public record Result(
            String text,
            int sentences,
            long tokens,
            double pppl,
            double ciLow,
            double ciHigh,
            double[] perSentencePll,
            int[] perSentenceTokens) {}

    /**
     * Writes {@code r} as {@code file} through the result codec (NaN as {@code null}, a final newline), atomically.
     *
     * @throws InvalidInputException when the file cannot be written
     */
    public static void write(Path file, Result r) throws InvalidInputException {
        try {
            AtomicFiles.write(file, ResultCodec.render(r));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write " + file + ": " + e.getMessage(), "choose a writable --out folder", e);
        }
    }

    /**
     * Reads a {@value #FILE}.
     *
     * @param hint how to get a good file, for the error message
     * @throws InvalidInputException naming the file and the field when it is missing or malformed
     */
    public static Result read(Path file, String hint) throws InvalidInputException {
        return ResultCodec.read(file, Result.class, hint);
    }

    /** Measures pseudo-perplexity on {@code text}. */
    public static Result measure(RequestExecutor executor, HeldOutText text, long seed, ProgressListener progress)
            throws UnmaskException {
        List<PseudoLogLikelihoodRequest> reqs = text.sentences().stream()
                .map(PseudoLogLikelihoodRequest::allTokens)
                .toList();
        List<TokenLogProbs> answers = executor.executeAll(reqs, progress);
        double[] pll = new double[answers.size()];
        int[] n = new int[answers.size()];
        for (int i = 0; i < pll.length; i++) {
            pll[i] = answers.get(i).sum();
            n[i] = answers.get(i).logProbs().length;
        }
        return of(text.name(), pll, n, seed);
    }

    /** The statistic and its CI from per-sentence PLLs and token counts. */
    public static Result of(String name, double[] pll, int[] tokens, long seed) {
        Interval ci = new CrossedBootstrap(seed, RESAMPLES)
                .iid("sentences", pll.length, w -> pppl(pll, tokens, w))
                .ci95();
        long total = 0;
        for (int t : tokens) {
            total += t;
        }
        return new Result(
                name, pll.length, total, pppl(pll, tokens, null), ci.lower(), ci.upper(), pll.clone(), tokens.clone());
    }

    /** {@code exp(−Σ w PLL / Σ w N)}, sentence i counted {@code drawn[i]} times (all once when null). */
    private static double pppl(double[] pll, int[] tokens, int[] drawn) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < pll.length; i++) {
            int w = drawn == null ? 1 : drawn[i];
            s += w * pll[i];
            n += (long) w * tokens[i];
        }
        return n == 0 ? Double.NaN : Math.exp(-s / n);
    }
}
