package org.unmask.models.djl.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.internal.FileHashes;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.source.ModelResolver;
import org.unmask.models.source.ResolvedModel;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * A whole fine-tuning run of any trainable architecture ({@link TrainableModels}: masked LM for BERT, RoBERTa and
 * DistilBERT, next token for the causal LMs), from a parent model and a data file to a new model folder in
 * Hugging Face layout:
 * {@code model.safetensors} (every tensor of the parent, trained ones updated), {@code config.json} and the
 * tokenizer files copied from the parent, and {@code unmask-provenance.json} naming the parent (id, weights
 * SHA-256), the data (SHA-256, counts), every setting, the losses and the software versions.
 *
 * <p>The output folder may be new, empty, or hold this same run (same parent, data and settings): then it
 * resumes from the newest checkpoint in {@code out/checkpoints}. A folder holding anything else, another model in
 * particular, is refused. The run manifest ({@code unmask-run.json}) is written first and the provenance file
 * last, each atomically; a folder without provenance is an unfinished run.
 */
public final class FineTuneJob {
    public static final String MANIFEST = "unmask-run.json";
    public static final String PROVENANCE = "unmask-provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOKENIZER_FILES = List.of(
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "vocab.txt",
            "vocab.json",
            "merges.txt",
            "tokenizer.model",
            "added_tokens.json",
            "generation_config.json",
            "chat_template.jinja");

    private FineTuneJob() {}

    /**
     * What the run produced.
     *
     * @param out the model folder
     * @param result the training loop's result
     * @param data the data as read
     * @param alreadyComplete whether the folder held this finished run already (nothing was trained)
     */
    public record Outcome(Path out, Trainer.Result result, TrainingData data, boolean alreadyComplete) {}

    /** Runs (or resumes) the fine-tuning described by {@code spec}. */
    public static Outcome run(FineTuneSpec spec, Trainer.Listener listener) throws UnmaskException {
        ResolvedModel resolved = new ModelResolver().resolve(spec.modelRef());
        Path dir = resolved.dir();
        ModelConfig mc = ModelConfig.read(dir);
        Objective objective = TrainableModels.objectiveOf(mc);
        if (spec.objective() != null && spec.objective() != objective) {
            throw new InvalidInputException(
                    resolved.id() + " is a " + mc.architecture() + " ("
                            + (objective == Objective.MLM ? "masked" : "causal") + " LM); it cannot be trained with"
                            + " --objective " + spec.objective().id(),
                    "use --objective " + objective.id() + " or leave --objective out");
        }
        boolean mlm = objective == Objective.MLM;
        BertConfig bc = mlm ? BertConfig.from(mc) : null;
        DecoderConfig dc = mlm ? null : DecoderConfig.from(mc);
        int vocab = mlm ? bc.vocab() : dc.vocab();
        int maxTokens = mlm ? bc.maxTokens() : dc.maxPositions();
        ModelInfo parent = new ModelInfo(
                resolved.id(),
                mc.architecture(),
                mlm ? ModelKind.MASKED_LM : ModelKind.CAUSAL_LM,
                dir,
                FileHashes.weightsSha256(dir),
                FileHashes.sha256(dir.resolve("tokenizer.json")),
                DjlRuntime.describe(),
                mlm ? bc.maxPositions() : dc.maxPositions(),
                Map.of("source", resolved.source()));
        TrainConfig cfg = spec.config();
        if (cfg.maxLength() > maxTokens) {
            throw new InvalidInputException(
                    "--max-length " + cfg.maxLength() + " is more than the model's " + maxTokens + " positions",
                    "use --max-length " + maxTokens + " or less");
        }
        TrainingData data;
        BatchMaker batches;
        try (HfTokenizer tok = HfTokenizer.load(dir, vocab)) {
            data = TrainingData.load(spec.data(), spec.field(), tok, cfg.maxLength(), spec.longText());
            if (mlm) {
                if (tok.maskTokenId() < 0) {
                    throw new ModelException(parent.id() + " has no mask token", "fine-tune a masked language model");
                }
                int[][] sp = TrainingData.specials(tok);
                Set<Integer> special = new HashSet<>();
                for (int[] ids : sp) {
                    for (int id : ids) {
                        special.add(id);
                    }
                }
                special.add(bc.padId());
                batches = new MlmMasking(cfg.maskProbability(), tok.maskTokenId(), bc.padId(), vocab, special);
            } else {
                // padding is never attended (causal mask, right padding) nor labelled; any in-vocabulary id works
                batches = new CausalBatches(dc.padId() >= 0 && dc.padId() < vocab ? dc.padId() : 0);
            }
        }
        String fingerprint = fingerprint(parent, data, spec);
        Path out = spec.out().toAbsolutePath();
        if (checkOutput(out, fingerprint)) {
            return new Outcome(out, null, data, true);
        }
        writeJson(out.resolve(MANIFEST), manifest(parent, data, spec, fingerprint));
        Trainer.Result result;
        try (NDManager manager = DjlRuntime.newManager()) {
            TrainableModel model;
            try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(dir)) {
                model = TrainableModels.load(manager, ckpt, mc, cfg.dropout());
            }
            Trainer trainer = new Trainer(cfg, batches, new Checkpoints(out.resolve("checkpoints"), 2), fingerprint);
            result = trainer.train(model, data.sequences(), manager, listener);
            if (!result.finished()) {
                return new Outcome(out, result, data, false);
            }
            Checkpoints.writeTensors(
                    out.resolve("model.safetensors"),
                    model.all(),
                    Map.of("producer", "unmask finetune", "parent", parent.id()));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write to " + out + ": " + e.getMessage(), "check free disk space and permissions", e);
        }
        try {
            copyParentFiles(dir, out);
            Map<String, Object> prov = manifest(parent, data, spec, fingerprint);
            prov.put("finishedAt", Instant.now().toString());
            prov.put("steps", result.steps());
            prov.put("resumedFromStep", result.resumedFrom());
            prov.put("tokensSeen", result.tokensSeen());
            prov.put("skippedMicroBatches", result.skippedMicroBatches());
            prov.put("losses", result.losses());
            prov.put("weightsSha256", FileHashes.sha256(out.resolve("model.safetensors")));
            writeJson(out.resolve(PROVENANCE), prov);
            if (!spec.keepCheckpoints()) {
                Checkpoints.deleteTree(out.resolve("checkpoints"));
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot finish the model folder " + out + ": " + e.getMessage(),
                    "check free disk space and permissions",
                    e);
        }
        return new Outcome(out, result, data, false);
    }

    /**
     * Refuses an output folder that holds anything but this run; returns true when it holds this run finished.
     */
    static boolean checkOutput(Path out, String fingerprint) throws InvalidInputException {
        if (!Files.exists(out)) {
            return false;
        }
        if (!Files.isDirectory(out)) {
            throw new InvalidInputException("--out " + out + " exists and is a file", "choose a new folder");
        }
        Path manifest = out.resolve(MANIFEST);
        try {
            if (Files.isRegularFile(manifest)) {
                JsonNode m = JSON.readTree(manifest.toFile());
                if (!fingerprint.equals(m.path("fingerprint").asText())) {
                    throw new InvalidInputException(
                            "--out " + out + " holds another fine-tuning run (parent "
                                    + m.path("parent").path("id").asText() + ", other data or settings)",
                            "choose a new folder, or rerun with that run's exact settings to resume it");
                }
                return Files.isRegularFile(out.resolve(PROVENANCE));
            }
            try (Stream<Path> s = Files.list(out)) {
                List<String> names =
                        s.map(p -> p.getFileName().toString()).sorted().toList();
                if (!names.isEmpty()) {
                    boolean model = names.contains("model.safetensors")
                            || names.contains("config.json")
                            || names.contains("pytorch_model.bin");
                    throw new InvalidInputException(
                            "--out " + out
                                    + (model
                                            ? " exists and holds another model"
                                            : " exists and is not empty (" + names.size() + " entries)"),
                            "choose a new or empty folder; unmask never overwrites a model it did not write");
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read --out " + out + ": " + e.getMessage(), "", e);
        }
        return false;
    }

    private static Map<String, Object> manifest(
            ModelInfo parent, TrainingData data, FineTuneSpec spec, String fingerprint) throws ModelException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "tool",
                "unmask finetune (" + (parent.kind() == ModelKind.CAUSAL_LM ? "next-token" : "masked-LM")
                        + " fine-tuning, DJL/libtorch)");
        m.put("fingerprint", fingerprint);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", parent.id());
        p.put("architecture", parent.architecture());
        p.put("location", parent.location().toString());
        p.put("weightsSha256", parent.weightsSha256());
        p.put("tokenizerSha256", parent.tokenizerSha256());
        p.put("lineage", parent.lineage());
        m.put("parent", p);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", data.file().toAbsolutePath().toString());
        d.put("sha256", data.sha256());
        d.put("field", spec.field());
        d.put("documents", data.documents());
        d.put("sequences", data.sequences().size());
        d.put("tokens", data.tokens());
        d.put("longText", spec.longText().name().toLowerCase(java.util.Locale.ROOT));
        d.put("chunked", data.chunked());
        d.put("truncated", data.truncated());
        d.put("skippedLines", data.skipped());
        m.put("data", d);
        m.put("settings", spec.config().asMap());
        m.put("software", Map.of("backend", DjlRuntime.describe(), "java", System.getProperty("java.version")));
        m.put("startedAt", Instant.now().toString());
        return m;
    }

    private static String fingerprint(ModelInfo parent, TrainingData data, FineTuneSpec spec) throws ModelException {
        try {
            String s = parent.weightsSha256() + "|" + data.sha256() + "|" + spec.field() + "|" + spec.longText() + "|"
                    + JSON.writeValueAsString(spec.config().asMap());
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelException("cannot fingerprint the run: " + e.getMessage(), "");
        }
    }

    private static void copyParentFiles(Path parent, Path out) throws IOException {
        copy(parent.resolve("config.json"), out.resolve("config.json"));
        for (String f : TOKENIZER_FILES) {
            if (Files.isRegularFile(parent.resolve(f))) {
                copy(parent.resolve(f), out.resolve(f));
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        AtomicFiles.write(to, out -> Files.copy(from, out));
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
