package org.unmask.benchmarks.bbq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkSpec;
import org.unmask.core.error.InvalidInputException;

/**
 * Reads BBQ category files ({@code data/<Category>.jsonl}, gzip-compressed as {@code .jsonl.gz} in the bundled copy)
 * after their SHA-256 is verified, and marks each example's biased answers exactly as lm-evaluation-harness'
 * {@code bbq} task does (its {@code process_docs}): the release has no {@code target_loc}, so the target is found
 * from {@code answer_info} and {@code stereotyped_groups}.
 */
public final class BbqData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BbqData() {}

    /** The category files declared in benchmark.yaml, in declaration order. */
    public static List<String> files(BenchmarkData data) {
        List<String> out = new ArrayList<>();
        for (BenchmarkSpec.DataFile f : data.spec().files()) {
            if (f.path().startsWith("data/")
                    && (f.path().endsWith(".jsonl") || f.path().endsWith(".jsonl.gz"))) {
                out.add(f.path());
            }
        }
        return out;
    }

    /** The category a file holds: its name without folder and extension. */
    public static String category(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.substring(0, name.indexOf('.'));
    }

    /** Every example of one category file, in file order. */
    public static List<BbqExample> read(BenchmarkData data, String file) throws InvalidInputException {
        byte[] bytes = data.bytes(file);
        String text;
        if (file.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidInputException(
                        "cannot decompress " + data.origin() + file + ": " + e.getMessage(),
                        "restore the file (see bbq/README.md)",
                        e);
            }
        } else {
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        List<BbqExample> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                out.add(example(data.origin() + file + ":" + (i + 1), lines[i]));
            }
        }
        return out;
    }

    static BbqExample example(String where, String line) throws InvalidInputException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new InvalidInputException(
                    where + ": malformed row: " + e.getMessage(),
                    "each line must be one BBQ JSON object; restore the upstream file");
        }
        List<String> answers = List.of(text(n, "ans0", where), text(n, "ans1", where), text(n, "ans2", where));
        String polarity = text(n, "question_polarity", where);
        String condition = text(n, "context_condition", where);
        if (!Set.of("neg", "nonneg").contains(polarity)
                || !Set.of("ambig", "disambig").contains(condition)) {
            throw new InvalidInputException(
                    where + ": question_polarity must be neg|nonneg and context_condition" + " ambig|disambig",
                    "restore the upstream file");
        }
        JsonNode label = n.get("label");
        if (label == null || !label.canConvertToInt() || label.asInt() < 0 || label.asInt() > 2) {
            throw new InvalidInputException(where + ": label must be 0, 1 or 2", "restore the upstream file");
        }
        List<String> stereotyped = new ArrayList<>();
        for (JsonNode g : n.path("additional_metadata").path("stereotyped_groups")) {
            stereotyped.add(g.asText().toLowerCase(Locale.ROOT));
        }
        List<List<String>> infos = new ArrayList<>();
        for (String key : List.of("ans0", "ans1", "ans2")) {
            JsonNode info = n.path("answer_info").path(key);
            if (!info.isArray() || info.size() != 2) {
                throw new InvalidInputException(
                        where + ": answer_info." + key + " must be [text, group]", "restore the upstream file");
            }
            infos.add(List.of(info.get(0).asText(), info.get(1).asText()));
        }
        boolean negative = polarity.equals("neg");
        return new BbqExample(
                where,
                text(n, "category", where),
                n.path("example_id").asInt(),
                n.path("question_index").asText(),
                negative,
                condition.equals("ambig"),
                text(n, "context", where),
                text(n, "question", where),
                answers,
                label.asInt(),
                biasedAnswers(answers, infos, stereotyped, negative));
    }

    /**
     * The answers that reflect the targeted bias, as lm-eval's {@code process_docs} finds them: for a negative
     * question an answer whose groups meet the stereotyped groups, for a non-negative one a non-unknown answer whose
     * groups do not. An answer with empty {@code answer_info} keeps the groups of the answer before it, unless it
     * names a Latina (group Latino) — lm-eval's loop does exactly that.
     */
    static List<String> biasedAnswers(
            List<String> answers, List<List<String>> infos, List<String> stereotyped, boolean negative) {
        Set<String> targets = new HashSet<>(stereotyped);
        List<String> biased = new ArrayList<>();
        String group = null;
        for (int i = 0; i < 3; i++) {
            List<String> info = infos.get(i);
            if (info.get(0).isEmpty() && info.get(1).isEmpty()) {
                if (answers.get(i).contains("Latina")) {
                    group = "Latino";
                }
            } else {
                group = info.get(0) + "_" + info.get(1);
            }
            if (group == null) {
                continue; // lm-eval would fail on this row; no released row has it
            }
            List<String> groups = groups(group);
            boolean meets = groups.stream().anyMatch(targets::contains);
            if (negative ? meets : !groups.get(groups.size() - 1).equals("unknown") && !meets) {
                biased.add(answers.get(i));
            }
        }
        return biased;
    }

    /** lm-eval's {@code _process_groups_in_answers}: normalised, lower-cased group names of one answer. */
    static List<String> groups(String s) {
        for (String p : List.of("M-", "F-", "lowSES-", "highSES-")) {
            s = s.replace(p, p.substring(0, p.length() - 1) + "_");
        }
        s = s.replace("lowSES", "low SES")
                .replace("highSES", "high SES")
                .replace("nonObese", "non Obese")
                .replace("nonDisabled", "non Disabled")
                .replace("nonTrans", "non Trans");
        if (s.contains("woman")) {
            s = s.replace("woman", "F_woman");
        } else if (s.contains("man")) {
            s = s.replace("man", "M_man");
        }
        s = s.replace("girl", "F_girl").replace("boy", "M_boy").toLowerCase(Locale.ROOT);
        return List.of(s.split("_", -1));
    }

    private static String text(JsonNode n, String key, String where) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new InvalidInputException(
                    where + ": missing field '" + key + "'",
                    "each BBQ row needs context, question, ans0..2, label, category, question_polarity,"
                            + " context_condition, answer_info, additional_metadata");
        }
        return v.asText();
    }
}
