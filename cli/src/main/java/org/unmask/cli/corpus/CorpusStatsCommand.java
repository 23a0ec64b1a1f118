package org.unmask.cli.corpus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.cli.ExitCode;
import org.unmask.cli.ProgressBar;
import org.unmask.cli.options.Range;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.lexicon.WordLists;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;
import org.unmask.corpus.output.StatsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unmask corpus stats <path> --out <dir>}: the local, shard-parallel, resumable counter; with
 * {@code --spark MASTER} the same count as a Spark job on a cluster ({@link SparkSubmission}).
 */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = {
            "Count occupation x gender co-occurrences (sentence, +-k window, document) over a corpus folder.",
            "Resumable: finished shards are checkpointed in --out and skipped on a re-run.",
            "Exit codes: 0 complete, 6 partial (input skipped, see summary), 130 stopped early, 3 bad input."
        })
public final class CorpusStatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description = "Corpus folder (searched recursively) or file;"
                    + " with --spark also an hdfs://, s3a:// or file:// URI.")
    String input;

    @Option(
            names = "--spark",
            paramLabel = "MASTER",
            description = "Run on a Spark cluster (spark://host:7077, yarn, k8s://..., local[N]): submits"
                    + " spark/target/unmask-spark-app.jar in client mode; same outputs in --out.")
    String sparkMaster;

    @Option(
            names = "--spark-conf",
            paramLabel = "KEY=VALUE",
            description = "A Spark setting for --spark (repeatable), e.g. spark.executor.memory=4g.")
    List<String> sparkConf = new ArrayList<>();

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output folder: corpus-stats.json, occupations.csv, shards/ checkpoints.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    @Range(min = 1, max = 4096)
    Integer threads;

    @Option(
            names = "--window",
            paramLabel = "K",
            defaultValue = "" + CountingSpec.DEFAULT_WINDOW,
            description = "Window half-width in tokens, for the window and Bordia-Bowman counts"
                    + " (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 10_000)
    int window;

    @Option(
            names = "--text-field",
            paramLabel = "NAME",
            defaultValue = "text",
            description = "JSON field, or Parquet column, holding the document text (default ${DEFAULT-VALUE}).")
    String textField;

    @Option(
            names = "--occupations",
            paramLabel = "FILE",
            description = "Occupation list: name[<TAB>pct_female] per line; name may be 'singular|plural|...'.")
    Path occupations;

    @Option(names = "--gender-words", paramLabel = "FILE", description = "Gender words: male<TAB>female per line.")
    Path genderWords;

    @Option(
            names = "--max-line-bytes",
            paramLabel = "BYTES",
            defaultValue = "" + CountingSpec.DEFAULT_MAX_LINE_BYTES,
            description = "Longer JSONL lines are skipped and reported (default ${DEFAULT-VALUE}).")
    @Range(min = 1024)
    int maxLineBytes;

    @Option(
            names = "--stop-after-shards",
            paramLabel = "N",
            defaultValue = "0",
            description = "Stop after counting N shards in this run (a later run resumes); 0 = no limit.")
    @Range(min = 0)
    int stopAfter;

    @Option(names = "--no-progress", description = "Do not draw the progress bar on stderr.")
    boolean noProgress;

    @Option(names = "--top", paramLabel = "N", defaultValue = "15", description = "Occupations in the summary.")
    @Range(min = 0, max = 10_000)
    int top;

    @Override
    public Integer call() throws InvalidInputException {
        WordLists words = WordListLoader.load(occupations, genderWords);
        CountingSpec countingSpec;
        try {
            countingSpec = new CountingSpec(words, window, textField, maxLineBytes);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), "see unmask corpus stats --help");
        }
        if (sparkMaster != null) {
            return onSpark();
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        CorpusFiles.Listing listing = CorpusFiles.list(Path.of(input));
        PrintStream bar = noProgress ? null : System.err;
        CorpusRun run;
        StatsReport report;
        try {
            run = new LocalEngine(countingSpec, new LocalOptions(n, bar, stopAfter)).run(listing, out);
            report = new StatsReport(run);
            report.write(out);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot write results to " + out + ": " + e.getMessage(),
                    "choose a writable --out folder with free space");
        }
        spec.commandLine().getOut().print(report.summary(top, 20));
        spec.commandLine()
                .getOut()
                .println("wrote " + out.resolve(StatsReport.JSON_FILE) + " and " + out.resolve(StatsReport.CSV_FILE));
        return switch (run.status()) {
            case COMPLETE -> ExitCode.OK.code();
            case PARTIAL -> ExitCode.PARTIAL.code();
            case INTERRUPTED -> ExitCode.INTERRUPTED.code();
        };
    }

    /** The same count as a Spark job; the driver (here, client mode) writes the same files into --out. */
    private int onSpark() throws InvalidInputException {
        if (threads != null || stopAfter != 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--threads and --stop-after-shards are for the local"
                            + " engine; with --spark the cluster decides parallelism (e.g. --spark-conf spark.cores.max=N)");
        }
        SparkSubmission.Job job = new SparkSubmission.Job(
                SparkSubmission.clusterInput(input), out, window, textField, occupations, genderWords, maxLineBytes);
        List<String> cmd = SparkSubmission.command(sparkMaster, sparkConf, job, System.getenv());
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = noProgress ? null : new ProgressBar(err, System.console() != null);
        int rc;
        try {
            rc = SparkSubmission.run(cmd, sparkMaster, spec.commandLine().getOut(), err, bar);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot start spark-submit (" + cmd.get(0) + "): " + e.getMessage(),
                    "check SPARK_HOME / the PATH, or unset them to use this build's Spark jars");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED.code();
        }
        return switch (rc) {
            case 0, 6 -> {
                spec.commandLine()
                        .getOut()
                        .println("wrote " + out.resolve(StatsReport.JSON_FILE) + " and "
                                + out.resolve(StatsReport.CSV_FILE));
                yield rc == 0 ? ExitCode.OK.code() : ExitCode.PARTIAL.code();
            }
            case 2, 3 -> ExitCode.INVALID_INPUT.code(); // the job printed the one-line reason above
            default ->
                throw new InvalidInputException(
                        "the Spark job failed on " + sparkMaster + " (exit status " + rc + ")",
                        "see Spark's messages above; check the master URL and that the cluster is up");
        };
    }
}
