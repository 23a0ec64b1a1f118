package org.unmask.models.djl.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;

/** A tiny BERT configuration and data for training tests (random weights; never a product model). */
final class TinyBert {
    static final BertConfig CONFIG = new BertConfig(BertFamily.BERT, 16, 2, 2, 32, 32, 50, 1e-12f, 0);
    static final int CLS = 1;
    static final int SEP = 2;
    static final int MASK = 3;

    private TinyBert() {}

    static MlmMasking masking(double p) {
        return new MlmMasking(p, MASK, 0, CONFIG.vocab(), Set.of(0, CLS, SEP, MASK));
    }

    static List<int[]> sequences(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 6 + r.nextInt(7);
            int[] s = new int[len];
            s[0] = CLS;
            s[len - 1] = SEP;
            for (int t = 1; t < len - 1; t++) {
                s[t] = 5 + r.nextInt(CONFIG.vocab() - 5);
            }
            out.add(s);
        }
        return out;
    }
}
