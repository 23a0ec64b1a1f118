package org.unmask.probes.measure;

import java.util.List;

/** The aggregates every lean measure reports, in report order. */
public final class Aggregates {
    private static final List<Aggregate> ALL = List.of(
            new MeanAbsoluteLean(),
            new MaxAbsoluteLean(),
            new MeanLean(),
            new ShareLeaning(true),
            new ShareLeaning(false),
            new ShareTopAnswer(),
            new SplitEffectSize(),
            new StatCorrelation(false),
            new StatCorrelation(true));

    private Aggregates() {}

    public static List<Aggregate> all() {
        return ALL;
    }

    public static List<String> ids() {
        return ALL.stream().map(Aggregate::id).toList();
    }
}
