package org.unmask.benchmarks.bbq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkSpec;
import org.unmask.benchmarks.data.Table;
import org.unmask.core.error.InvalidInputException;

/**
 * Reads BBQ category files ({@code data/<Category>.jsonl}, gzip-compressed as {@code .jsonl.gz} in the bundled copy)
 * after their SHA-256 is verified, and marks each example's biased answers exactly as lm-evaluation-harness'
 * {@code bbq} task does (its {@code process_docs}): the release has no {@code target_loc}, so the target is found
 * from {@code answer_info} and {@code stereotyped_groups}.
 *
 * <p>The intersectional categories (Race_x_gender, Race_x_SES) are scored as the paper defines them instead
 * (Parrish et al. 2022, §6 and Appendix H): the bias target is the answer that matches <em>both</em> dimensions
 * (a targeted race and the targeted gender or SES). The targeted gender/SES is not in the rows; it comes per template
 * from {@value #TARGETS} (the templates' {@code Known_stereotyped_var2}, as the authors' analysis merges it in).
 * lm-eval's rule, which looks at race only, is kept beside it ({@link BbqExample#lmEvalBiased}).
 */
public final class BbqData {
    /** Per intersectional template: category, question_index, stereotyped races, targeted gender/SES value. */
    public static final String TARGETS = "data/intersectional_targets.tsv";

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

    /** Whether a category is one of the intersectional ones (Race_x_gender, Race_x_SES). */
    public static boolean intersectional(String category) {
        return category.contains("_x_");
    }

    /** Every example of one category file, in file order. */
    public static List<BbqExample> read(BenchmarkData data, String file) throws InvalidInputException {
        Map<String, String> var2 = intersectional(category(file)) ? targets(data) : Map.of();
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
                out.add(example(data.origin() + file + ":" + (i + 1), lines[i], var2));
            }
        }
        return out;
    }

    /** The targeted gender/SES value per intersectional template, keyed {@code category#question_index}. */
    static Map<String, String> targets(BenchmarkData data) throws InvalidInputException {
        if (data.spec().files().stream().noneMatch(f -> f.path().equals(TARGETS))) {
            throw new InvalidInputException(
                    data.origin() + "benchmark.yaml declares an intersectional BBQ category but not " + TARGETS,
                    "add " + TARGETS + " (tools/bbq/regenerate_bbq_intersectional.py --targets) with its sha256");
        }
        Table t = Table.tsv(data.origin() + TARGETS, new String(data.bytes(TARGETS), StandardCharsets.UTF_8));
        t.requireColumns("category", "question_index", "known_stereotyped_var2");
        Map<String, String> out = new HashMap<>();
        for (Table.Row r : t.rows()) {
            out.put(r.require("category") + "#" + r.require("question_index"), r.require("known_stereotyped_var2"));
        }
        return out;
    }

    /** One single-axis row (no intersectional targets needed). */
    static BbqExample example(String where, String line) throws InvalidInputException {
        return example(where, line, Map.of());
    }

    static BbqExample example(String where, String line, Map<String, String> var2ByTemplate)
            throws InvalidInputException {
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
        String category = text(n, "category", where);
        String questionIndex = n.path("question_index").asText();
        List<String> lmEval = biasedAnswers(answers, infos, stereotyped, negative);
        List<String> biased = lmEval;
        String comparison = "";
        if (intersectional(category)) {
            String var2 = var2ByTemplate.get(category + "#" + questionIndex);
            if (var2 == null) {
                throw new InvalidInputException(
                        where + ": no bias target for " + category + " template " + questionIndex + " in " + TARGETS,
                        "restore " + TARGETS + " from the templates (tools/bbq/regenerate_bbq_intersectional.py)");
            }
            biased = intersectionalBiased(answers, infos, stereotyped, var2, negative);
            comparison = n.path("additional_metadata").path("subcategory").asText("");
        }
        return new BbqExample(
                where,
                category,
                n.path("example_id").asInt(),
                questionIndex,
                negative,
                condition.equals("ambig"),
                text(n, "context", where),
                text(n, "question", where),
                answers,
                label.asInt(),
                biased,
                lmEval,
                comparison);
    }

    /**
     * The paper's biased answer in an intersectional example: the bias target is the named answer whose group (
     * {@code "<gender|SES>-<race>"}, or {@code "<SES>-<gender>-<race>"} for proper names) has the targeted
     * gender/SES {@code var2} and a stereotyped race. A negative question's biased answer is the target, a
     * non-negative one's the other named answer. The release leaves some answers without {@code answer_info}
     * (upstream rewrites "Latino woman" to "Latina woman" after matching); then the other named answer decides (the
     * target is the answer without info exactly when the other is not the target). Rows where the named answers do
     * not hold exactly one target (upstream gives "African" and "African American" answers the same info) have no
     * biased answer.
     */
    static List<String> intersectionalBiased(
            List<String> answers, List<List<String>> infos, List<String> stereotyped, String var2, boolean negative) {
        List<Integer> named = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (!infos.get(i).get(1).equals("unknown") && !BbqScoring.UNKNOWN.contains(answers.get(i))) {
                named.add(i);
            }
        }
        if (named.size() != 2) {
            return List.of();
        }
        Boolean[] target = new Boolean[2];
        for (int k = 0; k < 2; k++) {
            String group = infos.get(named.get(k)).get(1);
            if (!group.isEmpty()) {
                target[k] = matchesBoth(group, var2, stereotyped);
            }
        }
        if (target[0] == null && target[1] == null) {
            return List.of();
        }
        if (target[0] == null) {
            target[0] = !target[1];
        } else if (target[1] == null) {
            target[1] = !target[0];
        }
        if (target[0] == target[1]) {
            return List.of();
        }
        int t = target[0] ? 0 : 1;
        return List.of(answers.get(named.get(negative ? t : 1 - t)));
    }

    /** Whether {@code "<var2>-[M-|F-]<race>"} has the targeted var2 and a stereotyped race. */
    static boolean matchesBoth(String group, String var2, List<String> stereotyped) {
        int dash = group.indexOf('-');
        if (dash < 0) {
            return false;
        }
        String race = group.substring(dash + 1).replaceFirst("^[MF]-", "");
        return group.substring(0, dash).equals(var2) && stereotyped.contains(race.toLowerCase(Locale.ROOT));
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
