package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.testing.WordPieceTokenizer;

class PackedCorpusTest {
    private static final WordPieceTokenizer TOK = new WordPieceTokenizer(List.of("a", "b", "c", "d", "e"));

    /** 40 distinct documents over the five words (the base-5 digits of their number, then a tail). */
    private static List<String> docs() {
        String[] w = {"a", "b", "c", "d", "e"};
        List<String> d = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StringBuilder s = new StringBuilder();
            for (int x = i + 5; x > 0; x /= 5) {
                s.append(w[x % 5]).append(' ');
            }
            d.add(s + "a b c d e ".repeat(1 + i % 4));
        }
        return d;
    }

    @Test
    void packsClsDocSepIntoFullBlocksAndDropsTheRemainder() {
        PackedCorpus.Builder b = new PackedCorpus.Builder(TOK, 8, 0);
        b.add("a b c");
        b.add("d e");
        b.add("");
        PackedCorpus p = b.build(1);
        int[] sp = TOK.encode("").ids();
        // two documents: [CLS] a b c [SEP] + [CLS] d e [SEP] = 9 ids -> one block of 8, 1 id dropped
        assertEquals(1, p.train().size());
        assertEquals(9, p.trainTokens());
        assertEquals(1, p.emptyDocuments());
        int[] block = p.train().get(0);
        assertEquals(8, block.length);
        assertTrue(block[0] == sp[0] && (block[4] == sp[1] || block[3] == sp[1]), "document boundaries kept");
    }

    @Test
    void theHeldOutSliceDependsOnTheTextOnlyNotOnOrderOrSeed() {
        List<String> docs = docs();
        PackedCorpus.Builder b1 = new PackedCorpus.Builder(TOK, 8, 0.3);
        docs.forEach(b1::add);
        List<String> rev = new ArrayList<>(docs);
        Collections.reverse(rev);
        PackedCorpus.Builder b2 = new PackedCorpus.Builder(TOK, 8, 0.3);
        rev.forEach(b2::add);
        PackedCorpus p1 = b1.build(1);
        PackedCorpus p2 = b2.build(2);
        assertEquals(p1.heldOutDocuments(), p2.heldOutDocuments());
        assertEquals(p1.heldOutTokens(), p2.heldOutTokens());
        assertTrue(p1.heldOutDocuments() > 0 && p1.trainDocuments() > 0, "both slices non-empty");
        long expected = docs.stream().filter(t -> PackedCorpus.heldOut(t, 0.3)).count();
        assertEquals(expected, p1.heldOutDocuments());
    }

    @Test
    void theRunStreamIsAFunctionOfTheSeedAndCoversEveryBlockEachEpoch() {
        PackedCorpus.Builder b = new PackedCorpus.Builder(TOK, 8, 0);
        docs().forEach(b::add);
        PackedCorpus p = b.build(7);
        int n = p.train().size();
        List<int[]> s1 = p.runSequences(2L * n + 3, 4);
        List<int[]> s2 = p.runSequences(2L * n + 3, 4);
        assertEquals(2 * n + 3, s1.size());
        for (int i = 0; i < s1.size(); i++) {
            assertArrayEquals(s1.get(i), s2.get(i));
        }
        java.util.Set<int[]> first = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        first.addAll(s1.subList(0, n));
        assertEquals(n, first.size(), "an epoch is a permutation of the blocks");
    }
}
