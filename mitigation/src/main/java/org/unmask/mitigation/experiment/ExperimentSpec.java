package org.unmask.mitigation.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import org.unmask.core.error.InvalidInputException;

/**
 * An experiment file: baseline → mitigation(s) → audit → compare in one go. YAML, e.g.
 *
 * <pre>
 * name: cda-bert-base
 * baseline: bert-base-uncased          # model reference (default: the embedded bert-base-uncased)
 * suite: gender-occupation             # suite file or built-in id
 * out: runs/cda-bert-base              # everything goes under this folder
 * augment:                             # optional: counterfactual augmentation of the training text
 *   input: wb-pro-dev.txt
 *   keep-originals: true
 * finetune:                            # optional: masked-LM fine-tuning of the baseline
 *   data: wb-cda.txt                   # default: the augment output
 *   epochs: 1
 *   batch-size: 16
 *   max-length: 64
 * counterfactual-averaging: true       # optional: also audit the post-processed baseline
 * pppl-sentences: 100                  # held-out sentences for the cost
 * </pre>
 *
 * Relative paths are resolved against the experiment file's folder. Unknown keys are errors (naming the file and
 * key), so a typo cannot silently fall back to a default.
 *
 * @param file the experiment file
 * @param name experiment name
 * @param baseline baseline model reference, or null for the embedded default
 * @param suite suite file or built-in id
 * @param out output folder
 * @param augment augmentation settings, or null
 * @param finetune fine-tuning settings, or null
 * @param counterfactualAveraging whether to audit the baseline wrapped in counterfactual averaging
 * @param ppplSentences held-out sentences for pseudo-perplexity (0 = skip)
 * @param backend inference backend for audits and pseudo-perplexity
 */
