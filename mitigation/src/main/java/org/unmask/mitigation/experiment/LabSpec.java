package org.unmask.mitigation.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.unmask.core.error.InvalidInputException;

/**
 * A pretraining-lab experiment file ({@code kind: pretraining-lab}): does bias in the data cause bias in the model?
 * The same small model is pretrained from scratch on a corpus and on its counterfactually augmented version, with
 * the same seeds and steps, and both the corpora and the models are measured with one instrument. YAML, e.g.
 *
 * <pre>
 * kind: pretraining-lab
 * name: lab-toy
 * corpus: ../../shared/corpora/gutenberg-mini   # folder or file of .jsonl(.gz) / .txt(.gz) documents
 * out: runs/lab-toy
 * seeds: [1, 2, 3]                # k &gt;= 3 seeds per arm: training noise must not pass for a data effect
 * heldout-fraction: 0.05          # documents held out of both arms, for the cost (pseudo-perplexity)
 * pretrain:
 *   config: toy                   # a named pretraining configuration or a file (see unmask pretrain)
 *   steps: 0                      # 0: the configuration's own steps
 *   arch: masked                  # masked (BERT-style); causal when this build can pretrain it
 * augment:                        # counterfactual data augmentation of the training part
 *   keep-originals: true
 *   with-bolukbasi: false
 * suite: gender-occupation        # the audit suite (the trace reads its model % female per occupation)
 * min-sentences: 20               # gendered corpus sentences an occupation needs to be counted
 * pppl-sentences: 100             # held-out sentences for the cost
 * resamples: 2000                 # bootstrap resamples of the lab's intervals
 * backend: auto                   # inference backend of audits and the cost (auto, onnx or torch)
 * </pre>
 *
 * Relative paths are resolved against the file's folder. Unknown keys and wrong types are errors naming the file
 * and line ({@code lab.yaml:7: unknown key "pretrain.stpes"}), so a typo never falls back to a default silently.
 *
 * @param file the experiment file
 * @param name experiment name
 * @param corpus the original corpus (file or folder)
 * @param out output folder
 * @param seeds the seeds, one model per seed and arm (at least 3, distinct)
 * @param heldoutFraction fraction of documents held out of training (0 &lt; f &lt; 0.5)
 * @param pretrain pretraining settings
 * @param augment augmentation settings
 * @param suite suite file or built-in id of the audits
 * @param minSentences gendered corpus sentences an occupation needs to be counted
 * @param ppplSentences held-out sentences for pseudo-perplexity
 * @param resamples bootstrap resamples of the lab's intervals
 * @param backend inference backend for audits and pseudo-perplexity
 */
