package org.unmask.models.djl.causal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * A decoder-only causal LM (GPT-2, Llama/Mistral/Qwen2, OLMo, OLMo-2, BLOOM) on libtorch: next-token
 * distributions for batches of queries and sampled continuations with a KV cache.
 *
 * <p>Scoring batches are right-padded to their longest input; under the causal mask a real token never
 * attends to a later (padding) position, so padding never changes a result. The LM head runs only on
 * the rows that are read.
 *
 * <p>Context window: a query or prompt longer than {@code max_position_embeddings} (GPT-2
 * {@code n_positions}, BLOOM {@code seq_length}) is rejected, never truncated; generation stops early
 * once prompt plus generated tokens fill the window.
 */
public final class CausalLm implements TextGenerator {
    /** Most samples of one prompt run as one batch (bounds the KV cache and the logits copied per step). */
    static final int MAX_SAMPLE_BATCH = 32;

    private final ModelInfo info;
    private final HfTokenizer tokenizer;
    private final NDManager manager;
    private final DecoderConfig cfg;
    private final DecoderForward forward;
    private final Precision precision;

    CausalLm(
            ModelInfo info,
            HfTokenizer tokenizer,
            NDManager manager,
            DecoderConfig cfg,
            DecoderForward forward,
            Precision precision) {
        this.info = info;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.cfg = cfg;
        this.forward = forward;
        this.precision = precision;
    }

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

    /** How the weight matrices are held. */
    public Precision precision() {
        return precision;
    }

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
        float[] flat;
        try (NDManager m = manager.newSubManager()) {
            NDArray hidden = forward.hidden(m, packed.ids(), batch.size(), packed.length(), null);
            NDArray sel = Ops.embed(m.create(rows), hidden.reshape(-1, cfg.hidden()));
            flat = forward.logits(sel).logSoftmax(-1).toFloatArray();
        } catch (EngineException e) {
            throw new ModelException(
                    "libtorch failed on a batch of " + batch.size() + ": " + e.getMessage(),
                    "this is unexpected; rerun with a smaller --batch-size");
        }
        return RowReducer.answers(batch, flat, cfg.vocab());
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
        try (KvCache cache = newCache()) {
            float[] first = lastLogits(prompt, cache);
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
                float[] logits = stepLogits(feed, cache);
                for (int i = 0; i < n; i++) {
                    if (!done[i]) {
                        feed[i] = samplers.get(i).next(Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab));
                    }
                }
            }
        } catch (EngineException e) {
            throw new ModelException("libtorch failed while generating: " + e.getMessage(), "this is unexpected");
        }
        int[][] ids = new int[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return ids;
    }

    /** Logits [n * vocab] for one new token per row, continuing a batch-n cache. */
    private float[] stepLogits(int[] tokens, KvCache cache) {
        long[] in = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            in[i] = tokens[i];
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray h = forward.hidden(step, in, tokens.length, 1, cache);
            cache.advance(1);
            return forward.logits(h.reshape(tokens.length, cfg.hidden())).toFloatArray();
        }
    }

    /**
     * The ids a prompt is fed as: the tokenizer's encoding with its leading specials (BOS for Llama) but
     * without trailing ones (an EOS some tokenizers append would end the text); BOS alone for an empty
     * prompt when the tokenizer adds nothing.
     */
    int[] promptIds(String prompt) throws InvalidInputException {
        Encoding enc = tokenizer.encode(prompt);
        int n = enc.length();
        while (n > 0 && enc.special()[n - 1] && (n > 1 || !isBos(enc.ids()[0]))) {
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

    private boolean isBos(int id) {
        return id == cfg.bosId();
    }

    /**
     * Generates up to {@code maxNew} ids after {@code prompt}. With {@code cached} each step feeds only
     * the newest token and reuses keys and values; without, it recomputes the whole sequence (the
     * reference the cached path is tested against).
     */
    int[] generateIds(int[] prompt, int maxNew, Sampler sampler, boolean cached) throws ModelException {
        List<Integer> out = new ArrayList<>();
        int[] seq = prompt.clone();
        try (KvCache cache = cached ? new KvCache(manager, cfg.layers()) : null) {
            int[] feed = prompt;
            while (out.size() < maxNew) {
                float[] logits = lastLogits(cached ? feed : seq, cache);
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
        } catch (EngineException e) {
            throw new ModelException("libtorch failed while generating: " + e.getMessage(), "this is unexpected");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** An empty KV cache over this model's layers; close it after use. */
    KvCache newCache() {
        return new KvCache(manager, cfg.layers());
    }

    /** Logits [vocab] after the last of {@code ids}, which continue the cache when there is one. */
    float[] lastLogits(int[] ids, KvCache cache) {
        long[] in = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            in[i] = ids[i];
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray h = forward.hidden(step, in, 1, ids.length, cache);
            if (cache != null) {
                cache.advance(ids.length);
            }
            NDArray last = h.get(0, ids.length - 1).reshape(1, cfg.hidden());
            return forward.logits(last).toFloatArray();
        }
    }

    /** Full logits [B * T * vocab] for right-padded inputs: for tests that compare whole sequences. */
    float[] allLogits(int[] ids) {
        long[] in = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            in[i] = ids[i];
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray h = forward.hidden(m, in, 1, ids.length, null);
            return forward.logits(h.reshape(-1, cfg.hidden())).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
        tokenizer.close();
    }
}
