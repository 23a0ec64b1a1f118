package org.unmask.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.documents.CorpusDocuments;
import org.unmask.models.djl.train.PackedCorpus;
import org.unmask.models.djl.train.PretrainArch;
import org.unmask.models.djl.train.PretrainJob;
import org.unmask.models.djl.train.TrainConfig;
import org.unmask.models.djl.train.Trainer;

/**
 * Pretraining a small model from scratch on a corpus folder: the corpus module reads the documents
 * ({@link CorpusDocuments}, counting bad lines as the corpus engine does), the models module tokenises and packs
 * them and trains ({@link PretrainJob}). The result is a Hugging Face model folder that {@code audit}, {@code fill},
 * {@code pppl} and {@code trace} read, with provenance naming the corpus content hash, the settings and the parent
 * ("scratch"). Same spec, same weights, bit for bit; a stopped run resumes when run again.
 */
public final class Pretraining {
    private Pretraining() {}

    /** One optimizer step done. */
    public record Step(
            long step,
            long totalSteps,
            double loss,
            double learningRate,
            double gradNorm,
            long tokensSeen,
            double tokensPerSecond) {}

    /** Receives progress; may ask the run to stop after the current step (it then checkpoints and returns). */
    public interface Listener {
        void onStep(Step step);

        /** A phase begins (reading the corpus, training, scoring held-out text). */
        default void onPhase(String description) {}

        default boolean stopRequested() {
            return false;
        }

        Listener NONE = s -> {};
    }

    /**
     * What a run did.
     *
     * @param out the model folder
     * @param finished whether every step ran (false: stopped, checkpointed; run again to resume)
     * @param alreadyComplete the folder already held this finished run (nothing was trained)
     * @param steps optimizer steps completed
     * @param resumedFrom the step a checkpoint was resumed from (0 when fresh)
     * @param tokensSeen ids fed to the model in total
     * @param tokensPerSecond training throughput of this process (ids per second)
     * @param trainSeconds wall time of the training loop in this process
     * @param trainCpuSeconds CPU time of the training loop in this process (all threads)
     * @param losses mean MLM loss per step
     * @param heldOutLoss mean MLM loss per masked token on held-out documents (NaN when not scored)
     * @param corpus what was read from the corpus (content hash, documents, skipped lines)
     * @param trainBlocks packed training blocks available
     * @param heldOutBlocks packed held-out blocks available
     */
    public record Outcome(
            Path out,
            boolean finished,
            boolean alreadyComplete,
            long steps,
            long resumedFrom,
            long tokensSeen,
            double tokensPerSecond,
            double trainSeconds,
            double trainCpuSeconds,
            List<Double> losses,
            double heldOutLoss,
            CorpusDocuments.Summary corpus,
            long trainBlocks,
            long heldOutBlocks) {}

