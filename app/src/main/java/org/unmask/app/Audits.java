package org.unmask.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.unmask.core.engine.GenerationJournal;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.result.AuditResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.models.Backend;
import org.unmask.models.Precision;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.measure.MeasurePlan;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;
import org.unmask.report.AuditReport;
import org.unmask.report.HtmlReport;

/**
 * The one audit path of every front door: model reference → executor ({@link ExecutorPolicy#AUDIT}) → suite →
 * result → report files. {@code unmask audit}, {@code unmask trace --model}, experiments, the server's audit jobs and
 * {@link org.unmask.app.junit.BiasAssertions} all run suites through here, so they score and report alike.
 */
public final class Audits {
    /** The seed of {@code unmask audit} and of every audit a front door runs for the user. */
    public static final long DEFAULT_SEED = AuditSpec.DEFAULT_SEED;
    /** Bootstrap resamples per interval unless the user says otherwise. */
    public static final int DEFAULT_RESAMPLES = CrossedBootstrap.DEFAULT_RESAMPLES;
    /** Sampled continuations of an unfinished run, in its output folder; deleted once the results are written. */
    public static final String JOURNAL = "generations.journal.jsonl";

    /**
     * How an audit resamples and batches.
     *
     * @param seed the audit seed (bootstrap, permutations, sampled generations)
     * @param resamples bootstrap resamples per interval
     * @param batchSize inputs per model call
     */
    public record Settings(long seed, int resamples, int batchSize) {
        public static final Settings DEFAULT =
                new Settings(DEFAULT_SEED, DEFAULT_RESAMPLES, ExecutorPolicy.DEFAULT_BATCH_SIZE);
    }

    /**
     * One audit a front door asks for.
     *
     * @param modelRef folder or hub id; null = the embedded default model
     * @param backend the backend the model runs on
     * @param suiteRef a suite file or built-in suite id; null = the built-in gender-occupation suite for the model's
     *     kind (see {@link #suite(String, boolean, boolean)})
     * @param allowOutsideTermFiles whether the suite file's {@code {file: ...}} term lists may live outside its folder
     * @param dir the folder the report files go to
     * @param resumable whether sampled continuations are journalled in {@code dir} so an interrupted generation
     *     study resumes
     * @param precision how a causal LM's weights are held (fp32 unless asked)
     */
    public record Request(
            String modelRef,
            Backend backend,
            String suiteRef,
            boolean allowOutsideTermFiles,
            Settings settings,
            Path dir,
            boolean resumable,
            Precision precision) {
        /** A request in fp32. */
        public Request(
                String modelRef,
                Backend backend,
                String suiteRef,
                boolean allowOutsideTermFiles,
                Settings settings,
                Path dir,
                boolean resumable) {
            this(modelRef, backend, suiteRef, allowOutsideTermFiles, settings, dir, resumable, Precision.FP32);
        }
    }

    /** What a front door may tell its user while an audit runs; every method does nothing by default. */
    public interface Events {
        Events NONE = new Events() {};

        /** The model is loaded and the suite chosen; the audit starts. */
        default void auditing(ModelInfo model, Suite suite) {}

        /** A journal of an interrupted run was found: only the missing continuations are sampled. */
        default void resuming(GenerationJournal journal) {}

        /** Something went wrong that does not change the results. */
        default void warning(String message) {}
    }

    /** A finished audit and the files its report was written to. */
    public record Outcome(AuditResult result, List<Path> files) {}

    private final ModelOpener opener;

    public Audits(ModelOpener opener) {
        this.opener = opener;
    }

    /** Audits that open models with {@link ModelOpener#LOADER}. */
    public Audits() {
        this(ModelOpener.LOADER);
    }

    /** Opens the model, runs the suite and writes the report (result.json, items, report.html, summary.txt). */
    public Outcome audit(Request request, ProgressListener progress, Events events) throws UnmaskException {
        if (request.suiteRef() != null) {
            // a bad suite file is reported before the model is loaded
            suite(request.suiteRef(), false, request.allowOutsideTermFiles());
        }
        Path journalFile = request.dir().resolve(JOURNAL);
        AuditResult result;
        try (LanguageModel lm = opener.open(request.modelRef(), request.backend(), request.precision())) {
            Suite s =
                    suite(request.suiteRef(), lm.info().kind() == ModelKind.CAUSAL_LM, request.allowOutsideTermFiles());
            events.auditing(lm.info(), s);
            GenerationJournal journal = null;
            if (request.resumable()) {
                // samples of another precision or quantisation are other samples: the key says which
                journal = GenerationJournal.open(journalFile, GenerationJournal.modelKey(lm.info()));
                if (journal.size() > 0) {
                    events.resuming(journal);
                }
            }
            result = run(lm, s, request.settings(), progress, journal);
        }
        List<Path> files = AuditReport.write(result, request.dir());
        if (request.resumable()) {
            try {
                Files.deleteIfExists(journalFile); // the results are written: the journal has served its purpose
            } catch (IOException e) {
                events.warning("could not delete " + journalFile + ": " + e.getMessage());
            }
        }
        return new Outcome(result, files);
    }

