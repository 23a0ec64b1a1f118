package org.unmask.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.SentenceEncoder;
import org.unmask.core.model.TextGenerator;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.model.TokenScorer;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.EmbeddingRequest;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.NextTokenRequest;
import org.unmask.core.request.PseudoLogLikelihoodRequest;

/**
 * The one place model requests are run: deduplicates equal requests, merges requests that need the
 * same forward pass, sorts inputs by length and batches them (so padding stays small), and caches
 * answers for the lifetime of the executor. The model is fixed per executor, so the cache key is the
 * request itself (and the model fingerprint implicitly).
 *
 * <p>Not thread-safe for concurrent calls: callers that serve many clients (the web server) funnel
 * their requests through one queue and call {@link #executeAll} with a batch.
 */
public final class RequestExecutor {
    /** Sampled continuations per model call between journal writes and progress reports. */
    static final int GENERATION_CHUNK = 256;

    private final LanguageModel model;
    private final ExecutorOptions options;
    private final Map<ModelRequest<?>, Object> cache;
    private long requests;
    private long unique;
    private long hits;
    private long inputs;
    private long batches;
    private long modelNanos;
    private GenerationJournal journal;
    private long sampled;

    public RequestExecutor(LanguageModel model, ExecutorOptions options) {
        this.model = model;
        this.options = options;
        int max = options.cacheEntries();
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ModelRequest<?>, Object> eldest) {
                return size() > max;
            }
        };
    }

    public LanguageModel model() {
        return model;
    }

    /** Runs one request. */
    public <R> R execute(ModelRequest<R> request) throws UnmaskException {
        return executeAll(List.of(request), ProgressListener.NONE).get(0);
    }

    /** Runs requests of one answer type; answers come back in request order. */
    public <R> List<R> executeAll(List<? extends ModelRequest<R>> requests, ProgressListener progress)
            throws UnmaskException {
        Map<ModelRequest<?>, Object> answers = executeMixed(requests, progress);
        List<R> out = new ArrayList<>(requests.size());
        for (ModelRequest<R> r : requests) {
            @SuppressWarnings("unchecked") // answers are keyed by their own request, whose type fixes R
            R a = (R) answers.get(r);
            out.add(a);
        }
        return out;
    }

    /** Runs requests of any types together, so that all forward passes are batched at once. */
    public synchronized Map<ModelRequest<?>, Object> executeMixed(
            Collection<? extends ModelRequest<?>> all, ProgressListener progress) throws UnmaskException {
        requests += all.size();
        Map<ModelRequest<?>, Object> answers = new HashMap<>();
        Set<ModelRequest<?>> todo = new LinkedHashSet<>();
        for (ModelRequest<?> r : all) {
            Object cached = cache.get(r);
            if (cached != null) {
                hits++;
                answers.put(r, cached);
            } else {
                todo.add(r);
            }
        }
        unique += todo.size();
        List<ModelRequest<?>> embeds = new ArrayList<>();
        Map<ModelRequest<?>, Plan<?>> plans = new LinkedHashMap<>();
        List<GenerationRequest> generations = new ArrayList<>();
        List<ChatGenerationRequest> chats = new ArrayList<>();
        for (ModelRequest<?> r : todo) {
            if (r instanceof EmbeddingRequest) {
                embeds.add(r);
            } else if (r instanceof GenerationRequest g) {
                generations.add(g);
            } else if (r instanceof ChatGenerationRequest c) {
                chats.add(c);
            } else {
                plans.put(r, plan(r));
            }
        }
        Map<List<ChatMessage>, int[]> conversations = renderConversations(chats);
        runGenerations(generations, answers, progress);
        runChatGenerations(chats, conversations, answers, progress);
        runPlans(plans, answers, progress);
        runEmbeddings(embeds, answers);
        for (ModelRequest<?> r : todo) {
            if (options.cacheEntries() > 0) {
                cache.put(r, answers.get(r));
            }
        }
        return answers;
    }

    /**
     * Keeps every sampled continuation in {@code journal} as it is made and answers requests found there without
     * the model, so an interrupted sampling study resumes (see {@link GenerationJournal}).
     */
    public synchronized void useJournal(GenerationJournal journal) {
        this.journal = journal;
    }

    /**
     * Samples continuations chunk by chunk: the samples of one prompt stay in one chunk, so they share the prompt's
     * forward pass and advance as one batch; after each chunk the answers are journalled and progress reported.
     */
    private void runGenerations(
            List<GenerationRequest> generations, Map<ModelRequest<?>, Object> answers, ProgressListener progress)
            throws UnmaskException {
        sample(generations, GenerationRequest::prompt, chunk -> generator().generateAll(chunk), answers, progress);
    }

    /**
     * Chat replies, chunked and journalled as plain continuations are: each conversation is rendered with the chat
     * template once (all of them before the first sample, so a model without a template fails before any sampling),
     * and its samples run together from its ids.
     */
    private void runChatGenerations(
            List<ChatGenerationRequest> chats,
            Map<List<ChatMessage>, int[]> rendered,
            Map<ModelRequest<?>, Object> answers,
            ProgressListener progress)
            throws UnmaskException {
        sample(
                chats,
                ChatGenerationRequest::messages,
                chunk -> {
                    Map<List<ChatMessage>, List<ChatGenerationRequest>> byConversation = new LinkedHashMap<>();
                    for (ChatGenerationRequest c : chunk) {
                        byConversation
                                .computeIfAbsent(c.messages(), k -> new ArrayList<>())
                                .add(c);
                    }
                    List<String> texts = new ArrayList<>(chunk.size());
                    for (Map.Entry<List<ChatMessage>, List<ChatGenerationRequest>> e : byConversation.entrySet()) {
                        List<GenerationRequest> settings = e.getValue().stream()
                                .map(ChatGenerationRequest::settings)
                                .toList();
                        texts.addAll(generator().generateFromIds(rendered.get(e.getKey()), settings));
                    }
                    return texts;
                },
                answers,
                progress);
    }

    /** Every distinct conversation rendered with the chat template and tokenised, before any is sampled. */
    private Map<List<ChatMessage>, int[]> renderConversations(List<ChatGenerationRequest> chats)
            throws UnmaskException {
        Map<List<ChatMessage>, int[]> out = new HashMap<>();
        for (ChatGenerationRequest c : chats) {
            if (!out.containsKey(c.messages())) {
                TextTokenizer t = generator().tokenizer();
                out.put(
                        c.messages(),
                        t.encodeWithoutSpecials(t.applyChatTemplate(c.messages(), true))
                                .ids());
            }
        }
        return out;
    }

    /**
     * The one sampling loop: requests found in the journal are answered from it; the rest are grouped by
     * {@code group} (a prompt or a conversation), whole groups are gathered into chunks of about
     * {@link #GENERATION_CHUNK}, and each chunk is sampled, journalled and reported as "continuations". The chunk's
     * answers come back in chunk order, grouped as the chunk is.
     */
    private <R extends ModelRequest<String>> void sample(
            List<R> requests,
            Function<R, Object> group,
            ChunkSampler<R> sampler,
            Map<ModelRequest<?>, Object> answers,
            ProgressListener progress)
            throws UnmaskException {
        if (requests.isEmpty()) {
            return;
        }
        Map<Object, List<R>> byGroup = new LinkedHashMap<>();
        long done = 0;
        for (R r : requests) {
            Optional<String> known = journal == null ? Optional.empty() : journal.find(r);
            if (known.isPresent()) {
                answers.put(r, known.get());
                done++;
            } else {
                byGroup.computeIfAbsent(group.apply(r), k -> new ArrayList<>()).add(r);
            }
        }
        progress.progress(done, requests.size(), "continuations");
        List<R> chunk = new ArrayList<>();
        for (List<R> g : byGroup.values()) {
            chunk.addAll(g);
            if (chunk.size() >= GENERATION_CHUNK) {
                done += sampleChunk(chunk, sampler, answers);
                progress.progress(done, requests.size(), "continuations");
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            done += sampleChunk(chunk, sampler, answers);
            progress.progress(done, requests.size(), "continuations");
        }
    }

    private <R extends ModelRequest<String>> int sampleChunk(
            List<R> chunk, ChunkSampler<R> sampler, Map<ModelRequest<?>, Object> answers) throws UnmaskException {
        long t0 = System.nanoTime();
        List<String> texts = sampler.sample(chunk);
        modelNanos += System.nanoTime() - t0; // sampling is model time too (reports show the model's share)
        sampled += chunk.size();
        for (int i = 0; i < texts.size(); i++) {
            answers.put(chunk.get(i), texts.get(i));
        }
        if (journal != null) {
            journal.record(chunk, texts);
        }
        return chunk.size();
    }

    /** Samples the answers of one chunk of requests, in chunk order. */
    @FunctionalInterface
    private interface ChunkSampler<R> {
        List<String> sample(List<R> chunk) throws UnmaskException;
    }

    public synchronized ExecutionStats stats() {
        return new ExecutionStats(requests, unique, hits, inputs, batches, modelNanos, sampled);
    }

    private Plan<?> plan(ModelRequest<?> r) throws UnmaskException {
        TokenScorer scorer = scorer();
        int max = model.info().maxLength();
        boolean causal = model.info().kind() == ModelKind.CAUSAL_LM;
        if (r instanceof MaskFillRequest m) {
            return causal
                    ? CausalLowering.maskFill(m, scorer.tokenizer(), max)
                    : MaskFillLowering.plan(m, scorer.tokenizer(), max);
        } else if (r instanceof PseudoLogLikelihoodRequest p) {
            return PllLowering.plan(p, scorer.tokenizer(), max);
        } else if (r instanceof NextTokenRequest n) {
            return requireCausal(CausalLowering.nextToken(n, scorer.tokenizer(), max));
        } else if (r instanceof ContinuationLogLikelihoodRequest c) {
            return requireCausal(CausalLowering.continuation(c, scorer.tokenizer(), max));
        } else if (r instanceof ChatContinuationRequest c) {
            // checked first: a masked LM should hear that it is not causal, not that it has no chat template
            requireCausal(c);
            return CausalLowering.chatContinuation(c, scorer.tokenizer(), max);
        }
        throw new IllegalStateException("not a planned request: " + r.getClass().getSimpleName());
    }

    private <T> T requireCausal(T plan) throws InvalidInputException {
        if (model.info().kind() != ModelKind.CAUSAL_LM) {
            throw new InvalidInputException(
                    "next-token, continuation and chat requests need a causal language " + "model, but "
                            + model.info().id() + " is " + model.info().kind(),
                    "use a GPT-2/BLOOM/OLMo/Llama-family model");
        }
        return plan;
    }

    private TokenScorer scorer() throws InvalidInputException {
        if (model instanceof TokenScorer s) {
            return s;
        }
        throw new InvalidInputException(
                model.info().id() + " cannot score tokens (it is "
                        + model.info().kind() + ")",
                "use a masked or causal language model for this probe");
    }

    private TextGenerator generator() throws InvalidInputException {
        if (model instanceof TextGenerator g) {
            return g;
        }
        throw new InvalidInputException(model.info().id() + " cannot generate text", "use a causal language model");
    }

    private void runPlans(
            Map<ModelRequest<?>, Plan<?>> plans, Map<ModelRequest<?>, Object> answers, ProgressListener progress)
            throws UnmaskException {
        if (plans.isEmpty()) {
            return;
        }
        // merge every query that shares input ids into one forward pass
        Map<IdsKey, Merged> merged = new LinkedHashMap<>();
        for (Plan<?> p : plans.values()) {
            for (LogProbQuery q : p.queries()) {
                merged.computeIfAbsent(new IdsKey(q.ids()), k -> new Merged(q.ids()))
                        .add(q.reads());
            }
        }
        List<Merged> order = new ArrayList<>(merged.values());
        order.sort(Comparator.comparingInt(m -> m.ids.length));
        TokenScorer scorer = scorer();
        long done = 0;
        for (int from = 0; from < order.size(); from += options.batchSize()) {
            List<Merged> chunk = order.subList(from, Math.min(order.size(), from + options.batchSize()));
            List<LogProbQuery> batch = new ArrayList<>(chunk.size());
            for (Merged m : chunk) {
                batch.add(m.query());
            }
            long t0 = System.nanoTime();
            List<List<LogProbs>> out = scorer.score(batch);
            modelNanos += System.nanoTime() - t0;
            batches++;
            inputs += chunk.size();
            for (int i = 0; i < chunk.size(); i++) {
                requireFinite(out.get(i), chunk.get(i).ids, plans);
                chunk.get(i).answers = out.get(i);
            }
            done += chunk.size();
            progress.progress(done, order.size(), "forward passes");
        }
        for (Map.Entry<ModelRequest<?>, Plan<?>> e : plans.entrySet()) {
            answers.put(e.getKey(), assemble(e.getValue(), merged));
        }
    }

    /**
     * NaN or infinity in a backend's answer means broken weights, a config that does not fit them or a numeric
     * failure; no score computed from it means anything, so it is an error naming a request that needed the pass
     * rather than a result. Every backend's scores pass through here.
     */
    private void requireFinite(List<LogProbs> reads, int[] ids, Map<ModelRequest<?>, Plan<?>> plans)
            throws ModelException {
        for (LogProbs lp : reads) {
            for (float[] values : new float[][] {lp.topLogProbs(), lp.tokenLogProbs()}) {
                for (float x : values) {
                    if (!Float.isFinite(x)) {
                        throw nonFinite(x, "a log-probability", requestOf(ids, plans));
                    }
                }
            }
        }
    }

    private static ModelRequest<?> requestOf(int[] ids, Map<ModelRequest<?>, Plan<?>> plans) {
        for (Map.Entry<ModelRequest<?>, Plan<?>> e : plans.entrySet()) {
            for (LogProbQuery q : e.getValue().queries()) {
                if (Arrays.equals(q.ids(), ids)) {
                    return e.getKey();
                }
            }
        }
        throw new IllegalStateException("a forward pass no request asked for");
    }

    private ModelException nonFinite(float value, String what, ModelRequest<?> request) {
        String r = request.toString();
        return new ModelException(
                model.info().id() + " returned " + what + " of " + value + " for "
                        + (r.length() > 200 ? r.substring(0, 200) + "..." : r),
                "the model's weights or config.json are broken, or do not belong together; restore the model from "
                        + "its source (or try the other --backend)");
    }

    private static <R> R assemble(Plan<R> plan, Map<IdsKey, Merged> merged) {
        List<List<LogProbs>> perQuery = new ArrayList<>();
        for (LogProbQuery q : plan.queries()) {
            Merged m = merged.get(new IdsKey(q.ids()));
            List<LogProbs> reads = new ArrayList<>();
            for (Read r : q.reads()) {
                reads.add(m.answerFor(r));
            }
            perQuery.add(reads);
        }
        return plan.assembler().assemble(perQuery);
    }

    private void runEmbeddings(List<ModelRequest<?>> embeds, Map<ModelRequest<?>, Object> answers)
            throws UnmaskException {
        if (embeds.isEmpty()) {
            return;
        }
        if (!(model instanceof SentenceEncoder encoder)) {
            throw new InvalidInputException(
                    model.info().id() + " cannot embed sentences", "use a BERT-family model or a sentence encoder");
        }
        Map<SentenceEncoder.Pooling, List<EmbeddingRequest>> byPooling = new LinkedHashMap<>();
        for (ModelRequest<?> r : embeds) {
            EmbeddingRequest e = (EmbeddingRequest) r;
            byPooling.computeIfAbsent(e.pooling(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<SentenceEncoder.Pooling, List<EmbeddingRequest>> group : byPooling.entrySet()) {
            List<EmbeddingRequest> reqs = new ArrayList<>(group.getValue());
            List<int[]> ids = new ArrayList<>();
            for (EmbeddingRequest e : reqs) {
                ids.add(MaskedInputs.encodePlain(
                                encoder.tokenizer(), e.text(), model.info().maxLength())
                        .ids());
            }
            Integer[] order = new Integer[reqs.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
            for (int from = 0; from < order.length; from += options.batchSize()) {
                int to = Math.min(order.length, from + options.batchSize());
                List<int[]> batch = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    batch.add(ids.get(order[i]));
                }
                long t0 = System.nanoTime();
                List<float[]> vecs = encoder.embed(batch, group.getKey());
                modelNanos += System.nanoTime() - t0;
                batches++;
                inputs += batch.size();
                for (int i = from; i < to; i++) {
                    EmbeddingRequest e = reqs.get(order[i]);
                    float[] v = vecs.get(i - from);
                    for (float x : v) {
                        if (!Float.isFinite(x)) {
                            throw nonFinite(x, "an embedding value", e);
                        }
                    }
                    answers.put(e, e.normalize() ? normalized(v) : v);
                }
            }
        }
    }

    private static float[] normalized(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        double s = n == 0 ? 1 : 1 / Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * s);
        }
        return out;
    }

    /** Input ids as a map key. */
    private record IdsKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdsKey k && Arrays.equals(k.ids, ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    /** Reads of several queries over the same input, merged per position. */
    private static final class Merged {
        final int[] ids;
        final Map<Integer, int[]> topKAndIds = new LinkedHashMap<>(); // position -> [topK]
        final Map<Integer, LinkedHashSet<Integer>> wanted = new LinkedHashMap<>();
        List<Integer> positions;
        List<int[]> wantedArrays;
        List<LogProbs> answers;

        Merged(int[] ids) {
            this.ids = ids;
        }

        void add(List<Read> reads) {
            for (Read r : reads) {
                topKAndIds.merge(r.position(), new int[] {r.topK()}, (a, b) -> new int[] {Math.max(a[0], b[0])});
                LinkedHashSet<Integer> w = wanted.computeIfAbsent(r.position(), k -> new LinkedHashSet<>());
                for (int id : r.tokenIds()) {
                    w.add(id);
                }
            }
        }

        LogProbQuery query() {
            positions = new ArrayList<>(topKAndIds.keySet());
            wantedArrays = new ArrayList<>();
            List<Read> reads = new ArrayList<>();
            for (int p : positions) {
                int[] w = wanted.get(p).stream().mapToInt(Integer::intValue).toArray();
                wantedArrays.add(w);
                reads.add(new Read(p, topKAndIds.get(p)[0], w));
            }
            return new LogProbQuery(ids, reads);
        }

        LogProbs answerFor(Read r) {
            int i = positions.indexOf(r.position());
            LogProbs all = answers.get(i);
            int[] w = wantedArrays.get(i);
            float[] lp = new float[r.tokenIds().length];
            for (int j = 0; j < lp.length; j++) {
                lp[j] = all.tokenLogProbs()[indexOf(w, r.tokenIds()[j])];
            }
            int k = Math.min(r.topK(), all.topIds().length);
            return new LogProbs(Arrays.copyOf(all.topIds(), k), Arrays.copyOf(all.topLogProbs(), k), lp);
        }

        private static int indexOf(int[] a, int v) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == v) {
                    return i;
                }
            }
            throw new IllegalStateException("merged read lost token " + v);
        }
    }
}
