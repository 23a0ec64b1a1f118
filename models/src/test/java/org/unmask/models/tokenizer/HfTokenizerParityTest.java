package org.unmask.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unmask.core.error.ModelException;
import org.unmask.models.fixtures.HfFixtures;

/**
 * Tokenizer parity with transformers for the tokenizer style of every supported family (fixtures written by
 * {@code tools/fixtures/make_tokenizer_fixtures.py}): GPT-2 and Llama-3 byte-level BPE, Llama-2 SentencePiece-style
 * BPE with byte fallback, BERT WordPiece, RoBERTa BPE. For accents, CJK, emoji with zero-width joiners, digits,
 * whitespace runs and the empty text, the ids (special tokens included, as {@code tokenizer(text)}) and the decoded
 * text ({@code decode(ids, skip_special_tokens=True)}) must be transformers' own.
 */
class HfTokenizerParityTest {

    @TestFactory
    Stream<DynamicTest> everyTokenizerStyleEncodesAndDecodesAsTransformers() throws IOException, URISyntaxException {
        URL root = getClass().getClassLoader().getResource("tokenizer-fixtures");
        assertFalse(root == null, "no tokenizer fixtures: run python tools/fixtures/make_tokenizer_fixtures.py");
        List<Path> styles;
        try (Stream<Path> s = Files.list(Path.of(root.toURI()))) {
            styles = s.filter(p -> Files.isRegularFile(p.resolve("reference.json")))
                    .sorted()
                    .toList();
        }
        assertFalse(styles.isEmpty(), "no tokenizer fixture folders");
        return styles.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path folder) throws IOException, ModelException {
        JsonNode ref = HfFixtures.reference(folder);
        try (HfTokenizer tok = HfTokenizer.load(folder)) {
            for (JsonNode c : ref.path("cases")) {
                String text = c.path("text").asText();
                int[] want = HfFixtures.ints(c.path("ids"));
                int[] got = tok.encode(text).ids();
                assertArrayEquals(want, got, folder.getFileName() + ": ids of \"" + text + "\"");
                assertEquals(
                        c.path("decoded").asText(),
                        tok.decode(got),
                        folder.getFileName() + ": decoded \"" + text + "\"");
            }
        }
    }
}
