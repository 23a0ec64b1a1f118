package org.unmask.corpus.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.unmask.corpus.input.ParquetCodecs;

/**
 * Writes corpus Parquet files the way FineWeb/RedPajama ship them (an optional string {@code text} column beside
 * {@code id}), with Parquet's own writer; no Hadoop needed.
 */
public final class ParquetFixtures {
    /** FineWeb-like: {@code text}, {@code id}. */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message document { optional binary text (STRING); required binary id (STRING); }");

    private ParquetFixtures() {}

    /**
     * Writes {@code texts} (null = a null text) to {@code file}.
     *
     * @param rowGroupBytes the writer's row-group size: small values give several row groups
     */
    public static Path write(Path file, List<String> texts, CompressionCodecName codec, long rowGroupBytes)
            throws IOException {
        return write(file, SCHEMA, "text", texts, codec, rowGroupBytes);
    }

    /** As {@link #write(Path, List, CompressionCodecName, long)} with the codec by name (snappy, zstd, gzip). */
    public static Path write(Path file, List<String> texts, String codec, long rowGroupBytes) throws IOException {
        return write(
                file, texts, CompressionCodecName.valueOf(codec.toUpperCase(java.util.Locale.ROOT)), rowGroupBytes);
    }

    /** Writes {@code texts} into the string column {@code column} of {@code schema}. */
    public static Path write(
            Path file,
            MessageType schema,
            String column,
            List<String> texts,
            CompressionCodecName codec,
            long rowGroupBytes)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withType(schema)
                .withCompressionCodec(codec)
                .withRowGroupSize(rowGroupBytes)
                .withPageSize((int) Math.min(1 << 20, Math.max(4096, rowGroupBytes / 4)))
                .withDictionaryEncoding(false)
                // the size checks run every 100 rows by default: check often so that small groups really form
                .withMinRowCountForPageSizeCheck(1)
                .withMaxRowCountForPageSizeCheck(16)
                .build()) {
            long i = 0;
            for (String t : texts) {
                Group g = groups.newGroup();
                if (t != null) {
                    g.add(column, t);
                }
                if (schema.containsField("id")) {
                    g.add("id", "doc-" + i);
                }
                i++;
                w.write(g);
            }
        }
        return file;
    }
}
