package org.unmask.models.djl.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.TextGenerator;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.GenerationRequest;
import org.unmask.models.Precision;
import org.unmask.models.internal.PaddedBatch;
import org.unmask.models.internal.RowReducer;
import org.unmask.models.tokenizer.HfTokenizer;

/**
 * A decoder-only causal LM whatever engine runs it: the request handling, prompt encoding, context-window
 * rules and seeded sampling loops live here once, so every backend (libtorch {@link CausalLm}, ONNX Runtime
 * {@code OrtCausalLm}) draws the same continuations from the same logits. A backend supplies only
 * next-token log-probabilities for a right-padded batch and a {@link Steps} over its KV cache.
 *
 * <p>Context window: a query or prompt longer than {@code max_position_embeddings} (GPT-2
 * {@code n_positions}, BLOOM {@code seq_length}) is rejected, never truncated; generation stops early
 * once prompt plus generated tokens fill the window.
 */
public abstract class DecoderLm implements TextGenerator {
    /** Most samples of one prompt run as one batch (bounds the KV cache and the logits copied per step). */
    static final int MAX_SAMPLE_BATCH = 32;

    private final ModelInfo info;
    private final HfTokenizer tokenizer;
    private final DecoderConfig cfg;

    protected DecoderLm(ModelInfo info, HfTokenizer tokenizer, DecoderConfig cfg) {
        this.info = info;
        this.tokenizer = tokenizer;
        this.cfg = cfg;
    }

    /**
     * Incremental decoding over one KV cache (empty when made). Each {@link #feed} runs the model once over the
     * new ids of every row, continuing the cached ones.
     */
    public interface Steps extends AutoCloseable {
        /**
         * Feeds {@code ids} ([batch, length] row-major, every row the same length) at the positions after the
         * cached ones and caches their keys and values.
         *
         * @return the logits after each row's last id, [batch * vocab]
         */
        float[] feed(int[] ids, int batch) throws ModelException;

        /** Repeats a batch-1 cache {@code n} times along the batch axis, so n continuations share one prompt. */
        void repeatBatch(int n) throws ModelException;

        @Override
        void close();
    }

    /** A fresh, empty KV cache over this model; close it after use. */
    protected abstract Steps steps() throws ModelException;

    /**
     * Log-softmax rows [rows.length * vocab] of a right-padded batch, at the flattened [batch * length] positions
     * {@code rows}.
     */
    protected abstract float[] logProbs(PaddedBatch packed, long[] rows) throws ModelException;

    /** Full logits [T * vocab] of one sequence without a cache: for tests that compare whole sequences. */
    protected abstract float[] allLogits(int[] ids) throws ModelException;

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public DecoderConfig config() {
        return cfg;
    }

