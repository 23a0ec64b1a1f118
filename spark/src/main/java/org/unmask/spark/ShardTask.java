package org.unmask.spark;

import java.io.Serializable;

/**
 * One input file for a Spark task.
 *
 * @param uri fully qualified Hadoop path ({@code file:/…}, {@code hdfs://…}, {@code s3a://…})
 * @param relative path relative to the input root, the name used in reports
 * @param format a {@link org.unmask.corpus.input.ShardFormat} name
 * @param size bytes on storage
 * @param modified modification time, ms
 */
record ShardTask(String uri, String relative, String format, long size, long modified) implements Serializable {
    private static final long serialVersionUID = 1L;
}
