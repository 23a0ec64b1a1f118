package org.unmask.models.djl.train;

import java.util.Locale;
import org.unmask.core.error.InvalidInputException;

/** What a model is trained to predict; chosen from the architecture unless the user names it. */
public enum Objective {
    /** Masked-LM: predict the selected (mostly masked) tokens from both sides (BERT, RoBERTa, DistilBERT). */
    MLM,
    /** Next-token: predict every token from the ones before it (GPT-2, Llama, ... causal LMs). */
    CAUSAL;

    /** Parses {@code mlm} or {@code causal} (a user option value). */
    public static Objective parse(String s) throws InvalidInputException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "mlm" -> MLM;
            case "causal" -> CAUSAL;
            default ->
                throw new InvalidInputException(
                        "--objective " + s + " is not an objective", "use --objective mlm or --objective causal");
        };
    }

    /** The option value. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