    /** Runs (or resumes) {@code spec}. */
    public static Outcome run(PretrainSpec spec, Listener listener) throws UnmaskException {
        PretrainJob.Settings settings = settings(spec);
        PretrainJob.check(settings);
        listener.onPhase("reading and tokenising " + spec.corpus());
        Corpus c = read(spec, settings);
        listener.onPhase("training " + settings.arch().name() + " for " + settings.steps() + " steps");
        PretrainJob.Outcome o = PretrainJob.run(
                settings, c.packed(), c.summary().contentSha256(), provenance(spec, c.summary()), adapt(listener));
        if (o.alreadyComplete()) {
            return new Outcome(
                    o.out(),
                    true,
                    true,
                    settings.steps(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    List.of(),
                    Double.NaN,
                    c.summary(),
                    c.packed().train().size(),
                    c.packed().heldOut().size());
        }
        Trainer.Result r = o.result();
        long newTokens = (r.steps() - r.resumedFrom()) * settings.train().batchSize() * spec.seqLength();
        return new Outcome(
                o.out(),
                r.finished(),
                false,
                r.steps(),
                r.resumedFrom(),
                r.tokensSeen(),
                o.trainSeconds() > 0 ? newTokens / o.trainSeconds() : 0,
                o.trainSeconds(),
                o.trainCpuSeconds(),
                r.losses(),
                o.heldOutLoss(),
                c.summary(),
                c.packed().train().size(),
                c.packed().heldOut().size());
    }

    /**
     * The held-out loss of a masked model folder on a corpus's held-out documents (the same slice and masks a
     * pretraining run on that corpus scores): compares models trained on different corpora, e.g. what CDA cost
     * on the original text.
     */
    public static double heldOutLoss(Path model, PretrainSpec corpusSpec) throws UnmaskException {
        PretrainJob.Settings settings = settings(corpusSpec);
        Corpus c = read(corpusSpec, settings);
        return PretrainJob.heldOutLoss(model, c.packed().heldOut(), corpusSpec.heldOutBlocks());
    }

    /**
     * The loss of a model folder on every block of a corpus no model trained on (e.g. the pretraining lab's held-out
     * documents, already split off): its first {@code heldOutBlocks} blocks, training and held-out slices together,
     * in their packed order, so that every model is scored on the same ids. A held-out slice of a held-out corpus
     * would be a small, often empty, share of an already small text.
     */
    public static double textLoss(Path model, PretrainSpec corpusSpec) throws UnmaskException {
        PretrainJob.Settings settings = settings(corpusSpec);
        Corpus c = read(corpusSpec, settings);
        List<int[]> all = new ArrayList<>(c.packed().train());
        all.addAll(c.packed().heldOut());
        return PretrainJob.heldOutLoss(model, all, corpusSpec.heldOutBlocks());
    }

    private record Corpus(CorpusDocuments.Summary summary, PackedCorpus packed) {}

    /**
     * Reads the corpus: a first pass hashes it and counts documents and skips (cheap: no tokenising); the tokenised
     * documents then come from the token cache keyed by that hash, or a second pass tokenises and caches them.
     */
    private static Corpus read(PretrainSpec spec, PretrainJob.Settings settings) throws UnmaskException {
        CorpusDocuments.Summary summary = CorpusDocuments.read(
                spec.corpus(), spec.textField(), CountingSpec.DEFAULT_MAX_LINE_BYTES, (shard, line, text) -> {});
        if (summary.documents() == 0) {
            throw new InvalidInputException(
                    "the corpus " + spec.corpus() + " holds no readable document (" + summary.skippedLines()
                            + " lines skipped"
                            + (summary.skips().isEmpty()
                                    ? ""
                                    : ", e.g. " + summary.skips().get(0).describe())
                            + ")",
                    "give a folder of Dolma-style shards whose \"" + spec.textField() + "\" field holds the text");
        }
        Path cache = PretrainJob.tokenCache(settings, summary.contentSha256(), spec.textField());
        try (PretrainJob.Packer packer = PretrainJob.packer(settings)) {
            if (!packer.load(cache) || packer.documents() != summary.documents()) {
                try (PretrainJob.Packer fresh = PretrainJob.packer(settings)) {
                    CorpusDocuments.Summary again = CorpusDocuments.read(
                            spec.corpus(),
                            spec.textField(),
                            CountingSpec.DEFAULT_MAX_LINE_BYTES,
                            (shard, line, text) -> fresh.add(text));
                    if (!again.contentSha256().equals(summary.contentSha256())) {
                        throw new InvalidInputException(
                                "the corpus " + spec.corpus() + " changed while it was being read",
                                "run again once nothing writes to it");
                    }
                    try {
                        fresh.save(cache);
                    } catch (java.io.IOException e) {
                        // a cache that cannot be written only costs time: the next run tokenises again
                    }
                    return new Corpus(again, fresh.build(spec.seed()));
                }
            }
            return new Corpus(summary, packer.build(spec.seed()));
        }
    }

    static PretrainJob.Settings settings(PretrainSpec spec) throws InvalidInputException {
        PretrainArch arch = PretrainArch.of(spec.arch());
        TrainConfig train = TrainConfig.of(
                1,
                spec.batchSize(),
                1,
                spec.learningRate(),
                spec.warmupRatio(),
                spec.weightDecay(),
                spec.maxGradNorm(),
                spec.maskProbability(),
                spec.dropout(),
                spec.seqLength(),
                spec.seed(),
                spec.checkpointEvery());
        if (!(spec.heldOutFraction() >= 0 && spec.heldOutFraction() <= 0.5)) {
            throw new InvalidInputException(
                    "--held-out " + spec.heldOutFraction() + " is out of range", "use a share in [0, 0.5]");
        }
        long steps = spec.effectiveSteps();
        if (steps < 1 || steps > 10_000_000) {
            throw new InvalidInputException(
                    "the run has " + steps + " steps", "give --steps 1..10000000 or a positive --tokens");
        }
        return new PretrainJob.Settings(
                arch,
                train,
                steps,
                spec.heldOutFraction(),
                Math.max(0, spec.heldOutBlocks()),
                spec.out(),
                spec.keepCheckpoints(),
                null);
    }

    private static Map<String, Object> provenance(PretrainSpec spec, CorpusDocuments.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", s.root().toString());
        m.put("textField", spec.textField());
        m.put("shards", s.shards());
        m.put("documents", s.documents());
        m.put("lines", s.lines());
        m.put("skippedLines", s.skippedLines());
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Skip.Reason r : Skip.Reason.values()) {
            Long n = s.skipCounts().get(r);
            if (n != null) {
                reasons.put(r.name(), n);
            }
        }
        m.put("skipsByReason", reasons);
        m.put("skipExamples", s.skips().stream().limit(10).map(Skip::describe).toList());
        return m;
    }

    private static Trainer.Listener adapt(Listener l) {
        return new Trainer.Listener() {
            @Override
            public void onStep(Trainer.Progress p) {
                l.onStep(new Step(
                        p.step(),
                        p.totalSteps(),
                        p.loss(),
                        p.learningRate(),
                        p.gradNorm(),
                        p.tokensSeen(),
                        p.tokensPerSecond()));
            }

            @Override
            public boolean stopRequested() {
                return l.stopRequested();
            }
        };
    }
}
