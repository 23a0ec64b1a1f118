package org.unmask.mitigation.cost;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.request.PseudoLogLikelihoodRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.result.ResultCodec;

/**
 * Pseudo-perplexity of a masked LM on held-out text (Salazar, Liang, Nguyen, Kirchhoff, "Masked Language Model
 * Scoring", ACL 2020): every token is masked in turn and its log-probability read,
 *
 * <pre>  PPPL = exp( − Σ_sentences PLL(W) / N ),  PLL(W) = Σ_t log P(w_t | W without w_t)</pre>
 *
 * with N the number of scored (non-special) tokens. Lower is better; it is the usual "what did the mitigation
 * cost the language model" number. The 95% CI is a seeded percentile bootstrap over sentences (1,000 resamples,
 * the ratio re-estimated on each). Runs through {@link RequestExecutor}, so one forward pass per token, batched.
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
    public record Result(String text, int sentences, long tokens, double pppl, double ciLow, double ciHigh,
            double[] perSentencePll, int[] perSentenceTokens) {}

    /**
     * Writes {@code r} as {@code file} through the result codec (NaN as {@code null}, a final newline), atomically.
     *
     * @throws InvalidInputException when the file cannot be written
     */
    public static void write(Path file, Result r) throws InvalidInputException {
        try {
            AtomicFiles.write(file, ResultCodec.render(r));
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + file + ": " + e.getMessage(),
                    "choose a writable --out folder", e);
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
                .map(PseudoLogLikelihoodRequest::allTokens).toList();
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
        double pppl = pppl(pll, tokens, null);
        double[] boot = new double[RESAMPLES];
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] idx = new int[pll.length];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < idx.length; i++) {
                idx[i] = rnd.nextInt(pll.length);
            }
            boot[b] = pppl(pll, tokens, idx);
        }
        java.util.Arrays.sort(boot);
        long total = 0;
        for (int t : tokens) {
            total += t;
        }
        return new Result(name, pll.length, total, pppl, boot[(int) (0.025 * RESAMPLES)],
                boot[(int) (0.975 * RESAMPLES) - 1], pll.clone(), tokens.clone());
    }

    private static double pppl(double[] pll, int[] tokens, int[] idx) {
        double s = 0;
        long n = 0;
        int m = idx == null ? pll.length : idx.length;
        for (int j = 0; j < m; j++) {
            int i = idx == null ? j : idx[j];
            s += pll[i];
            n += tokens[i];
        }
        return Math.exp(-s / n);
    }
}
