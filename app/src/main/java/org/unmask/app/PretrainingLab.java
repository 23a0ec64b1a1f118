package org.unmask.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.LabResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.result.TraceResult;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.HeldOutSplit;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;
import org.unmask.mitigation.cda.AugmentStats;
import org.unmask.mitigation.cda.CdaOptions;
import org.unmask.mitigation.cda.CdaTransform;
import org.unmask.mitigation.cda.CorpusAugmenter;
import org.unmask.mitigation.cda.Hashing;
import org.unmask.mitigation.cost.HeldOutText;
import org.unmask.mitigation.cost.PseudoPerplexity;
import org.unmask.mitigation.experiment.LabSpec;
import org.unmask.mitigation.lab.LabAnalysis;
import org.unmask.models.Backend;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.AuditReport;
import org.unmask.report.LabReport;

/**
 * Runs a pretraining lab ({@link LabSpec}): does bias in the data cause bias in the model? The chain, per arm:
 *
 * <ol>
 *   <li>split the corpus by document into a training part and a held-out part (both arms are scored on the
 *       original held-out documents);
 *   <li>original arm: the training part; cda arm: its counterfactual augmentation ({@link CorpusAugmenter});
 *   <li>corpus statistics of each arm's training corpus;
 *   <li>per seed: pretrain from scratch ({@link LabPretrainer}, same seeds and steps in both arms) → audit →
 *       pseudo-perplexity on the held-out sentences → trace (model vs its own corpus); and compare the two arms'
 *       audits of the same seed;
 *   <li>the lab's statistics ({@link LabAnalysis}) and its report ({@link LabReport}: {@code report/lab.json},
 *       {@code report/lab.html}).
 * </ol>
 *
 * <p><b>Resumable, never stale.</b> Every step writes into its own folder {@code steps/<step>-<key>/}, where the key
 * is a hash of everything the step depends on: its settings and the keys of the steps it reads (the corpus enters by
 * its SHA-256). A step is done when its {@code done.json} exists, written last; a rerun skips done steps and redoes or
 * continues the others (pretraining resumes from its checkpoints). A changed setting changes the keys of its step and
 * of every step after it, so nothing stale is reused. The report is recomputed on every run; it holds no times and
 * no absolute paths, so a rerun with the same seeds writes the same bytes.
 */
public final class PretrainingLab {
    /** The marker a finished step writes last. */
    public static final String DONE = "done.json";
    /** Seed of the pseudo-perplexity sampling (as the mitigation experiment's). */
    private static final long PPPL_SEED = 42;
    /** A causal model's cost in its measure step: its held-out perplexity, as one scored "sentence". */
    static final String HELD_OUT_FILE = "held-out-perplexity.json";
    /** The masked built-in suite a lab file names by default; a causal arm audits with the generation suite. */
    private static final String MASKED_DEFAULT_SUITE = "gender-occupation";

    private final ModelOpener opener;
    private final LabPretrainer pretrainer;

    public PretrainingLab(ModelOpener opener, LabPretrainer pretrainer) {
        this.opener = opener;
        this.pretrainer = pretrainer;
    }

    /** The lab with this build's model loader and pretrainer. */
    public PretrainingLab() {
        this(ModelOpener.LOADER, LabPretrainer.DEFAULT);
    }

    /** The inference backend the file names; an unknown one is invalid input naming the choices. */
    public static Backend backend(LabSpec x) throws InvalidInputException {
        try {
            return Backend.parse(x.backend());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(x.file() + ": backend: " + e.getMessage(), "choose auto, onnx or torch");
        }
    }

    /** Prints the chain the lab will run (done steps are skipped when it runs). */
    public static void plan(LabSpec x, PrintWriter out) {
        int k = x.seeds().size();
        out.println("pretraining lab " + x.name() + " -> " + x.out());
        out.println("  1. split " + x.corpus() + " (" + x.heldoutFraction() + " of documents held out)");
        out.println("  2. cda(training part); corpus stats of both arms");
        out.println("  3. per arm, seeds " + x.seeds() + ": pretrain ("
                + x.pretrain().config() + ", "
                + x.pretrain().arch()
                + (x.pretrain().steps() > 0 ? ", " + x.pretrain().steps() + " steps" : "")
                + ") -> audit (" + suiteOf(x) + ") -> "
                + (causal(x)
                        ? "held-out perplexity (next-token loss on the held-out documents)"
                        : "pseudo-perplexity (" + x.ppplSentences() + " held-out sentences)")
                + " -> trace");
        out.println("  4. compare the arms per seed; statistics over " + k + " seeds x occupations; report");
    }