    /** How the engine holds the weight matrices (fp32 unless a reduced precision was asked for and supported). */
    public abstract Precision precision();

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        for (LogProbQuery q : batch) {
            if (q.ids().length > cfg.maxPositions()) {
                throw new ModelException(
                        "an input of " + q.ids().length
                                + " tokens is longer than the context window of "
                                + cfg.maxPositions() + " of " + info.id(),
                        "shorten the text");
            }
        }
        int pad = cfg.padId() >= 0 && cfg.padId() < cfg.vocab() ? cfg.padId() : 0;
        PaddedBatch packed =
                PaddedBatch.of(batch.stream().map(LogProbQuery::ids).toList(), pad);
        long[] rows = RowReducer.rowIndices(batch, packed.length());
        return RowReducer.answers(batch, logProbs(packed, rows), cfg.vocab());
    }

    /**
     * Samples a continuation of the prompt and returns it (the new text only, special tokens dropped).
     * Stops at an end-of-text token, after {@code maxNewTokens}, or when the context window is full.
     *
     * @throws InvalidInputException when the prompt alone is longer than the context window
     */
    @Override
    public String generate(GenerationRequest request) throws ModelException, InvalidInputException {
        int[] prompt = promptIds(request.prompt());
        Sampler sampler = new Sampler(request.temperature(), request.topK(), request.topP(), request.seed());
        int[] out = generateIds(prompt, request.maxNewTokens(), sampler, true);
        return tokenizer.decode(out);
    }

    /**
     * Answers generation requests in order, each exactly as {@link #generate} would (same seeds, same
     * samples up to float rounding between batch sizes), but requests with the same prompt run together:
     * the prompt's forward pass once, then one batched step per new token for all of them.
     */
    @Override
    public List<String> generateAll(List<GenerationRequest> requests) throws ModelException, InvalidInputException {
        Map<String, List<Integer>> byPrompt = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byPrompt.computeIfAbsent(requests.get(i).prompt(), k -> new ArrayList<>())
                    .add(i);
        }
        String[] out = new String[requests.size()];
        for (Map.Entry<String, List<Integer>> group : byPrompt.entrySet()) {
            int[] prompt = promptIds(group.getKey());
            List<Integer> members = group.getValue();
            List<String> texts =
                    sampleAll(prompt, members.stream().map(requests::get).toList());
            for (int j = 0; j < members.size(); j++) {
                out[members.get(j)] = texts.get(j);
            }
        }
        return List.of(out);
    }

    /**
     * Samples after a prompt given as ids (a chat-templated conversation: its special tokens are in place and
     * nothing is added), batched as {@link #generateAll} batches the samples of one prompt.
     */
    @Override
    public List<String> generateFromIds(int[] prompt, List<GenerationRequest> samples)
            throws ModelException, InvalidInputException {
        if (prompt.length == 0 || prompt.length > cfg.maxPositions()) {
            throw new InvalidInputException(
                    "the prompt is " + prompt.length + " tokens long; the context window of " + info.id()
                            + " takes 1 to " + cfg.maxPositions(),
                    "shorten the conversation");
        }
        return sampleAll(prompt, samples);
    }

    /** One sample per request after {@code prompt}, in order, at most {@link #MAX_SAMPLE_BATCH} rows at a time. */
    private List<String> sampleAll(int[] prompt, List<GenerationRequest> requests) throws ModelException {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < requests.size(); start += MAX_SAMPLE_BATCH) {
            int end = Math.min(requests.size(), start + MAX_SAMPLE_BATCH);
            List<GenerationRequest> chunk = requests.subList(start, end);
            List<Sampler> samplers = new ArrayList<>();
            int[] limits = new int[chunk.size()];
            for (int j = 0; j < chunk.size(); j++) {
                GenerationRequest r = chunk.get(j);
                samplers.add(new Sampler(r.temperature(), r.topK(), r.topP(), r.seed()));
                limits[j] = r.maxNewTokens();
            }
            for (int[] ids : sampleBatch(prompt, samplers, limits)) {
                out.add(tokenizer.decode(ids));
            }
        }
        return out;
    }

    /**
     * Continues one prompt once per sampler, as a batch: the prompt runs once, its KV cache is repeated
     * per row, then each step feeds every row's newest token. A row stops as {@link #generateIds} does;
     * finished rows ride along until all are done.
     */
    int[][] sampleBatch(int[] prompt, List<Sampler> samplers, int[] maxNew) throws ModelException {
        int n = samplers.size();
        List<List<Integer>> out = new ArrayList<>();
        boolean[] done = new boolean[n];
        int active = n;
        try (Steps cache = steps()) {
            float[] first = cache.feed(prompt, 1);
            cache.repeatBatch(n);
            int[] feed = new int[n];
            int vocab = first.length;
            for (int i = 0; i < n; i++) {
                out.add(new ArrayList<>());
                feed[i] = samplers.get(i).next(first);
            }
            while (true) {
                for (int i = 0; i < n; i++) {
                    if (!done[i]) {
                        if (cfg.isEos(feed[i])) {
                            done[i] = true;
                        } else {
                            out.get(i).add(feed[i]);
                            done[i] = out.get(i).size() >= maxNew[i]
                                    || prompt.length + out.get(i).size() >= cfg.maxPositions();
                        }
                        active -= done[i] ? 1 : 0;
                    }
                }
                if (active == 0) {
                    break;
                }
                float[] logits = cache.feed(feed, n);
                for (int i = 0; i < n; i++) {
                    if (!done[i]) {
                        feed[i] = samplers.get(i).next(logits, i * vocab, vocab);
                    }
                }
            }
        }
        int[][] ids = new int[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return ids;
    }

    /**
     * The ids a prompt is fed as: the tokenizer's encoding with its leading specials (BOS for Llama) but
     * without trailing ones (an EOS some tokenizers append would end the text); BOS alone for an empty
     * prompt when the tokenizer adds nothing.
     */
    int[] promptIds(String prompt) throws InvalidInputException {
        Encoding enc = tokenizer.encode(prompt);
        int n = enc.length();
        while (n > 0 && enc.special()[n - 1] && (n > 1 || enc.ids()[0] != cfg.bosId())) {
            n--;
        }
        int[] ids = Arrays.copyOf(enc.ids(), n);
        if (ids.length == 0) {
            if (cfg.bosId() < 0) {
                throw new InvalidInputException(
                        "empty prompt and the model has no beginning-of-text token",
                        "give some text for the model to continue");
            }
            ids = new int[] {cfg.bosId()};
        }
        if (ids.length > cfg.maxPositions()) {
            throw new InvalidInputException(
                    "the prompt is " + ids.length
                            + " tokens long, more than the context window of "
                            + cfg.maxPositions() + " tokens of " + info.id(),
                    "shorten the prompt");
        }
        return ids;
    }

    /**
     * Generates up to {@code maxNew} ids after {@code prompt}. With {@code cached} each step feeds only
     * the newest token and reuses keys and values; without, it recomputes the whole sequence (the
     * reference the cached path is tested against).
     */
    int[] generateIds(int[] prompt, int maxNew, Sampler sampler, boolean cached) throws ModelException {
        List<Integer> out = new ArrayList<>();
        int[] seq = prompt.clone();
        try (Steps cache = cached ? steps() : null) {
            int[] feed = prompt;
            while (out.size() < maxNew) {
                float[] logits;
                if (cached) {
                    logits = cache.feed(feed, 1);
                } else {
                    try (Steps once = steps()) {
                        logits = once.feed(seq, 1);
                    }
                }
                int next = sampler.next(logits);
                if (cfg.isEos(next)) {
                    break;
                }
                out.add(next);
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = next;
                if (seq.length >= cfg.maxPositions()) {
                    break; // the next token would have no position left
                }
                feed = new int[] {next};
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Closes the tokenizer; a subclass frees its engine first. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
