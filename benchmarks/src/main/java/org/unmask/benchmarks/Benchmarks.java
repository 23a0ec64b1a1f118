package org.unmask.benchmarks;

import java.util.List;
import org.unmask.benchmarks.bbq.BbqBenchmark;
import org.unmask.benchmarks.bold.BoldBenchmark;
import org.unmask.benchmarks.crows.CrowsPairsBenchmark;
import org.unmask.benchmarks.honest.HonestBenchmark;
import org.unmask.benchmarks.seat.SeatBenchmark;
import org.unmask.benchmarks.stereoset.StereoSetBenchmark;
import org.unmask.benchmarks.wino.WinoBiasBenchmark;
import org.unmask.benchmarks.wino.WinogenderBenchmark;
import org.unmask.benchmarks.wino.WinogenderMcBenchmark;
import org.unmask.core.error.InvalidInputException;

/** The catalogue of built-in benchmarks, in the order {@code bench-list} shows them. */
public final class Benchmarks {
    private Benchmarks() {}

    /** Ids of every shipped benchmark. */
    public static List<String> ids() {
        return all().stream().map(Benchmark::id).toList();
    }

    public static List<Benchmark> all() {
        return List.of(
                new CrowsPairsBenchmark(),
                new StereoSetBenchmark(),
                new WinogenderBenchmark(),
                new WinogenderMcBenchmark(),
                new WinoBiasBenchmark(),
                new HonestBenchmark(),
                new SeatBenchmark(),
                new BbqBenchmark(),
                new BoldBenchmark());
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