    /**
     * Runs (or resumes) the lab and writes its report.
     *
     * @param log one line per step (run or skipped)
     * @return the lab's result
     */
    public LabResult run(LabSpec x, PrintWriter log) throws UnmaskException {
        Backend backend = backend(x);
        if (!pretrainer.supports(x.pretrain().arch())) {
            throw new ModelException(
                    x.file() + ": this build cannot pretrain a " + x.pretrain().arch() + " model",
                    x.pretrain().arch().equals("masked")
                            ? "use a build with `unmask pretrain`"
                            : "use `arch: masked` (causal pretraining and its held-out loss are not in this build)");
        }
        pretrainer.check(x.pretrain(), x.file());
        Suite suite = Audits.suite(suiteOf(x), false);
        String corpusSha = corpusSha(x.corpus());
        Steps steps = new Steps(x.out().resolve("steps"), log);

        // 1. split
        Map<String, Object> splitKey = params("corpus", corpusSha, "heldout-fraction", x.heldoutFraction());
        Path split = steps.run("split", splitKey, dir -> {
            Files.createDirectories(dir.resolve("train"));
            HeldOutSplit.Result r = HeldOutSplit.split(
                    x.corpus(), x.heldoutFraction(), dir.resolve("train/train.jsonl"), dir.resolve("heldout.jsonl"));
            return params("trainDocuments", r.trainDocuments(), "heldoutDocuments", r.heldoutDocuments());
        });
        Map<String, Object> splitDone = steps.done(split);

        // 2. cda
        CdaOptions cdaOptions = new CdaOptions(
                x.augment().keepOriginals(),
                false,
                false,
                x.augment().withBolukbasi() ? CdaOptions.WordLists.WINOBIAS_BOLUKBASI : CdaOptions.WordLists.WINOBIAS);
        Path cda = steps.run(
                "cda", params("split", split.getFileName().toString(), "options", cdaOptions.toString()), dir -> {
                    Files.createDirectories(dir.resolve("train"));
                    AugmentStats s = new CorpusAugmenter(new CdaTransform(cdaOptions), "text")
                            .run(split.resolve("train"), dir.resolve("train/train.jsonl"));
                    log.println("  cda: " + s.summary());
                    return params("trainDocuments", s.documentsOut());
                });
        Map<String, Path> corpora = new LinkedHashMap<>();
        corpora.put(LabAnalysis.ARMS.get(0), split.resolve("train"));
        corpora.put(LabAnalysis.ARMS.get(1), cda.resolve("train"));
        Map<String, String> corpusStep = Map.of(
                LabAnalysis.ARMS.get(0), split.getFileName().toString(),
                LabAnalysis.ARMS.get(1), cda.getFileName().toString());

        // 3. corpus stats
        Map<String, Path> stats = new LinkedHashMap<>();
        for (String arm : LabAnalysis.ARMS) {
            stats.put(arm, steps.run("stats-" + arm, params("corpus", corpusStep.get(arm)), dir -> {
                corpusStats(corpora.get(arm), dir);
                return params();
            }));
        }

        // 4. per arm and seed: pretrain -> audit + cost -> trace
        HeldOutText held = HeldOutText.fromDocuments(split.resolve("heldout.jsonl"), x.ppplSentences());
        String suiteId = suiteKey(suiteOf(x));
        Map<String, List<Path>> audits = new LinkedHashMap<>();
        Map<String, LabAnalysis.Arm> arms = new LinkedHashMap<>();
        for (String arm : LabAnalysis.ARMS) {
            List<TraceResult> traces = new ArrayList<>();
            List<PseudoPerplexity.Result> costs = new ArrayList<>();
            List<Path> armAudits = new ArrayList<>();
            for (long seed : x.seeds()) {
                Path model = steps.run(
                        "model-" + arm + "-s" + seed,
                        params(
                                "corpus", corpusStep.get(arm),
                                "config", configKey(x),
                                "resolved", pretrainer.fingerprint(x.pretrain()),
                                "steps", x.pretrain().steps(),
                                "arch", x.pretrain().arch(),
                                "seed", seed),
                        dir -> {
                            pretrainer.pretrain(
                                    new LabPretrainer.Request(
                                            corpora.get(arm), x.pretrain(), seed, dir.resolve("model")),
                                    log);
                            return params();
                        });
                // masked keys as before (runs in progress resume); a causal arm's cost is its held-out loss
                Map<String, Object> measureKey = causal(x)
                        ? params(
                                "model", model.getFileName().toString(),
                                "suite", suiteId,
                                "backend", backend.name(),
                                "heldout", split.getFileName().toString(),
                                "cost", LabResult.Cost.HELD_OUT_PERPLEXITY)
                        : params(
                                "model", model.getFileName().toString(),
                                "suite", suiteId,
                                "backend", backend.name(),
                                "heldout", split.getFileName().toString(),
                                "pppl-sentences", x.ppplSentences());
                Path heldOutDocs = split.resolve("heldout.jsonl");
                Path measured = steps.run("measure-" + arm + "-s" + seed, measureKey, dir -> {
                    if (causal(x)) {
                        measureCausal(model.resolve("model"), suite, backend, heldOutDocs, x.pretrain(), dir);
                    } else {
                        measure(model.resolve("model"), suite, backend, held, dir);
                    }
                    return params();
                });
                Path trace = steps.run(
                        "trace-" + arm + "-s" + seed,
                        params(
                                "measure", measured.getFileName().toString(),
                                "stats", stats.get(arm).getFileName().toString(),
                                "min-sentences", x.minSentences()),
                        dir -> {
                            Traces.link(stats.get(arm), measured.resolve("audit"), x.minSentences(), dir);
                            return params();
                        });
                traces.add(ResultCodec.readTrace(trace));
                costs.add(PseudoPerplexity.read(
                        measured.resolve(causal(x) ? HELD_OUT_FILE : PseudoPerplexity.FILE),
                        "rerun the experiment (its measure step)"));
                armAudits.add(measured.resolve("audit"));
            }
            audits.put(arm, armAudits);
            arms.put(arm, new LabAnalysis.Arm(ResultCodec.readCorpusStats(stats.get(arm)), traces, costs));
        }

        // 5. compare the arms per seed (the existing comparison of two audits)
        Path report = x.out().resolve("report");
        for (int s = 0; s < x.seeds().size(); s++) {
            Path before = audits.get(LabAnalysis.ARMS.get(0)).get(s);
            Path after = audits.get(LabAnalysis.ARMS.get(1)).get(s);
            write(
                    report.resolve("compare-s" + x.seeds().get(s) + ".txt"),
                    Comparisons.text(before, after, Comparisons.DEFAULT_SEED));
        }

        // 6. statistics and the report
        Map<String, Object> cdaDone = steps.done(cda);
        LabResult.Setup setup = new LabResult.Setup(
                x.corpus().getFileName().toString(),
                corpusSha,
                x.seeds(),
                Path.of(x.pretrain().config()).getFileName().toString(),
                x.pretrain().steps(),
                x.pretrain().arch(),
                "two-sided gender swap (" + cdaOptions.lists().name().toLowerCase(java.util.Locale.ROOT)
                        + " word lists)" + (cdaOptions.keepOriginals() ? ", originals kept" : ", swapped only"),
                x.heldoutFraction(),
                List.of(number(splitDone, "trainDocuments"), number(cdaDone, "trainDocuments")),
                number(splitDone, "heldoutDocuments"),
                suite.id(),
                LabAnalysis.measureOf(arms.get(LabAnalysis.ARMS.get(0)).traces()),
                arms.get(LabAnalysis.ARMS.get(0)).traces().isEmpty()
                        ? ""
                        : firstDefinition(
                                arms.get(LabAnalysis.ARMS.get(0)).traces().get(0)),
                TraceResult.DATA_PCT_FEMALE,
                x.minSentences(),
                x.resamples(),
                LabAnalysis.SEED);
        List<String> caveats = List.of(
                "corpus: " + setup.corpus() + ", " + setup.trainDocuments().get(0) + " training documents; a small"
                        + " corpus gives few mentions per occupation, and occupations below " + x.minSentences()
                        + " gendered sentences are not counted",
                "model: a small model pretrained from scratch (" + setup.pretrainConfig() + "); what it learns in a"
                        + " short run need not be what a large model learns from a large corpus",
                "same steps in both arms: the cda corpus is larger, so each of its documents is seen fewer times");
        LabResult result = LabAnalysis.analyse(
                x.name(), setup, arms.get(LabAnalysis.ARMS.get(0)), arms.get(LabAnalysis.ARMS.get(1)), caveats);
        try {
            LabReport.write(result, report);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write the lab report to " + report + ": " + e.getMessage(), "", e);
        }
        log.println("report: " + report.resolve(LabReport.JSON) + " and " + report.resolve(LabReport.HTML));
        return result;
    }

