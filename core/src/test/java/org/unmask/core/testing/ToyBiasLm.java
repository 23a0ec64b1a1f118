package org.unmask.core.testing;

import java.util.List;

/**
 * The scripted masked LM whose biases are known in closed form, shared by the audit tests of probes and app (with
 * the tiny suite each module keeps beside its tests).
 */
public final class ToyBiasLm {
    public static final List<String> VOCAB = List.of(
            "the",
            "a",
            "an",
            "woman",
            "man",
            "she",
            "he",
            "they",
            "works",
            "as",
            "is",
            "said",
            "that",
            "left",
            "nurse",
            "carpenter",
            "engineer",
            "hair",
            "##dress",
            "##er",
            ".");

    private ToyBiasLm() {}

    /**
     * Logits are 0 except: "nurse" +2 after "woman"; "carpenter" +2 after "man"; "she" +1 in a sentence with
     * "nurse"; "he" +1 in a sentence with "carpenter"; "they" +0.5 in any sentence with "said".
     */
    public static ScriptedMaskedLm model() {
        return ScriptedMaskedLm.of(VOCAB, (tokens, pos, cand) -> {
            double l = 0;
            if (cand.equals("nurse") && tokens.contains("woman")) {
                l += 2;
            }
            if (cand.equals("carpenter") && tokens.contains("man")) {
                l += 2;
            }
            if (cand.equals("she") && tokens.contains("nurse")) {
                l += 1;
            }
            if (cand.equals("he") && tokens.contains("carpenter")) {
                l += 1;
            }
            if (cand.equals("they") && tokens.contains("said")) {
                l += 0.5;
            }
            return l;
        });
    }
}
