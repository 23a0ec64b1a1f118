package org.unmask.corpus.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** How a shard is stored, decided by its file name. */
public enum ShardFormat {
    JSONL_GZ(true, ".jsonl.gz", ".json.gz"),
    JSONL_ZST(true, ".jsonl.zst", ".json.zst"),
    JSONL(true, ".jsonl"),
    TEXT_GZ(false, ".txt.gz"),
    TEXT_ZST(false, ".txt.zst"),
    TEXT(false, ".txt"),
    /** Parquet with a string text column (random access: read with {@code ShardProcessor#processParquet}). */
    PARQUET(false, ".parquet");

    private static final int BUFFER = 1 << 16;

    private final boolean jsonLines;
    private final String[] suffixes;

    ShardFormat(boolean jsonLines, String... suffixes) {
        this.jsonLines = jsonLines;
        this.suffixes = suffixes;
    }

    /** One JSON document per line (else: the whole file is one plain-text document). */
    public boolean jsonLines() {
        return jsonLines;
    }

    /** Compressed with gzip (the formats {@code GunzipPolicy} applies to). */
    public boolean gzip() {
        return this == JSONL_GZ || this == TEXT_GZ;
    }

    /** The format of a file name, or empty when the file is not corpus input. */
    public static Optional<ShardFormat> of(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        for (ShardFormat f : values()) {
            for (String s : f.suffixes) {
                if (n.endsWith(s)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** Wraps the raw file stream in the matching decompressor. */
    public InputStream decode(InputStream raw) throws IOException {
        return switch (this) {
            case JSONL_GZ, TEXT_GZ -> new GZIPInputStream(raw, BUFFER);
            case JSONL_ZST, TEXT_ZST ->
                new BufferedInputStream(new com.github.luben.zstd.ZstdInputStreamNoFinalizer(raw), BUFFER);
            case JSONL, TEXT -> raw;
            case PARQUET -> throw new IllegalStateException("Parquet is not a byte stream: use processParquet");
        };
    }
}