    /** The lab's terminal summary. */
    public static String summary(LabResult r) {
        return LabReport.summary(r);
    }

    private static boolean causal(LabSpec x) {
        return "causal".equals(x.pretrain().arch());
    }

    /**
     * The suite the audits run: the lab file's, except that a causal arm left on the masked default suite audits
     * with the built-in generation suite (its measures are the ones a trace of a causal model reads).
     */
    static String suiteOf(LabSpec x) {
        return causal(x) && x.suite().equals(MASKED_DEFAULT_SUITE) ? SuiteLoader.GENERATION_SUITE : x.suite();
    }

    /**
     * Audits one causal model and scores its held-out perplexity: {@code exp} of the mean next-token loss on the
     * held-out documents, written as one scored unit so the lab's cost statistics read it as they read a
     * pseudo-perplexity (its interval then spans seeds only).
     */
    private void measureCausal(
            Path model, Suite suite, Backend backend, Path heldOutDocs, LabSpec.Pretrain settings, Path dir)
            throws UnmaskException, IOException {
        try (LanguageModel lm = opener.open(model.toString(), backend)) {
            AuditResult r = Audits.run(lm, suite, Audits.Settings.DEFAULT, ProgressListener.NONE, null);
            AuditReport.write(r, dir.resolve("audit"));
        }
        double loss = pretrainer.heldOutLoss(model, heldOutDocs, settings);
        if (!Double.isFinite(loss)) {
            throw new ModelException(
                    "the held-out loss of " + model + " is " + loss
                            + " (no held-out block was scored, or training diverged)",
                    "raise heldout-fraction so the held-out documents fill at least one block, then rerun");
        }
        PseudoPerplexity.Result p = PseudoPerplexity.of(
                "held-out documents (next-token loss)", new double[] {-loss}, new int[] {1}, PPPL_SEED);
        PseudoPerplexity.write(dir.resolve(HELD_OUT_FILE), p);
    }

