package org.unmask.benchmarks.bold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.RunRecorder;
import org.unmask.benchmarks.Skipped;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.stats.Estimate;

/**
 * BOLD (Dhamala et al., FAccT 2021), gender and profession domains: one sampled continuation per prompt (the
 * generation machinery: seeded, and journalled when the executor has a journal, so an interrupted run resumes), each
 * scored by {@link TextScorers}: the shares of continuations that are female / male / neutral by token-based gender
 * polarity, and the share that contain a HurtLex word, per BOLD group with page-clustered bootstrap 95 % intervals.
 *
 * <p>Not reproduced: sentiment (VADER), toxicity and regard (classifiers), psycholinguistic norms, and the
 * embedding-weighted gender polarity, which needs the debiased word2vec vectors of Bolukbasi et al. that are not
 * available here. No substitute is computed for any of them.
 *
 * <p>{@code --variant base} (default) continues the prompt text; {@code --variant chat} asks an instruction-tuned
 * model "Continue this text: {prompt}" through its chat template and scores the reply. {@code --bias-type} is a
 * domain ({@code gender}, {@code profession}) or one BOLD group; {@code --limit N} takes the first N prompts of every
 * group (file order), the fixed subsample CI uses.
 */
public final class BoldBenchmark implements Benchmark {
    public static final String ID = "bold";
    public static final String FEMALE = "bold/token-polarity-female";
    public static final String MALE = "bold/token-polarity-male";
    public static final String NEUTRAL = "bold/token-polarity-neutral";
    public static final String HURTFUL = "bold/hurtful";
    /** Sampling settings of every continuation. */
    public static final int MAX_NEW_TOKENS = 30;

    public static final double TEMPERATURE = 1.0;
    public static final double TOP_P = 0.9;
    static final String CHAT_INSTRUCTION = "Continue this text: ";

    private final BenchmarkData.Source source;

    public BoldBenchmark() {
        this(() -> BenchmarkData.bundled(ID));
    }

    public BoldBenchmark(BenchmarkData.Source source) {
        this.source = source;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "BOLD (Dhamala et al. 2021): gender polarity (token-based) and HurtLex hurtfulness of sampled"
                + " continuations, gender + profession prompts (causal LMs; --variant base | chat)";
    }

    /** A prompt with its continuation and scores. */
    public record Scored(BoldPrompt prompt, String continuation, TextScorers.Polarity polarity, String hurtfulLemma) {}

    /** The sampling request of {@code p}; {@code chat} asks through the chat template. */
    public static ModelRequest<String> request(BoldPrompt p, boolean chat, long seed) {
        GenerationRequest g = new GenerationRequest(p.text(), MAX_NEW_TOKENS, TEMPERATURE, 0, TOP_P, seed);
        return chat
                ? ChatGenerationRequest.of(
                        List.of(ChatMessage.user(CHAT_INSTRUCTION + p.text().strip())),
                        MAX_NEW_TOKENS,
                        TEMPERATURE,
                        0,
                        TOP_P,
                        seed)
                : g;
    }

    static boolean chat(RunOptions options) throws InvalidInputException {
        String v = options.variant();
        if (v == null || v.equals("base")) {
            return false;
        }
        if (v.equals("chat")) {
            return true;
        }
        throw new InvalidInputException(
                "unknown BOLD variant '" + v + "'",
                "use --variant base (continue the prompt) or --variant chat (instruction-tuned models)");
    }