public record LabSpec(
        Path file,
        String name,
        Path corpus,
        Path out,
        List<Long> seeds,
        double heldoutFraction,
        Pretrain pretrain,
        Augment augment,
        String suite,
        int minSentences,
        int ppplSentences,
        int resamples,
        String backend) {

    /** The value of {@code kind:} that selects this experiment. */
    public static final String KIND = "pretraining-lab";
    /** The fewest seeds per arm: fewer cannot separate training noise from a data effect. */
    public static final int MIN_SEEDS = 3;

    private static final Set<String> TOP = Set.of(
            "kind",
            "name",
            "corpus",
            "out",
            "seeds",
            "heldout-fraction",
            "pretrain",
            "augment",
            "suite",
            "min-sentences",
            "pppl-sentences",
            "resamples",
            "backend");
    private static final Set<String> PRETRAIN = Set.of("config", "steps", "arch");
    private static final Set<String> AUGMENT = Set.of("keep-originals", "with-bolukbasi");

    public LabSpec {
        seeds = List.copyOf(seeds);
    }

    /**
     * Pretraining settings handed to the pretrainer.
     *
     * @param config a named configuration (e.g. {@code toy}, {@code lab}) or a configuration file
     * @param steps optimiser steps, 0 for the configuration's own
     * @param arch {@code masked} or {@code causal}
     */
    public record Pretrain(String config, int steps, String arch) {}

    /**
     * Counterfactual augmentation settings (as in {@code unmask augment}).
     *
     * @param keepOriginals emit the original documents too (two-sided CDA)
     * @param withBolukbasi add the Bolukbasi pairs to the WinoBias word lists
     */
    public record Augment(boolean keepOriginals, boolean withBolukbasi) {}

    /** Whether the parsed file declares {@code kind: pretraining-lab}. */
    public static boolean isLab(JsonNode root) {
        return root != null && root.isObject() && KIND.equals(root.path("kind").asText());
    }

    /**
     * Whether {@code file} is a lab file ({@code kind: pretraining-lab}); false when it is not readable YAML, so that
     * the mitigation experiment's reader reports what is wrong with it.
     */
    public static boolean declaredIn(Path file) {
        try {
            return isLab(YamlDoc.read(file).root());
        } catch (InvalidInputException e) {
            return false;
        }
    }

    /** Reads and validates a lab file. */
    public static LabSpec read(Path file) throws InvalidInputException {
        YamlDoc doc = YamlDoc.read(file);
        JsonNode root = doc.root();
        doc.checkKeys("", root, TOP);
        if (!isLab(root)) {
            throw doc.error("kind", "kind must be " + KIND, "start the file with `kind: " + KIND + "`");
        }
        Path base = file.toAbsolutePath().getParent();
        String name = doc.text(root, "name", file.getFileName().toString().replaceAll("\\.ya?ml$", ""));
        String corpus = doc.text(root, "corpus", null);
        if (corpus == null) {
            throw doc.error("", "corpus is missing", "name the corpus folder or file: `corpus: path/to/corpus`");
        }
        List<Long> seeds = seeds(doc, root.get("seeds"));
        double heldout = doc.number(root, "heldout-fraction", 0.05);
        if (!(heldout > 0 && heldout < 0.5)) {
            throw doc.error("heldout-fraction", "heldout-fraction " + heldout + " is out of range", "use 0 < f < 0.5");
        }
        JsonNode p = root.get("pretrain");
        if (p == null) {
            throw doc.error("", "pretrain is missing", "add `pretrain:` with at least `config: toy`");
        }
        doc.checkKeys("pretrain.", p, PRETRAIN);
        String arch = doc.text(p, "arch", "masked").toLowerCase(Locale.ROOT);
        if (!arch.equals("masked") && !arch.equals("causal")) {
            throw doc.error("pretrain.arch", "pretrain.arch " + arch + " is not masked or causal", "use masked");
        }
        int steps = doc.integer(p, "steps", 0);
        if (steps < 0) {
            throw doc.error("pretrain.steps", "pretrain.steps " + steps + " is negative", "use 0 (config) or more");
        }
        String config = doc.text(p, "config", null);
        if (config == null) {
            throw doc.error("pretrain", "pretrain.config is missing", "e.g. `config: toy` or `config: lab`");
        }
        JsonNode a = root.get("augment");
        Augment aug = new Augment(true, false);
        if (a != null) {
            doc.checkKeys("augment.", a, AUGMENT);
            aug = new Augment(doc.bool(a, "keep-originals", true), doc.bool(a, "with-bolukbasi", false));
        }
        int min = doc.integer(root, "min-sentences", 20);
        if (min < 1) {
            throw doc.error("min-sentences", "min-sentences " + min + " is less than 1", "use 1 or more");
        }
        int pppl = doc.integer(root, "pppl-sentences", 100);
        if (pppl < 1 || pppl > 10_000) {
            throw doc.error("pppl-sentences", "pppl-sentences " + pppl + " is out of range", "use 1..10000");
        }
        int resamples = doc.integer(root, "resamples", 2000);
        if (resamples < 100 || resamples > 100_000) {
            throw doc.error("resamples", "resamples " + resamples + " is out of range", "use 100..100000");
        }
        return new LabSpec(
                file,
                name,
                base.resolve(corpus).normalize(),
                base.resolve(doc.text(root, "out", "runs/" + name)).normalize(),
                seeds,
                heldout,
                new Pretrain(config, steps, arch),
                aug,
                suite(base, doc.text(root, "suite", "gender-occupation")),
                min,
                pppl,
                resamples,
                doc.text(root, "backend", "auto"));
    }

    /** A suite file relative to the lab file, as an absolute path; a built-in id as it is. */
    private static String suite(Path base, String suite) {
        Path p = base.resolve(suite);
        return java.nio.file.Files.isRegularFile(p) ? p.normalize().toString() : suite;
    }

    private static List<Long> seeds(YamlDoc doc, JsonNode s) throws InvalidInputException {
        if (s == null) {
            return List.of(1L, 2L, 3L);
        }
        if (!s.isArray()) {
            throw doc.error("seeds", "seeds must be a list of whole numbers, e.g. [1, 2, 3]", "");
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode v : s) {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw doc.error("seeds", "seed " + v + " is not a whole number", "e.g. seeds: [1, 2, 3]");
            }
            if (out.contains(v.asLong())) {
                throw doc.error("seeds", "seed " + v + " is listed twice", "give distinct seeds");
            }
            out.add(v.asLong());
        }
        if (out.size() < MIN_SEEDS) {
            throw doc.error(
                    "seeds",
                    out.size() + " seed(s) per arm cannot tell training noise from a data effect",
                    "give at least " + MIN_SEEDS + " seeds, e.g. seeds: [1, 2, 3]");
        }
        return out;
    }
}