    /** Audits one model and measures its pseudo-perplexity on the held-out sentences. */
    private void measure(Path model, Suite suite, Backend backend, HeldOutText held, Path dir)
            throws UnmaskException, IOException {
        try (LanguageModel lm = opener.open(model.toString(), backend)) {
            AuditResult r = Audits.run(lm, suite, Audits.Settings.DEFAULT, ProgressListener.NONE, null);
            AuditReport.write(r, dir.resolve("audit"));
            PseudoPerplexity.Result p = PseudoPerplexity.measure(
                    ExecutorPolicy.PSEUDO_PERPLEXITY.executor(lm), held, PPPL_SEED, ProgressListener.NONE);
            PseudoPerplexity.write(dir.resolve(PseudoPerplexity.FILE), p);
        }
    }

    /** Counts occupation × gender co-occurrences of one arm's corpus (the engine of {@code unmask corpus stats}). */
    private static void corpusStats(Path corpus, Path dir) throws UnmaskException, IOException {
        CountingSpec spec = new CountingSpec(
                WordListLoader.load(null, null),
                CountingSpec.DEFAULT_WINDOW,
                "text",
                CountingSpec.DEFAULT_MAX_LINE_BYTES);
        CorpusRun run = new LocalEngine(
                        spec, new LocalOptions(Runtime.getRuntime().availableProcessors(), null, 0))
                .run(CorpusFiles.list(corpus), dir);
        if (run.status() != CorpusRun.Status.COMPLETE) {
            throw new InvalidInputException(
                    "corpus statistics of " + corpus + " are "
                            + run.status().name().toLowerCase(java.util.Locale.ROOT),
                    "check the corpus files (see " + dir + ") and rerun the experiment");
        }
        new StatsReport(run).write(dir);
    }

