package org.unmask.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.MaskFillResult.Candidate;
import org.unmask.core.request.MaskFillResult.Slot;
import org.unmask.core.request.MaskFillResult.TargetScore;
import org.unmask.core.request.NextTokenRequest;
import org.unmask.core.request.TokenLogProbs;

/**
 * Lowers causal requests. A continuation of n tokens needs one forward pass over prompt + tokens,
 * reading the next-token distribution at each of the n positions before them.
 *
 * <p>Prompts keep the tokenizer's leading special tokens (Llama's {@code <s>}) but drop trailing ones
 * (an EOS some tokenizers append would tell the model the text is over). An empty context is the
 * beginning-of-text token alone ({@code <|endoftext|>} for GPT-2), as lm-evaluation-harness does.
 *
 * <p>Continuations are tokenised in context, as lm-evaluation-harness does: the ids of
 * {@code context + continuation} after the context's own ids, so a word after a space is scored as
 * the model sees it inside a sentence ({@code Ġnurse}, {@code ▁nurse}), not as a bare word. When the
 * tokenizer merges across the boundary (rare after a space), the continuation is tokenised alone.
 * A next-token target is the word following the prompt after one space, unless the prompt ends with
 * whitespace or the target starts with it. Trailing spaces of a prompt or context are moved to the front of the
 * continuation (see {@link #withoutTrailingBlanks}), so "works as a " and "works as a" ask the same question.
 */
final class CausalLowering {
    private CausalLowering() {}

    static Plan<MaskFillResult> nextToken(NextTokenRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        String p = withoutTrailingBlanks(req.prompt());
        String moved = req.prompt().substring(p.length());
        int[] prompt = promptIds(tok, p, maxLength);
        List<LogProbQuery> queries = new ArrayList<>();
        List<Read> main = List.of(new Read(prompt.length - 1, req.topK(), new int[0]));
        queries.add(new LogProbQuery(prompt, main));
        List<List<String>> pieces = new ArrayList<>();
        for (String t : req.targets()) {
            if (t.isBlank()) {
                throw new InvalidInputException("target \"" + t + "\" has no tokens", "give a non-empty word");
            }
            boolean space = moved.isEmpty()
                    && !p.isEmpty()
                    && !Character.isWhitespace(p.charAt(p.length() - 1))
                    && !Character.isWhitespace(t.charAt(0));
            Encoding te = continuationIds(tok::encode, tok, p, prompt, (space ? " " : moved) + t);
            pieces.add(List.of(te.tokens()));
            queries.add(continuationQuery(prompt, te.ids(), maxLength, p));
        }
        return new Plan<>(queries, answers -> {
            LogProbs head = answers.get(0).get(0);
            List<Candidate> top = new ArrayList<>();
            for (int k = 0; k < head.topIds().length; k++) {
                int id = head.topIds()[k];
                int[] seq = Arrays.copyOf(prompt, prompt.length + 1);
                seq[prompt.length] = id;
                double lp = head.topLogProbs()[k];
                top.add(new Candidate(id, tok.display(id), Math.exp(lp), lp, tok.decode(seq)));
            }
            List<TargetScore> scores = new ArrayList<>();
            for (int t = 0; t < pieces.size(); t++) {
                scores.add(new TargetScore(req.targets().get(t), pieces.get(t), sum(answers.get(t + 1))));
            }
            return new MaskFillResult(List.of(new Slot(0, top, scores)));
        });
    }

    /**
     * Fill-mask on a causal LM: the text before the single {@code [MASK]} is the prompt, and the mask's
     * candidates are its next words (top-k next tokens; targets scored as continuations). The right
     * context is not seen, which is what a left-to-right model can do; a text with several masks has no
     * such reading and is rejected.
     */
    static Plan<MaskFillResult> maskFill(MaskFillRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        String text = req.text();
        int at = text.indexOf(MaskFillRequest.MASK);
        if (at < 0) {
            throw new InvalidInputException(
                    "no [MASK] in text: \"" + MaskedInputs.abbreviate(text) + "\"",
                    "write [MASK] where the model should predict a word");
        }
        if (text.indexOf(MaskFillRequest.MASK, at + 1) >= 0) {
            throw new InvalidInputException(
                    "a causal language model can fill only one [MASK], the last word of " + "its left context: \""
                            + MaskedInputs.abbreviate(text) + "\"",
                    "use one [MASK] per template (measures with a masked prior, such as Kurita et al., need a "
                            + "masked LM); see the gender-occupation-causal suite");
        }
        String prompt = text.substring(0, at).stripTrailing();
        return nextToken(new NextTokenRequest(prompt, req.topK(), req.targets()), tok, maxLength);
    }

