package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlmMaskingTest {
    private static final int CLS = 1;
    private static final int SEP = 2;
    private static final int MASK = 3;
    private final MlmMasking masking = new MlmMasking(0.15, MASK, 0, 1000, Set.of(0, CLS, SEP, MASK));

    private static List<int[]> rows(int count, int length) {
        List<int[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            int len = length - (i % 5);
            int[] row = new int[len];
            row[0] = CLS;
            row[len - 1] = SEP;
            for (int t = 1; t < len - 1; t++) {
                row[t] = 10 + r.nextInt(990);
            }
            out.add(row);
        }
        return out;
    }

    @Test
    void selectsFifteenPercentAndSplitsThemEightyTenTen() {
        List<int[]> rows = rows(2000, 64);
        MaskedBatch b = masking.mask(rows, new SplittableRandom(1));
        long eligible = 0;
        long masked = 0;
        long random = 0;
        long kept = 0;
        for (int r = 0; r < rows.size(); r++) {
            int[] row = rows.get(r);
            eligible += row.length - 2;
            for (int t = 0; t < row.length; t++) {
                int i = r * b.length() + t;
                if (b.labels()[i] == MaskedBatch.IGNORE) {
                    assertEquals(row[t], b.inputIds()[i], "unselected tokens are unchanged");
                    continue;
                }
                assertEquals(row[t], b.labels()[i], "the label is the original token");
                if (b.inputIds()[i] == MASK) {
                    masked++;
                } else if (b.inputIds()[i] == row[t]) {
                    kept++;
                } else {
                    random++;
                }
            }
        }
        long selected = masked + random + kept;
        assertEquals(0.15, (double) selected / eligible, 0.005);
        assertEquals(0.80, (double) masked / selected, 0.01);
        // a random draw may hit the original id (p = 1/1000), counted as kept
        assertEquals(0.10, (double) random / selected, 0.01);
        assertEquals(0.10, (double) kept / selected, 0.01);
    }

    @Test
    void neverSelectsSpecialTokensOrPadding() {
        List<int[]> rows = rows(500, 20);
        MaskedBatch b = masking.mask(rows, new SplittableRandom(3));
        for (int r = 0; r < rows.size(); r++) {
            for (int t = 0; t < b.length(); t++) {
                int i = r * b.length() + t;
                boolean special = t == 0 || t >= rows.get(r).length - 1;
                if (special) {
                    assertEquals(MaskedBatch.IGNORE, b.labels()[i]);
                }
                if (t >= rows.get(r).length) {
                    assertEquals(0, b.inputIds()[i], "padding uses the pad id");
                }
            }
            assertEquals(rows.get(r).length, b.lengths()[r]);
        }
    }

    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        List<int[]> rows = rows(50, 30);
        MaskedBatch a = masking.mask(rows, new SplittableRandom(Seeds.derive(42, 0, 3, 1)));
        MaskedBatch b = masking.mask(rows, new SplittableRandom(Seeds.derive(42, 0, 3, 1)));
        MaskedBatch c = masking.mask(rows, new SplittableRandom(Seeds.derive(42, 0, 4, 1)));
        assertArrayEquals(a.inputIds(), b.inputIds());
        assertArrayEquals(a.labels(), b.labels());
        assertTrue(!java.util.Arrays.equals(a.labels(), c.labels()));
    }

    @Test
    void rejectsOutOfRangeProbability() {
        assertThrows(IllegalArgumentException.class, () -> new MlmMasking(0, MASK, 0, 10, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new MlmMasking(1, MASK, 0, 10, Set.of()));
    }
}