    private static String firstDefinition(TraceResult t) {
        return t.runs().isEmpty() ? t.modelPctFemale() : t.runs().get(0).modelPctFemale();
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** The pretraining configuration as a key: its name, or the file's SHA-256 when it is a file. */
    private static String configKey(LabSpec x) throws InvalidInputException {
        Path p = x.file().toAbsolutePath().getParent().resolve(x.pretrain().config());
        return Files.isRegularFile(p)
                ? "file:" + sha256File(p)
                : "name:" + x.pretrain().config();
    }

    /** The suite as a key: a built-in id, or the file's SHA-256. */
    private static String suiteKey(String suite) throws InvalidInputException {
        Path p = Path.of(suite);
        return Files.isRegularFile(p) ? "file:" + sha256File(p) : "builtin:" + suite;
    }

    private static String sha256File(Path p) throws InvalidInputException {
        try {
            return Hashing.sha256(p);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + p + ": " + e.getMessage(), "check the path", e);
        }
    }

    /** SHA-256 over the corpus files' relative names and bytes (what the split reads). */
    static String corpusSha(Path corpus) throws InvalidInputException {
        CorpusFiles.Listing listing = CorpusFiles.list(corpus);
        MessageDigest d = digest();
        try {
            for (var shard : listing.shards()) {
                d.update(shard.relative().getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(HexFormat.of().parseHex(Hashing.sha256(shard.path())));
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read corpus " + corpus + ": " + e.getMessage(), "", e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void write(Path file, String text) throws InvalidInputException {
        try {
            AtomicFiles.write(file, text);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + file + ": " + e.getMessage(), "", e);
        }
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The step folders: keyed, skipped when done, marked done last. */
    static final class Steps {
        private final Path root;
        private final PrintWriter log;

        Steps(Path root, PrintWriter log) {
            this.root = root;
            this.log = log;
        }

        @FunctionalInterface
        interface Body {
            /** Does the step in {@code dir}; returns what the step reports (written into {@code done.json}). */
            Map<String, Object> run(Path dir) throws UnmaskException, IOException;
        }

        /** The folder of step {@code name} with these inputs; runs the step unless it is done. */
        Path run(String name, Map<String, Object> inputs, Body body) throws UnmaskException {
            String key = HexFormat.of()
                    .formatHex(
                            digest().digest((name + "\n" + ResultCodec.line(inputs)).getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 12);
            Path dir = root.resolve(name + "-" + key);
            if (Files.isRegularFile(dir.resolve(DONE))) {
                log.println("  " + name + ": done (" + dir.getFileName() + ")");
                return dir;
            }
            log.println("  " + name + ": running (" + dir.getFileName() + ")");
            log.flush();
            try {
                Files.createDirectories(dir);
                Map<String, Object> done = new LinkedHashMap<>();
                done.put("step", name);
                done.put("inputs", inputs);
                done.put("outputs", body.run(dir));
                AtomicFiles.write(dir.resolve(DONE), ResultCodec.render(done));
            } catch (IOException e) {
                throw new InvalidInputException(
                        "step " + name + " cannot write to " + dir + ": " + e.getMessage(),
                        "check free disk space and permissions, then rerun (done steps are kept)",
                        e);
            }
            return dir;
        }

        /** What a done step reported. */
        @SuppressWarnings("unchecked")
        Map<String, Object> done(Path dir) throws InvalidInputException {
            Map<String, Object> m =
                    ResultCodec.read(dir.resolve(DONE), Map.class, "delete " + dir + " and rerun the experiment");
            Object o = m.get("outputs");
            return o instanceof Map<?, ?> out ? (Map<String, Object>) out : Map.of();
        }
    }
}
