package org.unmask.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private record Cell(String template, String term, double value) {}

    @Test
    void percentileIntervalUsesType7Quantiles() {
        double[] reps = new double[101];
        for (int i = 0; i < reps.length; i++) {
            reps[reps.length - 1 - i] = i + 1; // unsorted on purpose
        }
        // h = 100 * 0.025 = 2.5 -> 3 + 0.5 * (4 - 3); h = 97.5 -> 98 + 0.5
        Interval ci = Bootstrap.percentileInterval(reps, 0.95);
        assertEquals(3.5, ci.lower(), 1e-12);
        assertEquals(98.5, ci.upper(), 1e-12);
    }

    @Test
    void undefinedReplicatesAreLeftOut() {
        Interval ci = Bootstrap.percentileInterval(new double[] {Double.NaN, 1, 2, 3, Double.NaN}, 0.5);
        assertEquals(1.5, ci.lower(), 1e-12);
        assertEquals(2.5, ci.upper(), 1e-12);
        assertFalse(Bootstrap.percentileInterval(new double[] {Double.NaN}, 0.95).isDefined());
    }

    @Test
    void meanOfTwoPointsFollowsTheExactBootstrapDistribution() {
        // resampling {0, 10} gives means 0, 5, 10 with probabilities 1/4, 1/2, 1/4
        Bootstrap b = new Bootstrap(42, 4000);
        Estimate e = b.mean(new double[] {0, 10});
        assertEquals(5.0, e.value(), 1e-12);
        assertEquals(2, e.n());
        assertEquals(0.0, e.ci95().lower(), 1e-12);
        assertEquals(10.0, e.ci95().upper(), 1e-12);
        double[] reps = b.replicates(List.of(0.0, 10.0), List.of(), l -> (l.get(0) + l.get(1)) / 2).values();
        long fives = java.util.Arrays.stream(reps).filter(v -> v == 5.0).count();
        assertEquals(0.5, fives / 4000.0, 0.03);
    }

    @Test
    void constantDataGivesAZeroWidthInterval() {
        Estimate e = new Bootstrap(1).mean(new double[] {3, 3, 3, 3});
        assertEquals(new Interval(3, 3), e.ci95());
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherInterval() {
        double[] data = {0.3, 1.2, -0.4, 0.8, 0.1, 0.5, 0.9, -0.2};
        assertEquals(new Bootstrap(5, 500).mean(data), new Bootstrap(5, 500).mean(data));
        assertNotEquals(new Bootstrap(5, 500).mean(data).ci95(), new Bootstrap(6, 500).mean(data).ci95());
    }

    @Test
    void twoWayResampleKeepsEachCellWithTheProductOfItsLevelCounts() {
        List<Cell> cells = new ArrayList<>();
        String[] templates = {"t1", "t2", "t3"};
        String[] terms = {"a", "b", "c", "d"};
        for (String t : templates) {
            for (String w : terms) {
                cells.add(new Cell(t, w, cells.size()));
            }
        }
        List<Function<Cell, ?>> factors = List.of(Cell::template, Cell::term);
        double[] reps = new Bootstrap(9, 300).replicates(cells, factors, sample -> {
            Map<String, Integer> byTemplate = new HashMap<>();
            Map<String, Integer> byTerm = new HashMap<>();
            Map<Cell, Integer> byCell = new HashMap<>();
            for (Cell c : sample) {
                byCell.merge(c, 1, Integer::sum);
            }
            // recover the draw counts: m_t(t) * m_w(w) = count(t, w); total = 3 * 4 draws
            int total = sample.size();
            for (Cell c : sample) {
                byTemplate.merge(c.template(), 1, Integer::sum);
                byTerm.merge(c.term(), 1, Integer::sum);
            }
            for (Map.Entry<Cell, Integer> e : byCell.entrySet()) {
                int mt = byTemplate.get(e.getKey().template());
                int mw = byTerm.get(e.getKey().term());
                // count(t,w) * total == (row sum) * (column sum) holds exactly for a product of counts
                if ((long) e.getValue() * total != (long) mt * mw) {
                    return 0;
                }
            }
            return total == 12 ? 1 : 0;
        }).values();
        for (double r : reps) {
            assertEquals(1.0, r, 0.0);
        }
    }

    @Test
    void clusteredIntervalIsWiderThanItemIntervalWhenClustersDiffer() {
        // 4 templates with very different means, 10 near-identical items each: resampling items pretends there
        // are 40 independent observations; resampling templates knows there are 4
        List<Cell> cells = new ArrayList<>();
        double[] offsets = {0, 4, 8, 12};
        for (int t = 0; t < offsets.length; t++) {
            for (int i = 0; i < 10; i++) {
                cells.add(new Cell("t" + t, "w" + i, offsets[t] + 0.01 * i));
            }
        }
        Bootstrap b = new Bootstrap(3, 1000);
        java.util.function.ToDoubleFunction<List<Cell>> mean =
                l -> l.stream().mapToDouble(Cell::value).average().orElse(Double.NaN);
        Estimate byItem = b.clustered(cells, List.<Function<Cell, ?>>of(), mean);
        Estimate byTemplate = b.clustered(cells, List.<Function<Cell, ?>>of(Cell::template), mean);
        assertEquals(byItem.value(), byTemplate.value(), 1e-12);
        assertEquals(40, byTemplate.n());
        assertTrue(byTemplate.ci95().width() > 2 * byItem.ci95().width(),
                byTemplate.ci95() + " vs " + byItem.ci95());
    }

    @Test
    void groupMeansAveragePerKeyInFirstSeenOrder() {
        List<Cell> cells = List.of(new Cell("t", "b", 1), new Cell("t", "a", 2), new Cell("t", "b", 3));
        Map<String, Double> m = Bootstrap.groupMeans(cells, Cell::term, Cell::value);
        assertEquals(List.of("b", "a"), new ArrayList<>(m.keySet()));
        assertEquals(2.0, m.get("b"), 1e-12);
        assertEquals(2.0, m.get("a"), 1e-12);
    }

    @Test
    void stratifiedFactorKeepsEveryStratumInEveryResample() {
        List<Cell> cells = new ArrayList<>();
        for (String w : new String[] {"she", "woman", "girl"}) {
            cells.add(new Cell("t", w, 1));
        }
        for (String w : new String[] {"he", "man"}) {
            cells.add(new Cell("t", w, -1));
        }
        Bootstrap.Factor<Cell> term = Bootstrap.Factor.within(Cell::term, c -> c.value() > 0 ? "f" : "m");
        double[] reps = new Bootstrap(4, 500).factorReplicates(cells, List.of(term), sample -> {
            long f = sample.stream().filter(c -> c.value() > 0).count();
            long m = sample.size() - f;
            return f == 3 && m == 2 ? 1 : 0;
        }).values();
        for (double r : reps) {
            assertEquals(1.0, r, 0.0);
        }
    }
}