    static Plan<TokenLogProbs> continuation(ContinuationLogLikelihoodRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        if (req.continuation().isEmpty()) {
            throw new InvalidInputException("empty continuation", "give the text whose log-likelihood is wanted");
        }
        String contextText = withoutTrailingBlanks(req.context());
        String continuationText = req.context().substring(contextText.length()) + req.continuation();
        int[] context = promptIds(tok, contextText, maxLength);
        Encoding cont = continuationIds(tok::encode, tok, contextText, context, continuationText);
        return continuationPlan(context, cont, maxLength, req.continuation());
    }

    /**
     * A chat answer: the conversation rendered with the chat template and its generation prompt, tokenised without
     * adding special tokens (the template wrote them), then the answer tokenised in that context.
     */
    static Plan<TokenLogProbs> chatContinuation(ChatContinuationRequest req, TextTokenizer tok, int maxLength)
            throws InvalidInputException {
        String rendered = tok.applyChatTemplate(req.messages(), true);
        int[] context = tok.encodeWithoutSpecials(rendered).ids();
        if (context.length == 0) {
            throw new InvalidInputException(
                    "the chat template rendered the conversation as no tokens", "check the model's chat template");
        }
        if (req.answer().isEmpty()) {
            throw new InvalidInputException("empty answer", "give the reply whose log-likelihood is wanted");
        }
        String reply = replyText(tok, req, rendered);
        Encoding cont = continuationIds(tok::encodeWithoutSpecials, tok, rendered, context, reply);
        return continuationPlan(context, cont, maxLength, reply);
    }

    /**
     * The answer as the template writes an assistant turn after the generation prompt, as transformers'
     * {@code continue_final_message} cuts it: e.g. {@code " woman"} after Llama-2's {@code [/INST]}, which puts a
     * space before replies, and {@code "woman"} after ChatML's {@code assistant\n}. When the template renders the
     * turn some other way (the conversation with the reply does not start with the generation prompt), the answer
     * follows the prompt verbatim.
     */
    private static String replyText(TextTokenizer tok, ChatContinuationRequest req, String prompt) {
        List<ChatMessage> withReply = new ArrayList<>(req.messages());
        withReply.add(new ChatMessage("assistant", req.answer()));
        String full;
        try {
            full = tok.applyChatTemplate(withReply, false);
        } catch (InvalidInputException e) {
            return req.answer(); // a template may refuse to end on an assistant turn; the prompt itself rendered
        }
        String core = req.answer().strip();
        if (core.isEmpty() || !full.startsWith(prompt)) {
            return req.answer();
        }
        int at = full.indexOf(core, prompt.length());
        return at < 0 ? req.answer() : full.substring(prompt.length(), at + core.length());
    }

    private static Plan<TokenLogProbs> continuationPlan(int[] context, Encoding cont, int maxLength, String text)
            throws InvalidInputException {
        LogProbQuery q = continuationQuery(context, cont.ids(), maxLength, text);
        List<Integer> positions = new ArrayList<>();
        for (int j = 0; j < cont.length(); j++) {
            positions.add(context.length + j);
        }
        return new Plan<>(List.of(q), answers -> {
            double[] lp = new double[cont.length()];
            for (int j = 0; j < lp.length; j++) {
                lp[j] = answers.get(0).get(j).tokenLogProbs()[0];
            }
            return new TokenLogProbs(positions, List.of(cont.tokens()), lp);
        });
    }

