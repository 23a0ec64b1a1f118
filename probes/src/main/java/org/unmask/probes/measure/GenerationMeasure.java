package org.unmask.probes.measure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;
import org.unmask.probes.suite.Term;

/**
 * {@code generation}: a sampled-generation study after Thaler et al. (2024, "How far can bias go?"). Every filled
 * template ("The nurse works") is a prompt, continued {@code samples} times under each decoding setting; each
 * continuation is labelled by the gender words it holds ({@link OutputClassifier}). Per setting:
 *
 * <pre>female share = F / (F + M)          (continuations naming both or neither are left out; ideal 0.5)
 * amplification = mean_t (100 · share(t) − stat(t))   (percentage points vs e.g. BLS % female; ideal 0)
 * hyperparameter effect = female share(setting) − female share(first setting)               (ideal 0)</pre>
 *
 * <p>plus the Pearson/Spearman correlation of the per-target share with the statistic. Sampling seeds derive from
 * the audit seed, the prompt, the setting's name and the sample index, so a rerun reproduces every sample and no
 * two samples share a seed. Requests are planned as {@link GenerationRequest}s, which the executor batches per
 * prompt. With {@code chat: true} (an instruction-tuned model, Thaler et al.'s instruction prompts) each filled
 * template is instead the user message of a chat, after the optional system message, and the assistant's reply is
 * sampled through the model's chat template ({@link ChatGenerationRequest}); only the reply is labelled, and the seed
 * is derived from the same audit seed, prompt, setting and index.
 */
public final class GenerationMeasure {
    public static final String ID = "generation";
    public static final String FORMULA = "female share = F / (F + M) over continuations labelled by whole-word, "
            + "case-folded matches of the gender word lists (both/none left out)";

    private GenerationMeasure() {}

    /**
     * One planned continuation: where it comes from and the request that samples it.
     *
     * @param prompt the filled template: the text continued, or the user message of a chat
     * @param seed the sample's seed
     */
    record Draw(
            Variant variant,
            String target,
            Decoding decoding,
            int sample,
            String prompt,
            long seed,
            ModelRequest<String> request) {}

    public static MeasurePlan plan(MeasureSpec.Generation spec, Suite suite, long seed) {
        List<Draw> draws = new ArrayList<>();
        for (Variant v : Variant.of(suite, spec.templates())) {
            for (Term target : suite.terms(spec.targets()).terms()) {
                String prompt = Slots.fill(v.text(), Template.TARGET, target.text());
                for (Decoding d : spec.decoding()) {
                    // greedy decoding gives the same text for every seed: one draw says it all
                    int n = d.greedy() ? 1 : spec.samples();
                    for (int i = 0; i < n; i++) {
                        long s = sampleSeed(seed, prompt, d.name(), i);
                        draws.add(new Draw(v, target.text(), d, i, prompt, s, request(spec, prompt, d, s)));
                    }
                }
            }
        }
        return new Plan(spec, suite, draws);
    }

    /** A continuation of {@code prompt}, or with {@code chat: true} the assistant's reply to it. */
    private static ModelRequest<String> request(MeasureSpec.Generation spec, String prompt, Decoding d, long seed) {
        if (!spec.chat()) {
            return new GenerationRequest(prompt, spec.maxNewTokens(), d.temperature(), d.topK(), d.topP(), seed);
        }
        List<ChatMessage> messages = spec.system() == null
                ? List.of(ChatMessage.user(prompt))
                : List.of(ChatMessage.system(spec.system()), ChatMessage.user(prompt));
        return ChatGenerationRequest.of(messages, spec.maxNewTokens(), d.temperature(), d.topK(), d.topP(), seed);
    }

    /**
     * The seed of one sample: FNV-1a over the prompt, setting and index, mixed with the audit seed by a
     * SplitMix64 finaliser. Stable across JVMs and runs (unlike {@link String#hashCode}'s 32 bits, it keeps
     * samples of thousands of prompts apart).
     */
    static long sampleSeed(long auditSeed, String prompt, String setting, int sample) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (prompt + '\u0000' + setting + '\u0000' + sample).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = h ^ auditSeed * 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The requests of every draw, then the labelling and statistics of their answers. */
    static final class Plan implements MeasurePlan {
        private final MeasureSpec.Generation spec;
        private final Suite suite;
        private final List<Draw> draws;

        Plan(MeasureSpec.Generation spec, Suite suite, List<Draw> draws) {
            this.spec = spec;
            this.suite = suite;
            this.draws = List.copyOf(draws);
        }

        @Override
        public List<ModelRequest<?>> requests() {
            return draws.stream().<ModelRequest<?>>map(Draw::request).distinct().toList();
        }

        @Override
        public GenerationResult score(
                Map<ModelRequest<?>, Object> answers, CrossedBootstrap bootstrap, PermutationTest test) {
            OutputClassifier classifier = OutputClassifier.of(words(spec.female()), words(spec.male()));
            List<GenerationItem> items = new ArrayList<>();
            for (Draw d : draws) {
                if (!(answers.get(d.request()) instanceof String text)) {
                    throw new IllegalStateException("no answer for " + d.request());
                }
                Variant v = d.variant();
                items.add(new GenerationItem(
                        spec.name(),
                        d.decoding().name(),
                        v.template(),
                        v.paraphrase(),
                        v.context(),
                        d.target(),
                        d.prompt(),
                        d.sample(),
                        d.seed(),
                        text,
                        classifier.label(text).id()));
            }
            return new GenerationScoring(spec, suite.terms(spec.targets()), bootstrap).result(FORMULA, items);
        }

        private List<String> words(String list) {
            return suite.terms(list).terms().stream().map(Term::text).toList();
        }
    }
}
