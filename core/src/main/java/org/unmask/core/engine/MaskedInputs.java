package org.unmask.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.Encoding;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.MaskFillRequest;

/** Turns user text with {@code [MASK]} placeholders into model ids, with the checks users need. */
final class MaskedInputs {
    private MaskedInputs() {}

    /** Encodes {@code text}, translating {@code [MASK]} to the model's mask token. */
    static Encoding encodeMasked(TextTokenizer tokenizer, String text, int maxLength) throws InvalidInputException {
        if (tokenizer.maskTokenId() < 0) {
            throw new InvalidInputException(
                    "this model has no mask token, so it cannot fill [MASK]",
                    "use a masked language model (BERT, RoBERTa, DistilBERT...) or a next-token probe");
        }
        String modelText = text.replace(MaskFillRequest.MASK, tokenizer.maskToken());
        Encoding enc = tokenizer.encode(modelText);
        if (maskPositions(tokenizer, enc).isEmpty()) {
            throw new InvalidInputException(
                    "no [MASK] in text: \"" + abbreviate(text) + "\"",
                    "write [MASK] where the model should predict a word, e.g. \"This man works as a [MASK].\"");
        }
        checkLength(enc.length(), maxLength, text);
        return enc;
    }

    static Encoding encodePlain(TextTokenizer tokenizer, String text, int maxLength) throws InvalidInputException {
        Encoding enc = tokenizer.encode(text);
        checkLength(enc.length(), maxLength, text);
        return enc;
    }

    static void checkLength(int tokens, int maxLength, String text) throws InvalidInputException {
        if (tokens > maxLength) {
            throw new InvalidInputException(
                    "text is " + tokens + " tokens long, more than the model's maximum of " + maxLength + ": \""
                            + abbreviate(text) + "\"",
                    "shorten the text or split it into sentences");
        }
    }

    static List<Integer> maskPositions(TextTokenizer tokenizer, Encoding enc) {
        List<Integer> out = new ArrayList<>();
        int mask = tokenizer.maskTokenId();
        for (int i = 0; i < enc.length(); i++) {
            if (enc.ids()[i] == mask) {
                out.add(i);
            }
        }
        return out;
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
