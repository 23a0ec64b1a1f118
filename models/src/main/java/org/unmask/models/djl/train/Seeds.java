package org.unmask.models.djl.train;

/**
 * Derives independent seeds from a run seed and coordinates (epoch, step, micro-batch, purpose) with the
 * SplitMix64 finaliser, so every random draw of a training run is a pure function of its position in the run:
 * a resumed run needs no saved generator state to replay the same data order, masks and dropout.
 */
public final class Seeds {
    private Seeds() {}

    /** A seed for {@code parts} under {@code seed}. */
    public static long derive(long seed, long... parts) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