    /**
     * The context without its trailing spaces and tabs, which belong to the next word: byte-level BPE and
     * SentencePiece tokenizers fuse a space with the word after it ({@code Ġnurse}, {@code ▁nurse}), so a context
     * ending in a space would make the model continue after a lone space token, a sequence it rarely saw in
     * training. As lm-evaluation-harness does, the blanks move to the front of the continuation. Newlines stay:
     * they are tokens of their own.
     */
    static String withoutTrailingBlanks(String context) {
        int end = context.length();
        while (end > 0 && (context.charAt(end - 1) == ' ' || context.charAt(end - 1) == '\t')) {
            end--;
        }
        return context.substring(0, end);
    }

    /** The ids a causal model is fed for a prompt: leading specials kept, trailing ones dropped, BOS if empty. */
    static int[] promptIds(TextTokenizer tok, String text, int maxLength) throws InvalidInputException {
        Encoding enc = MaskedInputs.encodePlain(tok, text, maxLength);
        int n = withoutTrailingSpecials(enc);
        if (n == 0) {
            if (tok.beginOfTextId().isEmpty()) {
                throw new InvalidInputException(
                        "empty prompt and the model declares no beginning-of-text token",
                        "give some text for the model to continue");
            }
            return new int[] {tok.beginOfTextId().getAsInt()};
        }
        return Arrays.copyOf(enc.ids(), n);
    }

    /**
     * Length of {@code enc} without its trailing special tokens. A lone special token stays: it is what
     * the tokenizer puts before any text (BOS, or the document separator of tokenizers without one).
     */
    private static int withoutTrailingSpecials(Encoding enc) {
        int n = enc.length();
        while (n > 1 && enc.special()[n - 1]) {
            n--;
        }
        return n;
    }

    /**
     * The continuation's ids as tokenised in context (see the class comment), without special tokens;
     * {@code encode} is how the context was tokenised (with the tokenizer's specials, or without for chat text).
     */
    private static Encoding continuationIds(
            Function<String, Encoding> encode,
            TextTokenizer tok,
            String contextText,
            int[] context,
            String continuation)
            throws InvalidInputException {
        Encoding whole = encode.apply(contextText + continuation);
        int n = withoutTrailingSpecials(whole);
        int from = -1;
        if (contextText.isEmpty()) {
            from = 0;
            while (from < n && whole.special()[from]) {
                from++;
            }
        } else if (n > context.length && Arrays.equals(Arrays.copyOf(whole.ids(), context.length), context)) {
            from = context.length;
        }
        Encoding cont = from >= 0 ? slice(whole, from, n) : tok.encodeWithoutSpecials(continuation);
        if (cont.length() == 0) {
            throw new InvalidInputException(
                    "continuation \"" + continuation + "\" has no tokens", "give a non-empty word or text");
        }
        return cont;
    }

    private static Encoding slice(Encoding e, int from, int to) {
        return new Encoding(
                Arrays.copyOfRange(e.ids(), from, to),
                Arrays.copyOfRange(e.tokens(), from, to),
                Arrays.copyOfRange(e.starts(), from, to),
                Arrays.copyOfRange(e.ends(), from, to),
                Arrays.copyOfRange(e.special(), from, to));
    }

    private static LogProbQuery continuationQuery(int[] prompt, int[] cont, int maxLength, String text)
            throws InvalidInputException {
        int[] ids = Arrays.copyOf(prompt, prompt.length + cont.length);
        System.arraycopy(cont, 0, ids, prompt.length, cont.length);
        // the last continuation token is only predicted, never fed
        int fed = ids.length - 1;
        MaskedInputs.checkLength(fed, maxLength, text);
        int[] input = Arrays.copyOf(ids, fed);
        List<Read> reads = new ArrayList<>();
        for (int j = 0; j < cont.length; j++) {
            reads.add(new Read(prompt.length - 1 + j, 0, new int[] {cont[j]}));
        }
        return new LogProbQuery(input, reads);
    }

    private static double sum(List<LogProbs> reads) {
        double s = 0;
        for (LogProbs r : reads) {
            s += r.tokenLogProbs()[0];
        }
        return s;
    }
}
