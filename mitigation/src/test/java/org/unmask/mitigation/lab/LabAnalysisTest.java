package org.unmask.mitigation.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.CorpusStats;
import org.unmask.core.result.LabResult;
import org.unmask.core.result.TraceResult;
import org.unmask.core.stats.Estimate;
import org.unmask.mitigation.cost.PseudoPerplexity;

class LabAnalysisTest {
    private static final String[] OCC = {"nurse", "carpenter", "engineer", "baker", "rare"};
    private static final double[] DATA = {80, 10, 30, 60, 50};
    private static final long[] N = {100, 100, 100, 100, 3};

    private static LabResult.Setup setup() {
        return new LabResult.Setup(
                "c",
                "00112233445566778899",
                List.of(1L, 2L, 3L),
                "toy",
                0,
                "masked",
                "swap",
                0.05,
                List.of(10L, 20L),
                1,
                "gender-occupation",
                "pronoun-lean",
                "m",
                "d",
                20,
                500,
                LabAnalysis.SEED);
    }

    private static CorpusStats stats(boolean cda) {
        List<CorpusStats.Occupation> o = new ArrayList<>();
        for (int i = 0; i < OCC.length; i++) {
            o.add(new CorpusStats.Occupation(
                    OCC[i], Double.NaN, new CorpusStats.Level(cda ? 2 * N[i] : N[i], cda ? 50 : DATA[i])));
        }
        return new CorpusStats(CorpusStats.SCHEMA, o);
    }

    /** A trace whose model % female per occupation is {@code model[i]} (the rare occupation is not traced). */
    private static TraceResult trace(double[] model, double[] data) {
        List<TraceResult.Point> pts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pts.add(new TraceResult.Point(OCC[i], data[i], 100, model[i], Double.NaN, Double.NaN, 3, Double.NaN));
        }
        TraceResult.Coefficient none = new TraceResult.Coefficient(Double.NaN, Double.NaN, Double.NaN, 0);
        TraceResult.Run run = new TraceResult.Run(
                "m", "a", "pronoun-lean", "lean", "", "def", none, "", none, Double.NaN, pts, List.of());
        return new TraceResult(
                TraceResult.SCHEMA,
                "s",
                "a",
                20,
                "def",
                "d",
                none,
                none,
                none,
                none,
                0,
                0,
                0,
                List.of(),
                List.of(),
                List.of(run));
    }

    private static PseudoPerplexity.Result cost(double pllPerToken) {
        return PseudoPerplexity.of("held", new double[] {4 * pllPerToken, 6 * pllPerToken}, new int[] {4, 6}, 1);
    }

    private static LabAnalysis.Arm arm(boolean cda, double offset, double[] seedNoise) {
        List<TraceResult> traces = new ArrayList<>();
        List<PseudoPerplexity.Result> costs = new ArrayList<>();
        double[] data = new double[4];
        for (int i = 0; i < 4; i++) {
            data[i] = cda ? 50 : DATA[i];
        }
        for (double noise : seedNoise) {
            double[] m = new double[4];
            for (int i = 0; i < 4; i++) {
                m[i] = data[i] + offset + noise;
            }
            traces.add(trace(m, data));
            costs.add(cost(cda ? -2.2 : -2.0));
        }
        return new LabAnalysis.Arm(stats(cda), traces, costs);
    }

    private static LabResult.Effect effect(LabResult r, String id) {
        return r.effects().stream()
                .filter(e -> e.measure().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theChainGivesAmplificationPerArmAndTheInterventionsEffect() throws Exception {
        LabResult r = LabAnalysis.analyse(
                "t", setup(), arm(false, 10, new double[] {0, 0, 0}), arm(true, 0, new double[] {0, 0, 0}), List.of());
        assertEquals(4, r.occupations().size());
        assertEquals(1, r.excluded().size());
        assertEquals("rare", r.excluded().get(0).occupation());
        assertTrue(r.excluded().get(0).reason().startsWith("too few mentions: 3 gendered sentences"));
        LabResult.Effect amp = effect(r, "amplification");
        assertEquals(10, amp.original().value(), 1e-9);
        assertEquals(0, amp.cda().value(), 1e-9);
        assertEquals(-10, amp.effect().value(), 1e-9);
        assertEquals(12, amp.effect().n(), "3 seeds x 4 occupations");
        LabResult.Row nurse = r.occupations().get(0);
        assertEquals(List.of(90.0, 90.0, 90.0), nurse.modelOriginal());
        assertEquals(-40, nurse.change().value(), 1e-9);
        assertEquals(-25, effect(r, "data-one-sidedness").effect().value(), 1e-9, "|80-50|,|10-50|,|30-50|,|60-50|");
        LabResult.Effect moved = effect(r, "mean-absolute-change");
        assertEquals(0, moved.noiseFloor(), 1e-12, "no seed noise, no floor");
        assertEquals(Math.exp(2.2) / Math.exp(2.0), r.cost().ratio().value(), 1e-9);
        assertTrue(
                r.cost().ratio().ci95().resamples().contains("seeds"),
                r.cost().ratio().ci95().toString());
    }

    @Test
    void trainingNoiseGivesTheEffectAWidthAndANoiseFloor() throws Exception {
        LabResult r = LabAnalysis.analyse(
                "t",
                setup(),
                arm(false, 0, new double[] {-3, 0, 3}),
                arm(false, 0, new double[] {3, 0, -3}),
                List.of());
        LabResult.Effect pct = effect(r, "model-pct-female");
        assertEquals(0, pct.effect().value(), 1e-9);
        assertTrue(
                pct.effectSeedsOnly().ci95().width() > 0, pct.effectSeedsOnly().toString());
        assertTrue(pct.effectSeedsOnly().ci95().contains(0));
        LabResult.Effect moved = effect(r, "mean-absolute-change");
        assertTrue(moved.noiseFloor() > 0, "seed noise alone moves the occupations: " + moved);
    }

    @Test
    void thePerOccupationIntervalIsStudentTOverSeeds() {
        Estimate e = LabAnalysis.tInterval(new double[] {1, 2, 3});
        double half = 4.302652729911275 / Math.sqrt(3);
        assertEquals(2, e.value(), 1e-12);
        assertEquals(2 - half, e.ci95().lower(), 1e-3);
        assertEquals(2 + half, e.ci95().upper(), 1e-3);
        assertEquals("student-t", e.ci95().method());
    }

    @Test
    void anArmWithoutATracePerSeedIsRefused() {
        LabAnalysis.Arm short2 = arm(false, 0, new double[] {0, 0});
        assertThrows(
                InvalidInputException.class,
                () -> LabAnalysis.analyse("t", setup(), short2, arm(true, 0, new double[] {0, 0, 0}), List.of()));
    }
}