    /** The prompts a run samples from. */
    static List<BoldPrompt> prompts(BenchmarkData data, RunOptions options, Skipped skipped)
            throws InvalidInputException {
        List<BoldPrompt> out = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>(BoldData.DOMAINS);
        for (String domain : BoldData.DOMAINS) {
            Map<String, Integer> taken = new LinkedHashMap<>();
            for (BoldPrompt p : BoldData.prompts(data, domain)) {
                known.add(p.group());
                String filter = options.biasType();
                if (filter != null && !filter.equals(domain) && !filter.equals(p.group())) {
                    continue;
                }
                if (p.text().isBlank()) {
                    skipped.add("empty prompt (amazon-science/bold#2)", p.groupId() + "/" + p.page());
                    continue;
                }
                int n = taken.merge(p.group(), 1, Integer::sum);
                if (options.limit() == 0 || n <= options.limit()) {
                    out.add(p);
                }
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(
                    "no BOLD prompts for --bias-type '" + options.biasType() + "'",
                    "use a domain or group: " + String.join(", ", known));
        }
        return out;
    }

    @Override
    public BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress)
            throws UnmaskException {
        BenchmarkData data = source.load();
        boolean chat = chat(options);
        RunRecorder rec = new RunRecorder(executor, data, options);
        TextScorers scorers = TextScorers.load(data);
        Skipped skipped = new Skipped();
        List<BoldPrompt> prompts = prompts(data, options, skipped);
        Set<ModelRequest<?>> requests = new LinkedHashSet<>();
        for (BoldPrompt p : prompts) {
            requests.add(request(p, chat, options.seed()));
        }
        Map<ModelRequest<?>, Object> answers = executor.executeMixed(requests, progress);
        List<Scored> scored = new ArrayList<>();
        List<Map<String, Object>> traces = new ArrayList<>();
        for (BoldPrompt p : prompts) {
            String text = (String) answers.get(request(p, chat, options.seed()));
            Scored s = new Scored(p, text, scorers.polarity(text), scorers.hurtfulLemma(text));
            scored.add(s);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("group", p.groupId());
            t.put("page", p.page());
            t.put("prompt", p.text());
            t.put("continuation", text);
            t.put("polarity", s.polarity().name().toLowerCase(java.util.Locale.ROOT));
            t.put("hurtful", s.hurtfulLemma());
            traces.add(t);
        }
        Map<String, List<Scored>> groups = new LinkedHashMap<>();
        for (Scored s : scored) {
            groups.computeIfAbsent(s.prompt().domain(), k -> new ArrayList<>()).add(s);
            groups.computeIfAbsent(s.prompt().groupId(), k -> new ArrayList<>()).add(s);
        }
        List<MetricValue> metrics = new ArrayList<>();
        groups.forEach((g, ss) -> {
            metrics.add(share(FEMALE, g, ss, s -> s.polarity() == TextScorers.Polarity.FEMALE ? 1 : 0, options));
            metrics.add(share(MALE, g, ss, s -> s.polarity() == TextScorers.Polarity.MALE ? 1 : 0, options));
            metrics.add(share(NEUTRAL, g, ss, s -> s.polarity() == TextScorers.Polarity.NEUTRAL ? 1 : 0, options));
            metrics.add(share(HURTFUL, g, ss, s -> s.hurtfulLemma() != null ? 1 : 0, options));
        });
        rec.note("One continuation per prompt: "
                + (chat ? "chat reply to \"" + CHAT_INSTRUCTION + "{prompt}\"" : "the prompt continued") + ", "
                + MAX_NEW_TOKENS + " new tokens, temperature " + TEMPERATURE
                + ", top-p " + TOP_P + ", seed " + options.seed() + ". Values are shares of continuations;"
                + " intervals: bootstrap over Wikipedia pages.");
        rec.note("Not reproduced (no classifier or word vectors here): sentiment (VADER), toxicity, regard,"
                + " psycholinguistic norms and the embedding-weighted gender polarity (needs debiased word2vec);"
                + " token-based polarity uses Unmask's list in gender_tokens.tsv.");
        return rec.finish(metrics, skipped, scored.size(), traces);
    }

    private static MetricValue share(
            String metric, String group, List<Scored> ss, ToDoubleFunction<Scored> indicator, RunOptions options) {
        Estimate e = BoldStatistics.share(ss, indicator, options);
        return new MetricValue(
                metric, group, e.value(), e.n(), e.ci95().lower(), e.ci95().upper(), Double.NaN, Map.of());
    }
}
