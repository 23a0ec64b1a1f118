package org.unmask.corpus.count;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Exact integer counts for one shard or a whole corpus: the {@link Total}s and, per occupation index, the
 * {@link OccStat}s. Mutable (the scanner adds into it); {@link #add(Counts)} sums shards, so totals over any
 * partition of the input are the same.
 */
public final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;

    final long[] totals = new long[Total.values().length];
    final long[] occ;
    private final int occupations;

    public Counts(int occupations) {
        this.occupations = occupations;
        this.occ = new long[occupations * OccStat.COUNT];
    }

    public int occupations() {
        return occupations;
    }

    public long total(Total t) {
        return totals[t.ordinal()];
    }

    public long get(int occupation, OccStat s) {
        return occ[occupation * OccStat.COUNT + s.ordinal()];
    }

    public void addTotal(Total t, long v) {
        totals[t.ordinal()] += v;
    }

    public void set(int occupation, OccStat s, long v) {
        occ[occupation * OccStat.COUNT + s.ordinal()] = v;
    }

    /** Adds every counter of {@code other} (same occupation list) into this. */
    public void add(Counts other) {
        if (other.occupations != occupations) {
            throw new IllegalArgumentException("counts over different occupation lists");
        }
        for (int i = 0; i < totals.length; i++) {
            totals[i] += other.totals[i];
        }
        for (int i = 0; i < occ.length; i++) {
            occ[i] += other.occ[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && Arrays.equals(totals, c.totals) && Arrays.equals(occ, c.occ);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(totals) + Arrays.hashCode(occ);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Counts{");
        for (Total t : Total.values()) {
            sb.append(t).append('=').append(total(t)).append(' ');
        }
        return sb.append("occupations=").append(occupations).append('}').toString();
    }
}
