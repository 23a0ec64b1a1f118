package org.unmask.probes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.unmask.core.engine.ExecutionStats;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.TextGenerator;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.AuditResult.AssertionOutcome;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.PermutationTest;
import org.unmask.core.version.ToolVersion;
import org.unmask.probes.measure.AssociationMeasure;
import org.unmask.probes.measure.CooccurrenceMeasure;
import org.unmask.probes.measure.GenerationMeasure;
import org.unmask.probes.measure.KuritaMeasure;
import org.unmask.probes.measure.MeasurePlan;
import org.unmask.probes.measure.PronounLeanMeasure;
import org.unmask.probes.measure.TopKMeasure;
import org.unmask.probes.measure.ZeroShotMeasure;
import org.unmask.probes.suite.Assertion;
import org.unmask.probes.suite.MeasureKind;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;

/**
 * The audit façade the CLI, the server and tests call: plans every measure of a suite, runs all their requests
 * in one {@link RequestExecutor#executeMixed} call (so repeated sentences are computed once and batched together),
 * scores the answers and checks the assertions.
 *
 * <pre>{@code
 * Suite suite = SuiteLoader.builtin(SuiteLoader.DEFAULT_SUITE);
 * try (LanguageModel lm = ModelLoader.load(null)) {
 *     AuditResult r = new AuditEngine().run(AuditSpec.of(suite), new RequestExecutor(lm, ExecutorOptions.DEFAULT));
 *     System.out.println(r.passed());
 * }
 * }</pre>
 */
public final class AuditEngine {
    /** Version of the {@link AuditResult} JSON structure; bump on incompatible changes. */
    public static final int SCHEMA_VERSION = AuditResult.SCHEMA_VERSION;

