package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.Lexicon;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.TextScanner;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.lexicon.WordLists;

/**
 * The scanner's 64-byte block path (used where a chunk holds at least 72 bytes) counts exactly what its
 * byte-by-byte path counts (chunks under 72 bytes never enter the block path) and what the regex reference counts,
 * on adversarial text: tokens of every length up to past a block, whitespace and blank lines across block
 * boundaries, sentence ends, apostrophes, hyphens, digits, non-ASCII bytes, at every alignment in the array.
 */
class BlockScanDifferentialTest {
    private static final WordLists WORDS = WordListLoader.builtIn();
    private static final String[] SEPARATORS = {
        " ",
        " ",
        " ",
        ", ",
        ".",
        ". ",
        "!",
        "?",
        "\n",
        "\n\n",
        "\n \n",
        "\n\t\r\n",
        "\r\n",
        "\t",
        "\f",
        "\u000B",
        "'",
        "’",
        "-",
        "—",
        "7",
        "42",
        "é",
        "\uD83D\uDE00",
        "\"",
        "(",
        ")",
        "@",
        "[",
        "`",
        "{",
        "\u0000",
        "\u007F",
        "...",
        "?!",
        "\n.\n",
        ".\n\n"
    };

    private static String[] lexiconWords() {
        java.util.List<String> all = new java.util.ArrayList<>(WORDS.male());
        all.addAll(WORDS.female());
        for (OccupationTerm o : WORDS.occupations()) {
            all.addAll(o.forms());
        }
        return all.toArray(new String[0]);
    }

    private static String randomCase(Random r, String w) {
        StringBuilder sb = new StringBuilder(w.length());
        int mode = r.nextInt(4);
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            boolean up = mode == 1 || (mode == 2 && i == 0) || (mode == 3 && r.nextBoolean());
            sb.append(up ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    /** A text of words, letter runs of any length (some past 64 bytes) and separators, some in long runs. */
    private static String randomText(Random r, String[] words, int pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            int kind = r.nextInt(10);
            if (kind < 4) {
                sb.append(randomCase(r, words[r.nextInt(words.length)]));
            } else if (kind < 6) {
                int len = r.nextInt(8) == 0 ? 1 + r.nextInt(150) : 1 + r.nextInt(12);
                for (int j = 0; j < len; j++) {
                    sb.append((char) ((r.nextBoolean() ? 'a' : 'A') + r.nextInt(26)));
                }
            } else if (kind < 9) {
                sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
            } else {
                // a long run of whitespace and newlines: blank lines that cross block boundaries
                int len = 1 + r.nextInt(140);
                for (int j = 0; j < len; j++) {
                    int c = r.nextInt(8);
                    sb.append(c < 4 ? ' ' : c < 6 ? '\n' : c == 6 ? '\t' : '\r');
                }
            }
            if (r.nextInt(3) > 0) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    /** Counts {@code text} placed at {@code offset} in a larger array of letters, fed in chunks of {@code chunk}. */
    private static Counts count(byte[] text, int offset, int chunk, Random sizes) {
        byte[] b = new byte[offset + text.length + 80];
        Arrays.fill(b, (byte) 'e'); // letters around the text: nothing outside [off, off + len) may be read as text
        System.arraycopy(text, 0, b, offset, text.length);
        Counts c = new Counts(WORDS.occupations().size());
        TextScanner s = new TextScanner(new Lexicon(WORDS), 4, c);
        for (int i = 0; i < text.length; ) {
            int n = Math.min(text.length - i, chunk > 0 ? chunk : 1 + sizes.nextInt(300));
            s.feed(b, offset + i, n);
            i += n;
        }
        s.endDocument();
        return c;
    }

    @Test
    void blockPathCountsExactlyAsTheByteLoopAndTheReferenceWhateverTheAlignmentAndChunking() {
        String[] words = lexiconWords();
        Random r = new Random(20261205);
        for (int doc = 0; doc < 400; doc++) {
            String text = randomText(r, words, 1 + r.nextInt(doc % 4 == 0 ? 600 : 120));
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            Counts bytewise = count(b, 0, 71, r); // under 72 bytes per chunk: the byte loop only
            for (int offset : new int[] {0, 1, 7, 8, 31, 63}) {
                assertEquals(bytewise, count(b, offset, b.length + 1, r), "whole, offset " + offset + ": " + text);
            }
            assertEquals(bytewise, count(b, r.nextInt(64), 0, r), "random chunks: " + text);
            assertEquals(bytewise, count(b, 3, 1, r), "1-byte chunks: " + text);
            ReferenceCounter ref = new ReferenceCounter(WORDS, 4);
            ref.document(text);
            for (Total t : new Total[] {
                Total.TOKENS,
                Total.SENTENCES,
                Total.MALE_TOKENS,
                Total.FEMALE_TOKENS,
                Total.SENTENCES_BOTH,
                Total.SENTENCES_MALE_ONLY,
                Total.SENTENCES_FEMALE_ONLY,
                Total.CONTEXT_TOKENS_MALE,
                Total.CONTEXT_TOKENS_FEMALE,
                Total.DOCUMENTS_BOTH
            }) {
                assertEquals(ref.c.total(t), bytewise.total(t), t + " doc " + doc + ": " + text);
            }
            for (int o = 0; o < WORDS.occupations().size(); o++) {
                for (OccStat st : OccStat.values()) {
                    assertEquals(ref.c.get(o, st), bytewise.get(o, st), st + " doc " + doc + ": " + text);
                }
            }
        }
    }

    @Test
    void blankLinesSentenceEndsAndLongTokensAtEveryPositionAroundABlockBoundary() {
        String[] pieces = {"\n\n", "\n \t\n", "\n", ".", "?", "!", "nurse", "he", "she", "x".repeat(70), "\r\n\r\n"};
        Random r = new Random(64);
        for (String piece : pieces) {
            for (String second : pieces) {
                for (int at = 50; at < 140; at++) {
                    // "she" then spaces up to `at`, the pieces, then more words: the pieces sit at every phase
                    String text = "She said" + " ".repeat(at) + piece + " " + second + " the nurse and he. A man";
                    byte[] b = text.getBytes(StandardCharsets.UTF_8);
                    Counts bytewise = count(b, 0, 71, r);
                    assertEquals(bytewise, count(b, 0, b.length, r), text);
                    assertEquals(bytewise, count(b, 5, b.length, r), text);
                    ReferenceCounter ref = new ReferenceCounter(WORDS, 4);
                    ref.document(text);
                    assertEquals(ref.c.total(Total.SENTENCES), bytewise.total(Total.SENTENCES), text);
                    assertEquals(ref.c.total(Total.TOKENS), bytewise.total(Total.TOKENS), text);
                }
            }
        }
    }
}
