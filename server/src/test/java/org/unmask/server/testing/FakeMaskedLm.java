package org.unmask.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unmask.core.lexicon.Lexicons;
import org.unmask.core.lexicon.Occupation;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.core.testing.WordPieceTokenizer;

/**
 * The server tests' configuration of core's {@link ScriptedMaskedLm}: a word-piece vocabulary of small words, the
 * occupations (firefighter and paralegal as two pieces) and markup characters, and deterministic logits in which
 * "doctor" and "engineer" rise after male words and "nurse" and "secretary" after female words, and waitress, maid,
 * waiter and salesman top every sentence with "served".
 */
public final class FakeMaskedLm {
    private static final List<String> WORDS = List.of(
            ".",
            ",",
            "the",
            "a",
            "an",
            "as",
            "is",
            "was",
            "worked",
            "works",
            "he",
            "she",
            "man",
            "woman",
            "father",
            "mother",
            "his",
            "her",
            "my",
            "son",
            "daughter",
            "boy",
            "girl",
            "person",
            "job",
            "hired",
            "wants",
            "to",
            "become",
            "training",
            "be",
            "fire",
            "##fighter",
            "para",
            "##legal",
            "<",
            ">",
            "img",
            "script",
            "alert",
            "(",
            ")",
            "1",
            "=",
            "src",
            "x",
            "onerror",
            "/",
            "\"",
            "'",
            "word",
            "hello",
            "teacher",
            "writer");
    private static final List<String> MALE = List.of("he", "man", "father", "his", "son", "boy");
    private static final List<String> FEMALE = List.of("she", "woman", "mother", "her", "daughter", "girl");
    /** Gendered job nouns the WinoBias pairs lack; they top the predictions of a sentence with "served". */
    private static final List<String> SERVED = List.of("waitress", "maid", "waiter", "salesman");

    private static final Map<String, double[]> LEANING = Map.of( // word -> {per male word, per female word, bias}
            "doctor", new double[] {3, 0, 1},
            "engineer", new double[] {2.5, 0, 0.5},
            "nurse", new double[] {0, 3, 1},
            "secretary", new double[] {0, 2.5, 0.5},
            "he", new double[] {0, 0, 2},
            "she", new double[] {0, 0, 1.5},
            "teacher", new double[] {0, 0, 2.2});

    private FakeMaskedLm() {}

    /**
     * The scripted model, answering as {@code fake-bert} (at most 48 tokens).
     *
     * @param callMillis simulated fixed cost of one model call
     * @param perInputMillis simulated cost per input sequence in a call
     */
    public static ScriptedMaskedLm create(double callMillis, double perInputMillis) {
        List<String> words = new ArrayList<>(WORDS);
        for (Occupation o : Lexicons.occupations()) {
            if (!o.name().equals("firefighter") && !o.name().equals("paralegal")) {
                words.add(o.name());
            }
        }
        // after every other word, so the ids (and scores) of the words above stay as they were
        words.addAll(SERVED);
        words.add("served");
        WordPieceTokenizer tokenizer = new WordPieceTokenizer(words);
        ScriptedMaskedLm.Script script = (tokens, position, candidate) -> {
            // a gentle slope over the vocabulary, so ties are rare and the order is fixed
            double z = -0.05 * (tokenizer.id(candidate).getAsInt() % 17);
            int served = SERVED.indexOf(candidate);
            if (served >= 0 && tokens.contains("served")) {
                z += 8 - 0.5 * served;
            }
            double[] lean = LEANING.get(candidate);
            if (lean == null) {
                return z;
            }
            long male = tokens.stream().filter(MALE::contains).count();
            long female = tokens.stream().filter(FEMALE::contains).count();
            return z + lean[0] * male + lean[1] * female + lean[2];
        };
        ModelInfo info = new ModelInfo(
                "fake-bert",
                "BertForMaskedLM",
                ModelKind.MASKED_LM,
                Path.of("."),
                "0123456789abcdef0123",
                "00",
                "scripted fake",
                48,
                Map.of());
        return new ScriptedMaskedLm(tokenizer, script).withInfo(info).withLatency(callMillis, perInputMillis);
    }
}
