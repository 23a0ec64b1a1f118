package org.unmask.benchmarks;

import java.util.List;
import org.unmask.benchmarks.crows.CrowsPairsBenchmark;
import org.unmask.core.error.InvalidInputException;

/** The catalogue of built-in benchmarks, in the order {@code bench-list} shows them. */
public final class Benchmarks {
    private Benchmarks() {}

    /** Ids of every shipped benchmark. */
    public static List<String> ids() {
        return all().stream().map(Benchmark::id).toList();
    }

    public static List<Benchmark> all() {
        return List.of(new CrowsPairsBenchmark(), new org.unmask.benchmarks.stereoset.StereoSetBenchmark(),
                new org.unmask.benchmarks.wino.WinogenderBenchmark(), new org.unmask.benchmarks.wino.WinoBiasBenchmark(),
                new org.unmask.benchmarks.honest.HonestBenchmark(), new org.unmask.benchmarks.seat.SeatBenchmark());
    }

    public static Benchmark byId(String id) throws InvalidInputException {
        for (Benchmark b : all()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        throw new InvalidInputException("no benchmark '" + id + "'", "available: " + String.join(", ", ids()));
    }
}
