package org.unmask.core.model;

import java.util.List;
import java.util.OptionalInt;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.request.ChatMessage;

/**
 * The tokenizer of a model, as probes may see it: text to ids and back. It never exposes tensors.
 */
public interface TextTokenizer {
    /** Tokenises a text and adds the model's special tokens (e.g. {@code [CLS] ... [SEP]}). */
    Encoding encode(String text);

    /** Tokenises a text without special tokens, e.g. to split a target word into pieces. */
    Encoding encodeWithoutSpecials(String text);

    /** Decodes ids to text, dropping special tokens, as HF's {@code decode(skip_special_tokens=True)}. */
    String decode(int[] ids);

    /** The vocabulary string of one id (e.g. {@code ##ing}, {@code Ġcarpenter}). */
    String token(int id);

    /**
     * One id as Hugging Face shows it in pipeline output ({@code token_str} = {@code decode([id])}),
     * e.g. {@code " carpenter"} for byte-level BPE. Defaults to the vocabulary string.
     */
    default String display(int id) {
        return token(id);
    }

    /** The id of a vocabulary entry, if it is one. */
    OptionalInt id(String token);

    int vocabularySize();

    /** The mask token (e.g. {@code [MASK]} or {@code <mask>}), empty for causal models. */
    String maskToken();

    /** The id of the mask token, or -1 when the model has none. */
    int maskTokenId();

    /**
     * The beginning-of-text token a causal model conditions an empty context on ({@code <s>} for Llama,
     * {@code <|endoftext|>} for GPT-2), if the model declares one.
     */
    default OptionalInt beginOfTextId() {
        return OptionalInt.empty();
    }

    /** Word pieces of a word as it would appear inside a sentence (after a space where that matters). */
    default List<String> pieces(String word) {
        return List.of(encodeWithoutSpecials(word).tokens());
    }

    /**
     * Renders a conversation with the model's chat template, as Hugging Face's
     * {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} does. The text contains the
     * template's special tokens (e.g. {@code <|im_start|>}, a BOS); tokenise it with
     * {@link #encodeWithoutSpecials} so that none are added twice.
     *
     * @throws InvalidInputException when the model has no chat template (a base model) or the template rejects the
     *     conversation ({@code raise_exception})
     */
    default String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt)
            throws InvalidInputException {
        throw new InvalidInputException(
                "this model has no chat template",
                "use an instruction-tuned model, or put its template in chat_template.jinja beside tokenizer.json");
    }
}
