package org.unmask.app;

import java.nio.file.Path;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;

/** A scripted model whose biases are known in closed form, and the tiny suite that probes it. */
public final class Fixtures {
    public static final List<String> VOCAB = List.of("the", "a", "an", "woman", "man", "she", "he", "they", "works",
            "as", "is", "said", "that", "left", "nurse", "carpenter", "engineer", "hair", "##dress", "##er", ".");

    private Fixtures() {}

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

    public static Path suitePath() {
        return Path.of("src/test/resources/suites/tiny.yaml");
    }

    public static Suite suite() throws InvalidInputException {
        return SuiteLoader.load(suitePath());
    }
}