    /** Runs the audit. */
    public AuditResult run(AuditSpec spec, RequestExecutor executor) throws UnmaskException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Suite suite = spec.suite();
        checkCanGenerate(suite, executor.model());
        List<MeasurePlan> plans = plan(suite, spec.seed());
        LinkedHashSet<ModelRequest<?>> all = new LinkedHashSet<>();
        for (MeasurePlan p : plans) {
            all.addAll(p.requests());
        }
        long t1 = System.nanoTime();
        ExecutionStats before = executor.stats();
        Map<ModelRequest<?>, Object> answers = executor.executeMixed(all, spec.progress());
        ExecutionStats after = executor.stats();
        long t2 = System.nanoTime();
        CrossedBootstrap bootstrap = new CrossedBootstrap(spec.seed(), spec.resamples());
        PermutationTest test = new PermutationTest(spec.seed(), spec.permutations(), spec.permutations());
        List<MeasureResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            results.add(plans.get(i).score(answers, bootstrap, test));
            spec.progress().progress(i + 1, plans.size(), "measures scored");
        }
        List<AssertionOutcome> outcomes = check(suite.assertions(), results);
        long t3 = System.nanoTime();
        double model = (after.modelNanos() - before.modelNanos()) / 1e9;
        AuditResult.Timings timings =
                new AuditResult.Timings((t1 - t0) / 1e9, (t2 - t1) / 1e9, model, (t3 - t2) / 1e9, (t3 - t0) / 1e9);
        AuditResult.ExecutorSummary stats = new AuditResult.ExecutorSummary(
                after.requests() - before.requests(),
                after.uniqueRequests() - before.uniqueRequests(),
                after.cacheHits() - before.cacheHits(),
                after.forwardInputs() - before.forwardInputs(),
                after.batches() - before.batches(),
                model,
                after.sampled() - before.sampled());
        return new AuditResult(
                SCHEMA_VERSION, provenance(spec, executor.model().info(), started), timings, stats, results, outcomes);
    }

    /** The plans of every measure of the suite, in suite order, sampling with the default seed. */
    public static List<MeasurePlan> plan(Suite suite) {
        return plan(suite, AuditSpec.DEFAULT_SEED);
    }

    /** The plans of every measure of the suite, in suite order; {@code seed} fixes the generation samples. */
    public static List<MeasurePlan> plan(Suite suite, long seed) {
        List<MeasurePlan> plans = new ArrayList<>();
        for (MeasureSpec m : suite.measures()) {
            if (m instanceof MeasureSpec.TopK t) {
                plans.add(TopKMeasure.plan(t, suite));
            } else if (m instanceof MeasureSpec.Generation g) {
                plans.add(GenerationMeasure.plan(g, suite, seed));
            } else if (m instanceof MeasureSpec.Lean l) {
                MeasureKind kind = MeasureKind.byId(l.measure());
                plans.add(
                        switch (kind) {
                            case ASSOCIATION -> AssociationMeasure.plan(l, suite);
                            case KURITA -> KuritaMeasure.plan(l, suite);
                            case PRONOUN_LEAN -> PronounLeanMeasure.plan(l, suite);
                            case COOCCURRENCE -> CooccurrenceMeasure.plan(l, suite);
                            case ZERO_SHOT -> ZeroShotMeasure.plan(l, suite);
                            case TOP_K, GENERATION ->
                                throw new IllegalStateException(kind.id() + " is not a lean measure");
                        });
            }
        }
        return plans;
    }

    /**
     * A generation measure samples text, which masked LMs and encoders cannot: say so before any model work,
     * naming the measure's line, rather than failing deep in the executor.
     */
    static void checkCanGenerate(Suite suite, LanguageModel model) throws InvalidInputException {
        if (model instanceof TextGenerator) {
            return;
        }
        for (MeasureSpec m : suite.measures()) {
            if (m instanceof MeasureSpec.Generation g) {
                throw new InvalidInputException(
                        suite.source() + ":" + g.line() + ": measure '" + g.name()
                                + "' (generation) samples continuations, but "
                                + model.info().id() + " ("
                                + model.info().kind() + ") cannot generate text",
                        "run this suite on a causal language "
                                + "model (GPT-2, Llama, OLMo, BLOOM...), or remove the generation measure");
            }
        }
    }

    /** Checks assertions against point estimates. */
    static List<AssertionOutcome> check(List<Assertion> assertions, List<MeasureResult> results) {
        List<AssertionOutcome> out = new ArrayList<>();
        for (Assertion a : assertions) {
            LeanResult r = (LeanResult) results.stream()
                    .filter(m -> m.name().equals(a.measure()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("assertion on missing measure " + a.measure()));
            double value = value(a, r);
            out.add(new AssertionOutcome(a.expression(), a.measure(), value, a.holds(value), a.line()));
        }
        return out;
    }

    static double value(Assertion a, LeanResult r) {
        if (a.aggregate()) {
            LeanResult.AggregateValue v = r.aggregate(a.reducer());
            return v == null ? Double.NaN : v.estimate().value();
        }
        double[] leans = r.targets().stream()
                .mapToDouble(t -> t.lean().value())
                .filter(v -> !Double.isNaN(v))
                .map(v -> a.absolute() ? Math.abs(v) : v)
                .toArray();
        if (leans.length == 0) {
            return Double.NaN;
        }
        return switch (a.reducer()) {
            case "max" -> java.util.Arrays.stream(leans).max().getAsDouble();
            case "min" -> java.util.Arrays.stream(leans).min().getAsDouble();
            default -> java.util.Arrays.stream(leans).average().getAsDouble();
        };
    }

    private static AuditResult.Provenance provenance(AuditSpec spec, ModelInfo info, Instant started) {
        Suite s = spec.suite();
        AuditResult.ModelProvenance model = new AuditResult.ModelProvenance(
                info.id(),
                info.architecture(),
                info.kind().name(),
                info.location() == null ? null : info.location().toString(),
                info.weightsSha256(),
                info.tokenizerSha256(),
                info.backend(),
                info.maxLength(),
                info.lineage());
        AuditResult.SuiteProvenance suite = new AuditResult.SuiteProvenance(
                s.id(), s.version(), s.title(), s.description(), s.source(), s.sha256(), s.files(), s.contexts());
        return new AuditResult.Provenance(
                "unmask",
                toolVersion(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                model,
                suite,
                spec.seed(),
                spec.resamples(),
                spec.permutations(),
                started.toString(),
                Instant.now().toString());
    }

    /** The tool's version, from the build ({@link ToolVersion}). */
    public static String toolVersion() {
        return ToolVersion.get();
    }
}