public record ExperimentSpec(
        Path file,
        String name,
        String baseline,
        String suite,
        Path out,
        Augment augment,
        Finetune finetune,
        boolean counterfactualAveraging,
        int ppplSentences,
        String backend) {

    /** The value of {@code kind:} of this experiment (the default); {@link LabSpec#KIND} selects the lab. */
    public static final String KIND = "mitigation";

    private static final Set<String> TOP = Set.of(
            "kind",
            "name",
            "baseline",
            "suite",
            "out",
            "augment",
            "finetune",
            "counterfactual-averaging",
            "pppl-sentences",
            "backend");
    private static final Set<String> AUGMENT =
            Set.of("input", "field", "keep-originals", "drop-unswapped", "anonymize", "with-bolukbasi");
    private static final Set<String> FINETUNE = Set.of(
            "data",
            "field",
            "epochs",
            "batch-size",
            "accumulation",
            "lr",
            "warmup-ratio",
            "weight-decay",
            "max-grad-norm",
            "mask-probability",
            "dropout",
            "max-length",
            "long-text",
            "seed",
            "checkpoint-every");

    /**
     * @param input text/JSONL file or folder to augment
     * @param field JSON text field
     * @param keepOriginals emit originals too
     * @param dropUnswapped drop documents without gendered words
     * @param anonymize replace names, e-mails, phone numbers
     * @param withBolukbasi add the Bolukbasi pairs
     */
    public record Augment(
            Path input,
            String field,
            boolean keepOriginals,
            boolean dropUnswapped,
            boolean anonymize,
            boolean withBolukbasi) {}

    /**
     * Fine-tuning settings as in {@code unmask finetune}; {@code data} null means the augment output.
     */
    public record Finetune(
            Path data,
            String field,
            int epochs,
            int batchSize,
            int accumulation,
            double lr,
            double warmupRatio,
            double weightDecay,
            double maxGradNorm,
            double maskProbability,
            double dropout,
            int maxLength,
            String longText,
            long seed,
            int checkpointEvery) {}

    /** Reads and validates an experiment file. */
    public static ExperimentSpec read(Path file) throws InvalidInputException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidInputException(
                    file + ": not readable YAML: " + firstLine(e.getMessage()),
                    "see the example in ExperimentSpec's documentation or mitigation/README.md",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + ": an experiment is a YAML mapping", "start with `name: ...`");
        }
        checkKeys(file, "", root, TOP);
        String kind = text(root, "kind", KIND);
        if (!KIND.equals(kind)) {
            throw new InvalidInputException(
                    file + ": kind " + kind + " is not an experiment kind",
                    "use kind: " + KIND + " (the default) or kind: " + LabSpec.KIND);
        }
        Path base = file.toAbsolutePath().getParent();
        String name = text(root, "name", file.getFileName().toString().replaceAll("\\.ya?ml$", ""));
        Path out = base.resolve(text(root, "out", "runs/" + name));
        Augment aug = null;
        JsonNode a = root.get("augment");
        if (a != null) {
            checkKeys(file, "augment.", a, AUGMENT);
            String input = text(a, "input", null);
            if (input == null) {
                throw new InvalidInputException(file + ": augment.input is missing", "name the text to augment");
            }
            aug = new Augment(
                    base.resolve(input),
                    text(a, "field", "text"),
                    bool(a, "keep-originals", true),
                    bool(a, "drop-unswapped", false),
                    bool(a, "anonymize", false),
                    bool(a, "with-bolukbasi", false));
        }
        Finetune ft = null;
        JsonNode f = root.get("finetune");
        if (f != null) {
            checkKeys(file, "finetune.", f, FINETUNE);
            String data = text(f, "data", null);
            if (data == null && aug == null) {
                throw new InvalidInputException(
                        file + ": finetune.data is missing and there is no augment step",
                        "give finetune.data or an augment section");
            }
            ft = new Finetune(
                    data == null ? null : base.resolve(data),
                    text(f, "field", "text"),
                    integer(f, "epochs", 3),
                    integer(f, "batch-size", 8),
                    integer(f, "accumulation", 1),
                    number(f, "lr", 5e-5),
                    number(f, "warmup-ratio", 0.06),
                    number(f, "weight-decay", 0.01),
                    number(f, "max-grad-norm", 1.0),
                    number(f, "mask-probability", 0.15),
                    number(f, "dropout", 0.1),
                    integer(f, "max-length", 128),
                    text(f, "long-text", "error"),
                    integer(f, "seed", 42),
                    integer(f, "checkpoint-every", 50));
        }
        boolean avg = bool(root, "counterfactual-averaging", false);
        if (ft == null && !avg) {
            throw new InvalidInputException(
                    file + ": no mitigation to evaluate",
                    "add a finetune section and/or `counterfactual-averaging: true`");
        }
        int pppl = integer(root, "pppl-sentences", 100);
        if (pppl < 0 || pppl > 10_000) {
            throw new InvalidInputException(file + ": pppl-sentences " + pppl + " is out of range", "use 0..10000");
        }
        return new ExperimentSpec(
                file,
                name,
                text(root, "baseline", null),
                text(root, "suite", "gender-occupation"),
                out,
                aug,
                ft,
                avg,
                pppl,
                text(root, "backend", "auto"));
    }

    private static void checkKeys(Path file, String prefix, JsonNode node, Set<String> allowed)
            throws InvalidInputException {
        if (!node.isObject()) {
            throw new InvalidInputException(file + ": " + prefix + " must be a mapping", "");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new InvalidInputException(
                        file + ": unknown key \"" + prefix + k + "\"",
                        "allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static String text(JsonNode n, String key, String fallback) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static boolean bool(JsonNode n, String key, boolean fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new InvalidInputException("key \"" + key + "\" must be true or false, was " + v, "");
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode n, String key, int fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new InvalidInputException("key \"" + key + "\" must be a whole number, was " + v, "");
        }
        return v.asInt();
    }

    private static double number(JsonNode n, String key, double fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText()); // YAML 1.1 reads 5e-5 as a string
        } catch (NumberFormatException e) {
            throw new InvalidInputException("key \"" + key + "\" must be a number, was " + v, "");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
