package org.unmask.mitigation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.GenerationResult.Counts;
import org.unmask.core.result.GenerationResult.Setting;
import org.unmask.core.result.GenerationResult.TargetShare;
import org.unmask.core.stats.Interval;
import org.unmask.core.testing.Results;

/**
 * {@code unmask compare} on generation measures: two result folders written by the result codec (a base model's
 * completion study and an instruct model's chat study, i.e. two suites) whose per-target counts make every change
 * known in closed form.
 */
class GenerationComparisonTest {
    private static final List<String> TARGETS = List.of("nurse", "pilot", "baker", "clerk");
    private static final double[] STATS = {90, 10, 50, 30};

    @TempDir
    Path dir;

    /** One decoding setting with per-target female and male counts (both/none are left out of every share). */
    private static Setting setting(String name, List<String> targets, int[] f, int[] m, double[] stat) {
        List<TargetShare> rows = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Counts c = new Counts(f[i], m[i], 1, 3);
            rows.add(new TargetShare(targets.get(i), stat == null ? Double.NaN : stat[i], c, c.femaleShare()));
        }
        Counts total = new Counts(IntStream.of(f).sum(), IntStream.of(m).sum(), targets.size(), 3 * targets.size());
        return new Setting(new Decoding(name, 1.0, 0, 1.0), total, List.of(), rows);
    }

    /** A result folder, written by the result codec, holding one generation measure named {@code generation}. */
    private Path run(String name, String suiteSha, List<Setting> settings, boolean stat) throws IOException {
        GenerationResult measure = new GenerationResult(
                "generation",
                "generation",
                "F / (F + M)",
                "female",
                "male",
                "occupations",
                stat ? "pct_female" : null,
                10,
                20,
                settings,
                List.of());
        return Results.write(dir.resolve(name), Results.audit(name, suiteSha, List.of(measure)));
    }

    private static int[] times(int v, int n) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    private RunComparison.Comparison compare(Path a, Path b) throws InvalidInputException {
        return RunComparison.compare(AuditRun.read(a), AuditRun.read(b), 7);
    }

    @Test
    void aBaseAndAnInstructStudyArePairedByTargetWithClosedFormChanges() throws Exception {
        // base: 2 of 10 gendered texts female for every target; instruct: 5 of 10
        Path base = run(
                "base",
                "sha-generation",
                List.of(
                        setting("default", TARGETS, times(2, 4), times(8, 4), STATS),
                        setting("top-k-40", TARGETS, times(2, 4), times(8, 4), STATS)),
                true);
        Path instruct = run(
                "instruct",
                "sha-generation-chat",
                List.of(
                        setting("default", TARGETS, times(5, 4), times(5, 4), STATS),
                        setting("top-p-0.9", TARGETS, times(5, 4), times(5, 4), STATS)),
                true);

        RunComparison.Comparison c = compare(base, instruct);

        assertEquals(1, c.generation().size(), "only the setting both runs have");
        RunComparison.GenerationChange g = c.generation().get(0);
        assertEquals("default", g.setting());
        assertEquals(4, g.targets());
        assertEquals(0.2, g.shareBefore(), 1e-12);
        assertEquals(0.5, g.shareAfter(), 1e-12);
        assertEquals(0.3, g.shareDelta(), 1e-12);
        // every target moves by the same amount, so every resample gives the same change
        assertEquals(0.3, g.shareCi95().lower(), 1e-12);
        assertEquals(0.3, g.shareCi95().upper(), 1e-12);
        // amplification = mean_t (100 share_t - stat_t) = 20 - 45 before, 50 - 45 after
        assertEquals(-25, g.amplificationBefore(), 1e-9);
        assertEquals(5, g.amplificationAfter(), 1e-9);
        assertEquals(30, g.amplificationDelta(), 1e-9);
        assertEquals(30, g.amplificationCi95().lower(), 1e-9);
        assertEquals(30, g.amplificationCi95().upper(), 1e-9);
        assertEquals(
                List.of(
                        "generation / top-k-40: decoding setting only in run A, not compared",
                        "generation / top-p-0.9: decoding setting only in run B, not compared"),
                c.notes());
    }

    @Test
    void theIntervalResamplesTargetsPairedAcrossRuns() throws Exception {
        // nurse: all male in both runs; pilot: all female before, all male after; baker: all female in both
        List<String> three = List.of("nurse", "pilot", "baker");
        Path a = run(
                "a", "s", List.of(setting("default", three, new int[] {0, 10, 10}, new int[] {10, 0, 0}, null)), false);
        Path b = run(
                "b", "s", List.of(setting("default", three, new int[] {0, 0, 10}, new int[] {10, 10, 0}, null)), false);

        RunComparison.GenerationChange g = compare(a, b).generation().get(0);

        assertEquals(-1 / 3.0, g.shareDelta(), 1e-12);
        // a resample's change lies between 0 (no pilot drawn) and -1 (only pilot): the same draw for both runs
        Interval ci = g.shareCi95();
        assertTrue(ci.lower() >= -1 && ci.upper() <= 0 && ci.contains(g.shareDelta()), ci.toString());
        assertEquals("targets", ci.resamples());
        assertEquals("bca", ci.method());
        assertTrue(
                Double.isNaN(g.amplificationBefore()) && Double.isNaN(g.amplificationDelta()),
                "no statistic, no amplification");
    }

    @Test
    void twoTargetsAreTooFewToResampleAndTheIntervalSaysSo() throws Exception {
        List<String> two = List.of("nurse", "pilot");
        Path a = run("a", "s", List.of(setting("default", two, new int[] {0, 10}, new int[] {10, 0}, null)), false);
        Path b = run("b", "s", List.of(setting("default", two, new int[] {0, 0}, new int[] {10, 10}, null)), false);

        Interval ci = compare(a, b).generation().get(0).shareCi95();

        assertTrue(!ci.isDefined() && ci.note().contains("2 targets: too few to resample"), ci.toString());
    }

    /** Item rows of one setting: every target asked through {@code templates} templates, 4 continuations each. */
    private static List<GenerationItem> items(
            String setting, List<String> targets, int templates, java.util.function.IntBinaryOperator female) {
        List<GenerationItem> out = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            for (int j = 0; j < templates; j++) {
                for (int k = 0; k < 4; k++) {
                    String label = k < female.applyAsInt(t, j) ? "female" : "male";
                    out.add(new GenerationItem(
                            "generation", setting, "j" + j, 0, "", targets.get(t), "p", k, 1, "text", label));
                }
            }
        }
        return out;
    }

    /** A setting whose per-target counts are those of its item rows. */
    private static Setting settingOf(String name, List<String> targets, List<GenerationItem> items) {
        int[] f = new int[targets.size()];
        int[] m = new int[targets.size()];
        for (GenerationItem i : items) {
            int t = targets.indexOf(i.target());
            f[t] += i.label().equals("female") ? 1 : 0;
            m[t] += i.label().equals("male") ? 1 : 0;
        }
        return setting(name, targets, f, m, STATS);
    }

    private Path runWithItems(String name, String suiteSha, List<GenerationItem> items) throws IOException {
        GenerationResult measure = new GenerationResult(
                "generation",
                "generation",
                "F / (F + M)",
                "female",
                "male",
                "occupations",
                "pct_female",
                4,
                20,
                List.of(settingOf("default", TARGETS, items)),
                items);
        return Results.write(dir.resolve(name), Results.audit(name, suiteSha, List.of(measure)));
    }

    @Test
    void runsOfTheSamePromptsArePairedByTemplateToo() throws Exception {
        // the change depends on the template (j0 moves a lot, j2 not at all): template variation must be in the CI
        Path a = runWithItems("a", "s", items("default", TARGETS, 3, (t, j) -> 1));
        Path b = runWithItems("b", "s", items("default", TARGETS, 3, (t, j) -> j == 0 ? 4 : j == 1 ? 2 : 1));

        RunComparison.GenerationChange g = compare(a, b).generation().get(0);

        assertEquals("targets × templates", g.shareCi95().resamples());
        // 1 of 4 female everywhere before; 4, 2 and 1 of 4 per template after: 7/12 - 1/4
        assertEquals(1 / 3.0, g.shareDelta(), 1e-12);
        assertTrue(
                g.shareCi95().contains(1 / 3.0) && g.shareCi95().width() > 0.1,
                g.shareCi95().toString());
        assertTrue(
                g.amplificationCi95().contains(g.amplificationDelta()),
                g.amplificationCi95().toString());
    }

    @Test
    void runsOfDifferentPromptsResampleTargetsAndSayWhy() throws Exception {
        Path a = runWithItems("a", "s", items("default", TARGETS, 3, (t, j) -> t % 4));
        List<GenerationItem> chat = new ArrayList<>();
        for (GenerationItem i : items("default", TARGETS, 3, (t, j) -> 2)) {
            chat.add(new GenerationItem(
                    i.measure(),
                    i.setting(),
                    "chat-" + i.template(),
                    i.paraphrase(),
                    i.context(),
                    i.target(),
                    i.prompt(),
                    i.sample(),
                    i.seed(),
                    i.continuation(),
                    i.label()));
        }
        Path b = runWithItems("b", "t", chat);

        Interval ci = compare(a, b).generation().get(0).shareCi95();

        assertEquals("targets", ci.resamples());
        assertTrue(ci.note().contains("prompts (templates, contexts) differ"), ci.note());
    }

    @Test
    void runsOfDifferentTargetsGetANoteInsteadOfAChange() throws Exception {
        List<String> other = List.of("nurse", "pilot", "baker", "dancer");
        Path a = run("a", "s", List.of(setting("default", TARGETS, times(1, 4), times(1, 4), STATS)), true);
        Path b = run("b", "s", List.of(setting("default", other, times(1, 4), times(1, 4), STATS)), true);

        RunComparison.Comparison c = compare(a, b);

        assertEquals(List.of(), c.generation());
        assertEquals(
                List.of("generation / default: the runs sampled different targets (4 vs 4 targets; only in A: "
                        + "clerk; only in B: dancer), so they cannot be paired by target; audit both with the same target "
                        + "list"),
                c.notes());
    }
}