    /**
     * Runs a suite on a loaded model, journalling sampled continuations in {@code journal} (null: none).
     */
    public static AuditResult run(
            LanguageModel lm, Suite suite, Settings settings, ProgressListener progress, GenerationJournal journal)
            throws UnmaskException {
        RequestExecutor executor = ExecutorPolicy.AUDIT.executor(lm, settings.batchSize());
        if (journal != null) {
            executor.useJournal(journal);
        }
        return run(executor, suite, settings, progress);
    }

    /** Runs a suite through an executor a front door already holds (the server's shared one). */
    public static AuditResult run(RequestExecutor executor, Suite suite, Settings settings, ProgressListener progress)
            throws UnmaskException {
        return new AuditEngine()
                .run(
                        new AuditSpec(
                                suite,
                                settings.seed(),
                                settings.resamples(),
                                AuditSpec.of(suite).permutations(),
                                progress),
                        executor);
    }

    /** As {@link #suite(String, boolean, boolean)}, term files only in the suite file's folder. */
    public static Suite suite(String ref, boolean causal) throws InvalidInputException {
        return suite(ref, causal, false);
    }

    /**
     * A suite by reference: a suite file, or a built-in suite by id when no such file exists (e.g.
     * {@code gender-occupation}); null: the built-in gender-occupation suite for the model's kind. A suite file's
     * {@code {file: ...}} term lists must stay in its folder unless {@code allowOutsideTermFiles}.
     */
    public static Suite suite(String ref, boolean causal, boolean allowOutsideTermFiles) throws InvalidInputException {
        if (ref == null) {
            return SuiteLoader.builtin(causal ? SuiteLoader.DEFAULT_CAUSAL_SUITE : SuiteLoader.DEFAULT_SUITE);
        }
        Path file = Path.of(ref);
        if (!Files.exists(file) && SuiteLoader.BUILTIN.contains(ref)) {
            return SuiteLoader.builtin(ref);
        }
        return SuiteLoader.load(
                file,
                allowOutsideTermFiles ? SuiteLoader.TermFileScope.ANYWHERE : SuiteLoader.TermFileScope.SUITE_FOLDER);
    }

    /** The self-contained HTML report of a result, exactly as {@code report.html}. */
    public static String html(AuditResult result) {
        return HtmlReport.render(result);
    }

    /**
     * A built-in suite for a front door that runs it on an executor it already holds (the server's shared one):
     * it may first send {@link #requests()} through its own queue to fill that executor's cache, then
     * {@link #run(RequestExecutor)} scores them with the default settings.
     */
    public static final class Builtin {
        /** The default suite of {@code unmask audit}. */
        public static final String DEFAULT = SuiteLoader.DEFAULT_SUITE;
        /** The quick occupation audit: per-occupation association with pronouns and person nouns. */
        public static final String OCCUPATIONS = SuiteLoader.OCCUPATIONS_SUITE;

        private final Suite suite;

        private Builtin(Suite suite) {
            this.suite = suite;
        }

        /** A built-in suite by id; an unknown id is invalid input naming the built-in ones. */
        public static Builtin of(String id) throws InvalidInputException {
            return new Builtin(SuiteLoader.builtin(id));
        }

        public String id() {
            return suite.id();
        }

        public String title() {
            return suite.title();
        }

        /** Every distinct model request the suite makes, in plan order. */
        public List<ModelRequest<?>> requests() {
            LinkedHashSet<ModelRequest<?>> all = new LinkedHashSet<>();
            for (MeasurePlan p : AuditEngine.plan(suite)) {
                all.addAll(p.requests());
            }
            return new ArrayList<>(all);
        }

        /** Runs the suite with {@link Settings#DEFAULT}, as {@code unmask audit} with no options would. */
        public AuditResult run(RequestExecutor executor) throws UnmaskException {
            return Audits.run(executor, suite, Settings.DEFAULT, ProgressListener.NONE);
        }
    }
}
