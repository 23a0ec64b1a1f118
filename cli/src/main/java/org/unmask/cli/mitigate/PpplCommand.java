package org.unmask.cli.mitigate;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unmask.app.ExecutorPolicy;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.OutOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.TokenScorer;
import org.unmask.mitigation.calibration.SwapAveragingScorer;
import org.unmask.mitigation.cda.SwapLexicon;
import org.unmask.mitigation.cost.HeldOutText;
import org.unmask.mitigation.cost.PseudoPerplexity;
import org.unmask.models.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unmask pppl}: pseudo-perplexity of a masked LM on held-out text (the cost side of a mitigation). */
@Command(
        name = "pppl",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.mitigate.PpplCommand",
        description = {
            "Pseudo-perplexity (Salazar et al. 2020) of a masked LM on held-out text, with a bootstrap CI.",
            "Default text: 200 shipped WikiText-2 sentences (CC BY-SA 3.0); --text takes a .txt (one sentence per"
                    + " line) or ../shared/corpora/wikitext2-validtest/wikitext2-validtest.jsonl.gz."
        })
public final class PpplCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--text", paramLabel = "FILE", description = "held-out text (default: the shipped slice)")
    Path text;

    @Option(names = "--sentences", defaultValue = "200", description = "sentences to score (default: ${DEFAULT-VALUE})")
    @Range(min = 1, max = 1_000_000)
    int sentences;

    @Option(names = "--counterfactual-averaging", description = "score the model wrapped in gender-swap averaging")
    boolean averaging;

    @Mixin
    SeedOption seed = new SeedOption(42);

    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption();

    @Mixin
    OutOption out = new OutOption();

    @Override
    public Integer call() throws UnmaskException {
        HeldOutText held = text == null ? HeldOutText.shipped() : HeldOutText.read(text, sentences);
        if (held.sentences().size() > sentences) {
            held = new HeldOutText(held.name(), held.sentences().subList(0, sentences));
        }
        PseudoPerplexity.Result r;
        String id;
        try (LanguageModel lm = ModelLoader.load(model.ref(), backend.engine())) {
            LanguageModel scored = lm;
            if (averaging) {
                if (!(lm instanceof TokenScorer ts)) {
                    throw new InvalidInputException(lm.info().id() + " cannot score tokens", "use a masked LM");
                }
                scored = new SwapAveragingScorer(ts, SwapLexicon.winoBias());
            }
            id = scored.info().id();
            var err = spec.commandLine().getErr();
            r = PseudoPerplexity.measure(
                    ExecutorPolicy.PSEUDO_PERPLEXITY.executor(scored, batchSize.value()),
                    held,
                    seed.value(),
                    (done, total, what) -> {
                        err.printf(Locale.ROOT, "\r%d/%d %s", done, total, what);
                        err.flush();
                    });
            err.println();
        }
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "%s: pseudo-perplexity %.3f (95%% CI %.3f–%.3f) on %s," + " n = %d sentences, %d tokens%n",
                        id,
                        r.pppl(),
                        r.ciLow(),
                        r.ciHigh(),
                        r.text(),
                        r.sentences(),
                        r.tokens());
        if (out.path() != null) {
            PseudoPerplexity.write(out.path().resolve(PseudoPerplexity.FILE), r);
        }
        return 0;
    }
}
