package org.unmask.models.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.source.ModelResolver;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * Pretraining from scratch: a freshly initialised model ({@link ModelInit#fromScratch}, Hugging Face's init) — a
 * masked LM ({@code BertForMaskedLM}) or a causal LM ({@code GPT2LMHeadModel}) — trained by {@link Trainer} on
 * {@link PackedCorpus} blocks, written as a Hugging Face model folder ({@code config.json}, bert-base-uncased's
 * tokenizer files, {@code model.safetensors}) with {@code unmask-provenance.json} naming the parent ("scratch"),
 * the corpus content hash, the architecture, every setting, the losses, the held-out loss and the throughput.
 *
 * <p>The run is a fixed number of optimizer steps over the seeded stream of blocks, so the same corpus, settings
 * and seed give the same weights bit for bit, and a run stopped part-way resumes from its newest checkpoint to the
 * same weights as an uninterrupted one. The output folder rules are fine-tuning's ({@link FineTuneJob}).
 */
public final class PretrainJob {
    /** The model whose tokenizer (vocabulary) every masked model pretrained here uses. */
    public static final String TOKENIZER_MODEL = "bert-base-uncased";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOKENIZER_FILES =
            List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt");
    /** Seed of the held-out masks: fixed, so every model is scored on the same masked positions. */
    private static final long HELD_OUT_MASK_SEED = 0x4E1DL;

    private PretrainJob() {}

    /**
     * Everything a pretraining run needs besides its data.
     *
     * @param arch the architecture: a masked (BERT) or causal (GPT-2) preset
     * @param train optimizer, masking, dropout, seed and checkpoint settings; {@code maxLength} is the block length
     * @param steps optimizer steps
     * @param heldOutFraction share of documents held out for the held-out loss, [0, 0.5]
     * @param heldOutBlocks at most this many held-out blocks are scored at the end (0: none)
     * @param out the model folder to write (resumed when it holds this same run)
     * @param keepCheckpoints keep {@code out/checkpoints} after a finished run
     * @param tokenizerDir folder of the tokenizer files to use; null: the embedded bert-base-uncased's (tests give
     *     a tiny one)
     */
    public record Settings(
            PretrainArch arch,
            TrainConfig train,
            long steps,
            double heldOutFraction,
            int heldOutBlocks,
            Path out,
            boolean keepCheckpoints,
            Path tokenizerDir) {
        public Settings {
            Objects.requireNonNull(arch, "arch");
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(out, "out");
        }

        /** Tokens (block ids, specials included) the run feeds the model. */
        public long tokens() {
            return steps * train.batchSize() * train.accumulation() * train.maxLength();
        }

        /** For provenance and the fingerprint. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("arch", arch.asMap());
            m.put("steps", steps);
            m.put("blockLength", train.maxLength());
            m.put("tokens", tokens());
            m.put("heldOutFraction", heldOutFraction);
            m.put("heldOutBlocks", heldOutBlocks);
            Map<String, Object> t = new LinkedHashMap<>(train.asMap());
            t.remove("epochs"); // a pretraining run is counted in steps
            t.remove("maxLength");
            m.put("train", t);
            m.put("init", "HF _init_weights (ModelInit.fromScratch): normal(0, 0.02), zero biases, LayerNorm 1/0");
            m.put("packing", "HF run_mlm/run_clm group_texts: [CLS] doc [SEP] concatenated, cut into blocks");
            return m;
        }
    }

    /**
     * What the run produced.
     *
     * @param out the model folder
     * @param result the training loop's result (null when the folder already held this finished run)
     * @param heldOutLoss mean MLM loss per masked token on the held-out blocks (NaN when none were scored)
     * @param trainSeconds wall time of the training loop in this process
     * @param trainCpuSeconds CPU time this process spent in the training loop (all threads): on a shared machine
     *     the steadier measure of the work, since wall time depends on the neighbours
     * @param alreadyComplete whether the folder already held this finished run
     */
    public record Outcome(
            Path out,
            Trainer.Result result,
            double heldOutLoss,
            double trainSeconds,
            double trainCpuSeconds,
            boolean alreadyComplete) {}

    /** CPU time of this process in seconds (NaN where the platform does not say). */
    static double processCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    /** The folder of the tokenizer of {@code s}: by default the embedded bert-base-uncased's. */
    public static Path tokenizerDir(Settings s) throws ModelException {
        return s.tokenizerDir() != null
                ? s.tokenizerDir()
                : new ModelResolver().resolve(TOKENIZER_MODEL).dir();
    }

    /** Refuses settings that cannot run, before any data is read. */
    public static void check(Settings s) throws InvalidInputException {
        if (s.train().maxLength() > s.arch().maxPositions()) {
            throw new InvalidInputException(
                    "--seq-length " + s.train().maxLength() + " is more than "
                            + s.arch().name() + "'s " + s.arch().maxPositions() + " positions",
                    "use --seq-length " + s.arch().maxPositions() + " or less");
        }
        if (s.steps() < 1) {
            throw new InvalidInputException("--steps " + s.steps() + " is out of range", "give at least 1 step");
        }
    }

    /**
     * Where the tokenised documents of a corpus are cached: under the Unmask cache ({@code UNMASK_CACHE}), keyed by
     * the corpus content hash, the text field and the tokenizer's hash, so a changed file, field or vocabulary
     * never reuses stale tokens.
     */
    public static Path tokenCache(Settings s, String corpusSha256, String textField) throws ModelException {
        String tokSha = FileHashes.sha256(tokenizerDir(s).resolve("tokenizer.json"));
        try {
            String key = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest((corpusSha256 + "|" + textField + "|" + tokSha).getBytes(StandardCharsets.UTF_8)));
            return ModelResolver.defaultUnmaskCache().resolve("pretrain-tokens").resolve(key + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** A packer for {@code s} over the masked models' tokenizer; closes the tokenizer when closed. */
    public static Packer packer(Settings s) throws ModelException {
        HfTokenizer tok = HfTokenizer.load(tokenizerDir(s));
        return new Packer(tok, new PackedCorpus.Builder(tok, s.train().maxLength(), s.heldOutFraction()));
    }

    /** A {@link PackedCorpus.Builder} holding the tokenizer it uses. */
    public static final class Packer implements AutoCloseable {
        private final HfTokenizer tokenizer;
        private final PackedCorpus.Builder builder;

        Packer(HfTokenizer tokenizer, PackedCorpus.Builder builder) {
            this.tokenizer = tokenizer;
            this.builder = builder;
        }

        public void add(String text) {
            builder.add(text);
        }

        public PackedCorpus build(long seed) {
            return builder.build(seed);
        }

        /** Documents added so far. */
        public long documents() {
            return builder.documents();
        }

        /** Saves the tokenised documents (see {@link #tokenCache}). */
        public void save(Path file) throws IOException {
            builder.save(file);
        }

        /** Adds the tokenised documents saved in {@code file}; false when it is missing or not a complete cache. */
        public boolean load(Path file) {
            return Files.isRegularFile(file) && builder.load(file);
        }

        @Override
        public void close() {
            tokenizer.close();
        }
    }

    /**
     * Runs (or resumes) a pretraining run.
     *
     * @param s the settings
     * @param data the packed corpus
     * @param corpusSha256 the corpus content hash (part of the run's identity)
     * @param corpus what to record about the corpus in the provenance
     * @param listener progress; may ask to stop (the run then checkpoints and returns unfinished)
     */
    public static Outcome run(
            Settings s, PackedCorpus data, String corpusSha256, Map<String, Object> corpus, Trainer.Listener listener)
            throws UnmaskException {
        check(s);
        if (data.train().isEmpty()) {
            throw new InvalidInputException(
                    "the corpus holds fewer than " + s.train().maxLength() + " tokens of training text",
                    "give a larger corpus or a shorter --seq-length");
        }
        Path tokDir = tokenizerDir(s);
        String tokSha = FileHashes.sha256(tokDir.resolve("tokenizer.json"));
        String fingerprint = fingerprint(s, corpusSha256, tokSha);
        Path out = s.out().toAbsolutePath();
        if (FineTuneJob.checkOutput(out, fingerprint)) {
            return new Outcome(out, null, Double.NaN, 0, 0, true);
        }
        Map<String, Object> manifest = manifest(s, data, corpusSha256, corpus, fingerprint, tokSha);
        writeJson(out.resolve(FineTuneJob.MANIFEST), manifest);
        BatchMaker batches;
        int vocab;
        int padId;
        int[] sp;
        try (HfTokenizer tok = HfTokenizer.load(tokDir)) {
            vocab = tok.vocabularySize();
            padId = tok.id("[PAD]").orElse(0);
            sp = tok.encode("").ids();
            batches = s.arch().causal()
                    ? new CausalBatches(padId)
                    : new MlmMasking(
                            s.train().maskProbability(), tok.maskTokenId(), padId, vocab, Set.of(sp[0], sp[1], padId));
        }
        double dropout = s.train().dropout();
        Trainer.Result result;
        double heldOut = Double.NaN;
        long t0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        double secs;
        double cpu;
        try {
            AtomicFiles.write(
                    out.resolve("config.json"),
                    JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(s.arch().config(vocab, padId, sp[0], sp[1], dropout)));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write to " + out + ": " + e.getMessage(), "check free disk space and permissions", e);
        }
        try (NDManager manager = DjlRuntime.newManager()) {
            TrainableModel model = TrainableModels.fromScratch(
                    manager, ModelConfig.read(out), s.train().seed(), dropout);
            long count = s.steps() * s.train().batchSize() * s.train().accumulation();
            List<int[]> sequences = data.runSequences(count, s.train().seed());
            Trainer trainer =
                    new Trainer(s.train(), batches, new Checkpoints(out.resolve("checkpoints"), 2), fingerprint);
            result = trainer.train(model, sequences, manager, listener);
            secs = (System.nanoTime() - t0) / 1e9;
            cpu = processCpuSeconds() - cpu0;
            if (!result.finished()) {
                return new Outcome(out, result, Double.NaN, secs, cpu, false);
            }
            heldOut = heldOutLoss(
                    model, data.heldOut(), s.heldOutBlocks(), batches, s.train().batchSize(), manager);
            if (!Double.isNaN(heldOut) && !Double.isFinite(heldOut)) {
                throw new ModelException(
                        "the held-out loss is " + heldOut + ": training diverged",
                        "lower --lr or raise --warmup-ratio, then rerun in a new --out folder");
            }
            Checkpoints.writeTensors(
                    out.resolve("model.safetensors"),
                    model.all(),
                    Map.of("producer", "unmask pretrain", "parent", "scratch"));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write to " + out + ": " + e.getMessage(), "check free disk space and permissions", e);
        }
        try {
            for (String f : TOKENIZER_FILES) {
                if (Files.isRegularFile(tokDir.resolve(f))) {
                    Path from = tokDir.resolve(f);
                    AtomicFiles.write(out.resolve(f), o -> Files.copy(from, o));
                }
            }
            Map<String, Object> prov = new LinkedHashMap<>(manifest);
            prov.put("finishedAt", Instant.now().toString());
            prov.put("steps", result.steps());
            prov.put("resumedFromStep", result.resumedFrom());
            prov.put("tokensSeen", result.tokensSeen());
            prov.put("heldOutLoss", Double.isNaN(heldOut) ? null : heldOut);
            Map<String, Object> perf = new LinkedHashMap<>();
            perf.put("trainSecondsThisProcess", secs);
            perf.put("trainCpuSecondsThisProcess", cpu);
            long newTokens = (result.steps() - result.resumedFrom())
                    * s.train().batchSize()
                    * s.train().maxLength();
            perf.put("tokensPerSecond", secs > 0 ? newTokens / secs : null);
            perf.put("tokensPerCpuSecond", cpu > 0 ? newTokens / cpu : null);
            perf.put("availableProcessors", Runtime.getRuntime().availableProcessors());
            prov.put("throughput", perf);
            prov.put("finalLoss", result.losses().get(result.losses().size() - 1));
            prov.put("losses", result.losses());
            prov.put("weightsSha256", FileHashes.sha256(out.resolve("model.safetensors")));
            writeJson(out.resolve(FineTuneJob.PROVENANCE), prov);
            if (!s.keepCheckpoints()) {
                Checkpoints.deleteTree(out.resolve("checkpoints"));
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot finish the model folder " + out + ": " + e.getMessage(),
                    "check free disk space and permissions",
                    e);
        }
        return new Outcome(out, result, heldOut, secs, cpu, false);
    }

    /**
     * Mean loss per labelled token of a model folder on held-out blocks, no dropout: MLM loss with masks drawn from
     * a fixed seed for a masked LM, next-token loss for a causal LM. The cost measure that compares models trained
     * on different corpora on the same text.
     *
     * @param modelDir a model folder using bert-base-uncased's vocabulary (one {@code unmask pretrain} wrote)
     * @param blocks held-out blocks ({@link PackedCorpus#heldOut()})
     * @param maxBlocks score at most this many (the first ones)
     */
    public static double heldOutLoss(Path modelDir, List<int[]> blocks, int maxBlocks) throws UnmaskException {
        ModelConfig mc = ModelConfig.read(modelDir);
        BatchMaker batches;
        try (HfTokenizer tok = HfTokenizer.load(modelDir)) {
            int[] sp = tok.encode("").ids();
            int pad = tok.id("[PAD]").orElse(0);
            batches = TrainableModels.objectiveOf(mc) == Objective.CAUSAL
                    ? new CausalBatches(pad)
                    : new MlmMasking(0.15, tok.maskTokenId(), pad, tok.vocabularySize(), Set.of(sp[0], sp[1], pad));
        }
        try (NDManager manager = DjlRuntime.newManager();
                ShardedCheckpoint ckpt = ShardedCheckpoint.open(modelDir)) {
            TrainableModel model = TrainableModels.load(manager, ckpt, mc, 0);
            return heldOutLoss(model, blocks, maxBlocks, batches, 8, manager);
        }
    }

    static double heldOutLoss(
            TrainableModel model, List<int[]> blocks, int maxBlocks, BatchMaker batches, int batch, NDManager manager) {
        int n = Math.min(maxBlocks, blocks.size());
        if (n == 0) {
            return Double.NaN;
        }
        JniUtils.setGradMode(false);
        double sum = 0;
        long labelled = 0;
        for (int from = 0; from < n; from += batch) {
            List<int[]> rows = new ArrayList<>(blocks.subList(from, Math.min(n, from + batch)));
            MaskedBatch b = batches.make(rows, new SplittableRandom(Seeds.derive(HELD_OUT_MASK_SEED, from)));
            if (b.labelledCount() == 0) {
                continue;
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray loss = model.loss(scope, b, false);
                sum += loss.getFloat() * (double) b.labelledCount();
                labelled += b.labelledCount();
            }
        }
        return labelled == 0 ? Double.NaN : sum / labelled;
    }

    private static Map<String, Object> manifest(
            Settings s,
            PackedCorpus data,
            String corpusSha256,
            Map<String, Object> corpus,
            String fingerprint,
            String tokSha)
            throws ModelException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "unmask pretrain (pretraining from scratch, DJL/libtorch)");
        m.put("fingerprint", fingerprint);
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put("id", "scratch");
        parent.put("init", "HF normal(0, 0.02) from seed " + s.train().seed());
        m.put("parent", parent);
        Map<String, Object> c = new LinkedHashMap<>(corpus);
        c.put("contentSha256", corpusSha256);
        c.put("trainDocuments", data.trainDocuments());
        c.put("heldOutDocuments", data.heldOutDocuments());
        c.put("emptyDocuments", data.emptyDocuments());
        c.put("trainTokens", data.trainTokens());
        c.put("heldOutTokens", data.heldOutTokens());
        c.put("trainBlocks", data.train().size());
        c.put("heldOutBlocks", data.heldOut().size());
        c.put("epochs", data.train().isEmpty() ? 0 : (double) s.tokens() / data.trainBlockTokens());
        m.put("corpus", c);
        m.put("tokenizer", Map.of("model", TOKENIZER_MODEL, "tokenizerSha256", tokSha));
        m.put("settings", s.asMap());
        m.put("software", Map.of("backend", DjlRuntime.describe(), "java", System.getProperty("java.version")));
        m.put("startedAt", Instant.now().toString());
        return m;
    }

    private static String fingerprint(Settings s, String corpusSha256, String tokSha) throws ModelException {
        try {
            String x = "pretrain|" + corpusSha256 + "|" + tokSha + "|" + JSON.writeValueAsString(s.asMap());
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(x.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelException("cannot fingerprint the run: " + e.getMessage(), "");
        }
    }

    private static void writeJson(Path file, Object value) throws ModelException {
        try {
            Files.createDirectories(file.getParent());
            Checkpoints.writeAtomically(
                    file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new ModelException(
                    "cannot write " + file + ": " + e.getMessage(), "check disk space and permissions");
        }
    }
}
