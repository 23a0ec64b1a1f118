package org.unmask.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.ShardProcessor;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.output.StatsReport;

/**
 * The corpus counter as a Spark job: one task per input file, each running the corpus module's
 * {@link ShardProcessor} on the file's byte stream (opened through Hadoop's FileSystem, so local, HDFS and S3
 * paths work), shard results collected and summed on the driver in file order. Counts, skips and outputs are
 * therefore identical to the local engine's by construction. gzip/zstd files are not splittable anyway, so one
 * file = one task loses no parallelism. The master is never set here: {@code spark-submit --master …} decides.
 *
 * <p>Progress: one {@code unmask-progress …} line per finished shard on standard output ({@link ProgressLines}).
 *
 * <pre>spark-submit --class org.unmask.spark.CorpusStatsJob unmask-spark-app.jar INPUT --out DIR [--window K]
 *     [--text-field NAME] [--occupations FILE] [--gender-words FILE] [--max-line-bytes N]</pre>
 * Exit status: 0 complete, 6 partial (input skipped), 3 bad arguments.
 */
public final class CorpusStatsJob {
    private CorpusStatsJob() {}

    /** Counts every corpus file under {@code input} (any Hadoop path) with {@code spec}. */
    public static CorpusRun run(SparkSession spark, String input, CountingSpec spec)
            throws IOException, InvalidInputException {
        return run(spark, input, spec, null);
    }

    private static CorpusRun run(SparkSession spark, String input, CountingSpec spec, ProgressLines progress)
            throws IOException, InvalidInputException {
        long t0 = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<ShardTask> tasks = list(input, conf);
        if (progress != null) {
            progress.start(tasks);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<WireSpec> wire = jsc.broadcast(WireSpec.of(spec));
        Broadcast<SerializableConfiguration> hconf = jsc.broadcast(new SerializableConfiguration(conf));
        List<ShardResult> results = jsc.parallelize(tasks, Math.max(1, tasks.size()))
                .map(t -> count(t, wire.value(), hconf.value().value()))
                .collect();
        List<ShardResult> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparing(ShardResult::file));
        Counts totals = CorpusRun.sum(spec.words().occupations().size(), ordered);
        return new CorpusRun(
                spec,
                listing(input, tasks),
                ordered,
                totals,
                0,
                0,
                (System.nanoTime() - t0) / 1e9,
                "spark",
                jsc.defaultParallelism());
    }

    private static ShardResult count(ShardTask t, WireSpec wire, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(t.uri());
        ShardFormat format = ShardFormat.valueOf(t.format());
        ShardProcessor processor = new ShardProcessor(wire.toSpec());
        if (format == ShardFormat.PARQUET) {
            // Hadoop's seekable stream (local, HDFS, S3A); the same reader and codecs as the local engine
            return processor.processParquet(
                    t.relative(), HadoopInputFile.fromPath(p, conf), ShardProcessor.Progress.NONE);
        }
        InputStream in = p.getFileSystem(conf).open(p);
        return processor.process(t.relative(), format, in, ShardProcessor.Progress.NONE);
    }

    /** The corpus files under {@code input}, recursively, sorted by relative path (as {@link CorpusFiles}). */
    static List<ShardTask> list(String input, Configuration conf) throws IOException, InvalidInputException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(input);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new InvalidInputException(
                    "corpus path " + input + " does not exist",
                    "give a folder (local, hdfs://, s3a://) of *.jsonl.gz / *.jsonl.zst / *.jsonl / *.txt / *.parquet"
                            + " files");
        }
        org.apache.hadoop.fs.Path base = fs.getFileStatus(root).isDirectory() ? root : root.getParent();
        String prefix = fs.makeQualified(base).toUri().getPath();
        List<ShardTask> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            Optional<ShardFormat> fmt = ShardFormat.of(f.getPath().getName());
            if (fmt.isEmpty()) {
                continue;
            }
            String path = f.getPath().toUri().getPath();
            String rel = path.startsWith(prefix + "/")
                    ? path.substring(prefix.length() + 1)
                    : f.getPath().getName();
            out.add(new ShardTask(f.getPath().toString(), rel, fmt.get().name(), f.getLen(), f.getModificationTime()));
        }
        out.sort(Comparator.comparing(ShardTask::relative));
        if (out.isEmpty()) {
            throw new InvalidInputException(
                    "no corpus files under " + input,
                    "expected *.jsonl.gz, *.json.gz, *.jsonl.zst, *.jsonl, *.txt(.gz|.zst), *.parquet files");
        }
        return out;
    }

    /** A listing for the report; for non-local storage the paths are only names. */
    private static CorpusFiles.Listing listing(String input, List<ShardTask> tasks) {
        List<Shard> shards = new ArrayList<>();
        for (ShardTask t : tasks) {
            shards.add(new Shard(
                    Path.of(t.relative()), t.relative(), ShardFormat.valueOf(t.format()), t.size(), t.modified()));
        }
        return new CorpusFiles.Listing(
                Path.of(new org.apache.hadoop.fs.Path(input).toUri().getPath()), shards, List.of());
    }

    public static void main(String[] args) {
        System.exit(runMain(args));
    }

    /** Runs the job from command-line arguments; returns the exit status. */
    static int runMain(String[] args) {
        JobArgs a;
        try {
            a = JobArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(JobArgs.USAGE);
            return 2;
        }
        SparkSession spark =
                SparkSession.builder().appName("unmask corpus stats").getOrCreate();
        try {
            CountingSpec spec = new CountingSpec(
                    WordListLoader.load(a.occupations(), a.genderWords()), a.window(), a.textField(), a.maxLineBytes());
            ProgressLines progress = new ProgressLines(System.out);
            spark.sparkContext().addSparkListener(progress);
            CorpusRun run = run(spark, a.input(), spec, progress);
            StatsReport report = new StatsReport(run);
            report.write(a.out());
            System.out.print(report.summary(15, 20));
            return run.status() == CorpusRun.Status.COMPLETE ? 0 : 6;
        } catch (InvalidInputException e) {
            System.err.println("error: " + e.userMessage());
            return 3;
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return 3;
        } finally {
            spark.stop();
        }
    }
}
