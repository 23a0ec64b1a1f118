package org.unmask.spark.augment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.unmask.mitigation.cda.CdaOptions;
import org.unmask.mitigation.cda.CdaTransform;
import org.unmask.mitigation.cda.LineAugmenter;

/**
 * Counterfactual data augmentation as a Spark job: the same {@link LineAugmenter} / {@link CdaTransform} as
 * {@code unmask augment}, applied per partition, so a cluster run gives the same lines as the CLI (in partition
 * order). Input is read with {@code spark.read().textFile} (plain or gzip text, JSONL); output is a folder of
 * text part files. Counts come back through accumulators.
 */
public final class CdaSparkJob {
    private CdaSparkJob() {}

    /**
     * Counts of a run; see {@link org.unmask.mitigation.cda.AugmentStats} for their meaning.
     *
     * @param documentsIn documents read
     * @param documentsOut lines written
     * @param swapped documents with a swap
     * @param droppedUnswapped documents dropped for lacking gendered words
     * @param skipped unusable lines
     * @param blankLines blank lines
     */
    public record Counts(
            long documentsIn, long documentsOut, long swapped, long droppedUnswapped, long skipped, long blankLines) {}

    /**
     * Augments {@code input} (a path or glob Spark understands) into the folder {@code output}.
     *
     * @param json whether lines are JSON objects (output is then JSONL with a {@code cda} field)
     * @param gzip whether to gzip the part files
     */
    public static Counts run(
            SparkSession spark,
            String input,
            String output,
            String field,
            boolean json,
            boolean gzip,
            CdaOptions options) {
        LongAccumulator in = spark.sparkContext().longAccumulator("cda.documentsIn");
        LongAccumulator out = spark.sparkContext().longAccumulator("cda.documentsOut");
        LongAccumulator swapped = spark.sparkContext().longAccumulator("cda.swapped");
        LongAccumulator dropped = spark.sparkContext().longAccumulator("cda.droppedUnswapped");
        LongAccumulator skipped = spark.sparkContext().longAccumulator("cda.skipped");
        LongAccumulator blank = spark.sparkContext().longAccumulator("cda.blankLines");
        Dataset<String> lines = spark.read().textFile(input);
        MapPartitionsFunction<String, String> f = it -> {
            LineAugmenter aug = new LineAugmenter(new CdaTransform(options), field, json, json);
            List<String> buf = new ArrayList<>();
            while (it.hasNext()) {
                LineAugmenter.Result r = aug.apply(it.next());
                if (r.blank()) {
                    blank.add(1);
                } else if (r.skipReason() != null) {
                    skipped.add(1);
                } else {
                    in.add(1);
                    out.add(r.lines().size());
                    switch (r.outcome().kind()) {
                        case SWAPPED -> swapped.add(1);
                        case DROPPED_UNSWAPPED -> dropped.add(1);
                        case KEPT_UNSWAPPED -> {}
                    }
                    buf.addAll(r.lines());
                }
            }
            Iterator<String> res = buf.iterator();
            return res;
        };
        Dataset<String> result = lines.mapPartitions(f, Encoders.STRING());
        var writer = result.write().mode("errorifexists");
        if (gzip) {
            writer = writer.option("compression", "gzip");
        }
        writer.text(output);
        return new Counts(in.value(), out.value(), swapped.value(), dropped.value(), skipped.value(), blank.value());
    }

    /** {@code spark-submit --class org.unmask.spark.augment.CdaSparkJob <jar> <in> <out> [--field f] [--json]
     * [--gzip] [--one-sided] [--drop-unswapped] [--anonymize] [--with-bolukbasi]}. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CdaSparkJob <in> <out-folder> [--field f] [--json] [--gzip] [--one-sided]"
                    + " [--drop-unswapped] [--anonymize] [--with-bolukbasi]");
            System.exit(2);
        }
        String field = "text";
        boolean json = false;
        boolean gzip = false;
        boolean keep = true;
        boolean drop = false;
        boolean anon = false;
        boolean bolukbasi = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--field" -> field = args[++i];
                case "--json" -> json = true;
                case "--gzip" -> gzip = true;
                case "--one-sided" -> keep = false;
                case "--drop-unswapped" -> drop = true;
                case "--anonymize" -> anon = true;
                case "--with-bolukbasi" -> bolukbasi = true;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        CdaOptions opts = new CdaOptions(
                keep, drop, anon, bolukbasi ? CdaOptions.WordLists.WINOBIAS_BOLUKBASI : CdaOptions.WordLists.WINOBIAS);
        SparkSession spark = SparkSession.builder().appName("unmask-cda").getOrCreate();
        try {
            System.out.println(run(spark, args[0], args[1], field, json, gzip, opts));
        } finally {
            spark.stop();
        }
    }
}
