package org.unmask.models.djl.train;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Masked-LM corruption with the semantics of Hugging Face's {@code DataCollatorForLanguageModeling}: each
 * position that is not a special token (and not padding) is selected with probability {@code probability}
 * (0.15, Devlin et al. 2019); of the selected, 80 % become the mask token, 10 % a uniformly random vocabulary id,
 * 10 % stay unchanged; labels hold the original id at selected positions and -100 elsewhere. If a row gets no
 * selected position at all, nothing is forced (as HF), and a batch without any is reported by
 * {@link MaskedBatch#labelledCount()} = 0 so the trainer can skip it.
 *
 * <p>Randomness comes from a {@link SplittableRandom} seeded per batch by the caller, so the masks of a step
 * depend only on (seed, epoch, step) and a resumed run re-creates them exactly.
 */
public final class MlmMasking implements BatchMaker {
    private final double probability;
    private final int maskId;
    private final int padId;
    private final int vocab;
    private final Set<Integer> specialIds;

    /**
     * @param probability selection probability per eligible token, in (0, 1)
     * @param maskId the mask token id
     * @param padId the padding id
     * @param vocab vocabulary size (random replacements are drawn from [0, vocab))
     * @param specialIds ids never selected ([CLS], [SEP], [PAD], [MASK], [UNK] ...)
     */
    public MlmMasking(double probability, int maskId, int padId, int vocab, Set<Integer> specialIds) {
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("mask probability must be in (0, 1), was " + probability);
        }
        this.probability = probability;
        this.maskId = maskId;
        this.padId = padId;
        this.vocab = vocab;
        this.specialIds = Set.copyOf(specialIds);
    }

    @Override
    public MaskedBatch make(List<int[]> rows, SplittableRandom rnd) {
        return mask(rows, rnd);
    }

    /** Pads {@code rows} to the longest and masks them with {@code rnd}. */
    public MaskedBatch mask(List<int[]> rows, SplittableRandom rnd) {
        int len = 0;
        for (int[] r : rows) {
            len = Math.max(len, r.length);
        }
        int bs = rows.size();
        long[] ids = new long[bs * len];
        int[] labels = new int[bs * len];
        int[] lengths = new int[bs];
        java.util.Arrays.fill(labels, MaskedBatch.IGNORE);
        for (int b = 0; b < bs; b++) {
            int[] r = rows.get(b);
            lengths[b] = r.length;
            for (int t = 0; t < len; t++) {
                int i = b * len + t;
                if (t >= r.length) {
                    ids[i] = padId;
                    continue;
                }
                ids[i] = r[t];
                // draw for every real position so the stream does not depend on which tokens are special
                double select = rnd.nextDouble();
                double kind = rnd.nextDouble();
                int random = rnd.nextInt(vocab);
                if (specialIds.contains(r[t]) || select >= probability) {
                    continue;
                }
                labels[i] = r[t];
                if (kind < 0.8) {
                    ids[i] = maskId;
                } else if (kind < 0.9) {
                    ids[i] = random;
                }
            }
        }
        return new MaskedBatch(ids, lengths, labels, bs, len);
    }
}
