package org.unmask.corpus.count;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.io.InputFile;
import org.unmask.corpus.input.GunzipPolicy;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.input.WholeGzip;
import org.unmask.corpus.scan.JsonTextField;
import org.unmask.corpus.scan.LineReader;
import org.unmask.corpus.scan.ParquetTextColumn;

/**
 * Counts one shard: decompresses, splits lines, extracts the text field and feeds the {@link TextScanner}.
 * Both engines (local and Spark) call exactly this, so their counts are equal by construction.
 *
 * <p>Nothing is dropped silently: every line that is not counted becomes a {@link Skip}. A corrupt or truncated
 * compressed stream keeps the lines completely read before the damage and reports the rest as skipped.
 * Not thread-safe: use one instance per thread.
 */
public final class ShardProcessor {
    /**
     * Skips listed individually per shard; beyond that they are only counted per reason, except a corrupt stream,
     * which is always listed (at most one per shard).
     */
    public static final int MAX_LISTED_SKIPS = 100;

    private static final int PROGRESS_EVERY_BYTES = 1 << 20;

    /** Receives progress from a running shard (uncompressed bytes and documents since the last call). */
    public interface Progress {
        void advance(long bytes, long documents);

        Progress NONE = (b, d) -> {};
    }

    private final CountingSpec spec;
    private final Lexicon lexicon;
    private final GunzipPolicy gunzip;
    private final WholeGzip wholeGzip = new WholeGzip();
    private byte[] compressed = new byte[0];

    /** A processor with the default {@link GunzipPolicy} (ISA-L for .gz shards where available). */
    public ShardProcessor(CountingSpec spec) {
        this(spec, GunzipPolicy.defaults());
    }

    public ShardProcessor(CountingSpec spec, GunzipPolicy gunzip) {
        this.spec = spec;
        this.lexicon = new Lexicon(spec.words());
        this.gunzip = gunzip;
    }

    /** Counts the shard {@code name} (its relative path, used in reports) read from {@code raw}; closes it. */
    public ShardResult process(String name, ShardFormat format, InputStream raw, Progress progress) {
        Run run = new Run(name);
        try (InputStream in = raw) {
            try (InputStream decoded = decode(format, in)) {
                if (format.jsonLines()) {
                    run.jsonLines(decoded, progress);
                } else {
                    run.text(decoded, progress);
                }
            }
        } catch (IOException e) {
            run.corrupt(e);
        }
        return run.result();
    }

    /**
     * The decoded bytes of a shard. A .gz shard that fits the policy's memory budget is read whole and inflated by
     * ISA-L; if that cannot be verified, or the shard is larger, or reading failed part-way, java.util.zip reads
     * exactly the same bytes (and sees the same read error at the same place) as when streaming from the file.
     */
    private InputStream decode(ShardFormat format, InputStream in) throws IOException {
        if (!format.gzip() || !gunzip.inMemory()) {
            return format.decode(in);
        }
        long budget = gunzip.inMemoryBytes();
        int limit = (int) Math.min(budget + 1, Integer.MAX_VALUE - 8);
        int n = 0;
        IOException readError = null;
        try {
            while (n < limit) {
                if (n == compressed.length) {
                    compressed =
                            Arrays.copyOf(compressed, (int) Math.min(limit, Math.max(1 << 16, 2L * compressed.length)));
                }
                int r = in.read(compressed, n, compressed.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            readError = e;
        }
        if (readError == null && n < limit) {
            int len = wholeGzip.inflate(compressed, n, budget - n);
            if (len >= 0) {
                return new Decoded(wholeGzip.buffer(), len);
            }
        }
        return format.decode(new PrefixedStream(compressed, n, in, readError));
    }

    /**
     * Counts the Parquet shard {@code name}: the {@link CountingSpec#textField()} column of every row is one
     * document, exactly as that field of a JSONL line. Rows whose text is null, or a file without a string column
     * of that name, are skipped and reported like bad JSONL lines (the row number stands for the line number).
     */
    public ShardResult processParquet(String name, InputFile file, Progress progress) {
        Run run = new Run(name);
        try {
            run.parquet(file, progress);
        } catch (IOException e) {
            run.corrupt(e);
        } catch (RuntimeException e) {
            // the Parquet library reports a damaged footer, page or codec with unchecked exceptions
            run.corrupt(new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e));
        }
        return run.result();
    }

    /** The state of one shard's pass. */
    private final class Run {
        private final String name;
        private final Counts counts = new Counts(spec.words().occupations().size());
        private final TextScanner scanner = new TextScanner(lexicon, spec.window(), counts);
        private final List<Skip> skips = new ArrayList<>();
        private final Map<Skip.Reason, Long> skipCounts = new EnumMap<>(Skip.Reason.class);
        private boolean complete = true;
        private long line;
        private long lastLine;
        private long reportedBytes;
        private long reportedDocs;

        Run(String name) {
            this.name = name;
        }

        void jsonLines(InputStream in, Progress progress) throws IOException {
            LineReader lines = in instanceof Decoded d
                    ? new LineReader(d.array(), d.length(), spec.maxLineBytes())
                    : new LineReader(in, spec.maxLineBytes());
            JsonTextField json = new JsonTextField(spec.textField());
            try {
                readLines(lines, json, progress);
            } finally {
                line = 0;
                report(progress, lines.bytesRead());
                counts.addTotal(Total.INPUT_BYTES, lines.bytesRead());
            }
        }

        /**
         * A shard held whole is read in one pass per line: the JSON scan finds the line's end as it goes
         * ({@link JsonTextField#extractLine}); a line it is unsure about is split and parsed as from a stream.
         */
        private void readLines(LineReader lines, JsonTextField json, Progress progress) throws IOException {
            long sinceReport = 0;
            while (true) {
                JsonTextField.Status st = null;
                if (lines.whole() && lines.nextStart() < lines.limit()) {
                    st = json.extractLine(lines.buffer(), lines.nextStart(), lines.limit(), spec.maxLineBytes());
                }
                int r = st != null ? lines.nextEndingAt(json.lineEnd()) : lines.next();
                if (r == LineReader.EOF) {
                    break;
                }
                line = lines.lineNumber();
                lastLine = line;
                counts.addTotal(Total.LINES, 1);
                if (r == LineReader.OVERLONG) {
                    skip(Skip.Reason.LINE_TOO_LONG, lines.skippedBytes() + " bytes > " + spec.maxLineBytes());
                    continue;
                }
                if (st == null) {
                    int s = lines.start();
                    int e = lines.end();
                    if (isBlank(lines.buffer(), s, e)) {
                        continue; // empty lines (e.g. a trailing newline) are not documents
                    }
                    st = json.extract(lines.buffer(), s, e);
                }
                if (st == JsonTextField.Status.OK) {
                    counts.addTotal(Total.TEXT_BYTES, json.length());
                    scanner.document(json.buffer(), 0, json.length());
                } else {
                    skipJson(st, json.errorOffset());
                }
                long read = lines.bytesRead();
                if (read - sinceReport >= PROGRESS_EVERY_BYTES) {
                    report(progress, read);
                    sinceReport = read;
                }
            }
        }

        void parquet(InputFile file, Progress progress) throws IOException {
            long[] bytes = new long[1];
            try (ParquetTextColumn column = ParquetTextColumn.open(file, spec.textField())) {
                String col = "column '" + spec.textField() + "'";
                switch (column.schema()) {
                    case NO_COLUMN ->
                        skipAllRows(
                                column.rows(),
                                Skip.Reason.NO_TEXT_FIELD,
                                col + " not in the file (columns: " + column.columns() + ")");
                    case NOT_STRING ->
                        skipAllRows(column.rows(), Skip.Reason.TEXT_NOT_STRING, col + " is not a string column");
                    case OK ->
                        column.read(new ParquetTextColumn.Rows() {
                            @Override
                            public void text(long row, byte[] buf, int off, int len) {
                                line = row;
                                lastLine = row;
                                counts.addTotal(Total.LINES, 1);
                                bytes[0] += len;
                                Utf8Checker utf8 = new Utf8Checker();
                                if (utf8.check(buf, off, len) != 0 || utf8.endsInsideSequence()) {
                                    skip(Skip.Reason.INVALID_UTF8, col);
                                    return;
                                }
                                counts.addTotal(Total.TEXT_BYTES, len);
                                scanner.document(buf, off, len);
                            }

                            @Override
                            public void nullText(long row) {
                                line = row;
                                lastLine = row;
                                counts.addTotal(Total.LINES, 1);
                                skip(Skip.Reason.TEXT_NOT_STRING, col + " is null");
                            }

                            @Override
                            public void rowGroupDone(long rows) {
                                report(progress, bytes[0]);
                            }
                        });
                }
            } finally {
                line = 0;
                report(progress, bytes[0]);
                counts.addTotal(Total.INPUT_BYTES, bytes[0]);
            }
        }

        /** A file without a usable text column: every row is skipped, listed once with the row count. */
        private void skipAllRows(long rows, Skip.Reason reason, String detail) {
            counts.addTotal(Total.LINES, rows);
            counts.addTotal(Total.SKIPPED_LINES, rows);
            if (rows > 0) {
                skipCounts.merge(reason, rows, Long::sum);
                skips.add(new Skip(name, 1, reason, detail + "; all " + rows + " rows"));
            }
        }

        void text(InputStream in, Progress progress) throws IOException {
            counts.addTotal(Total.LINES, 1);
            Utf8Checker utf8 = new Utf8Checker();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    long bad = utf8.check(buf, 0, n);
                    if (bad > 0) {
                        skipOnce(Skip.Reason.INVALID_UTF8, bad, "invalid bytes count as separators");
                    }
                    scanner.feed(buf, 0, n);
                    total += n;
                    counts.addTotal(Total.TEXT_BYTES, n);
                    if (total - reportedBytes >= PROGRESS_EVERY_BYTES) {
                        report(progress, total);
                    }
                }
                if (utf8.endsInsideSequence()) {
                    skipOnce(Skip.Reason.INVALID_UTF8, utf8.lines(), "truncated sequence at end of file");
                }
            } finally {
                scanner.endDocument(); // a truncated file still counts as far as it was read (and is reported)
                counts.addTotal(Total.INPUT_BYTES, total);
                report(progress, total);
            }
        }

        private boolean invalidReported;

        private void skipOnce(Skip.Reason reason, long atLine, String detail) {
            // a plain-text document is counted anyway; report its first invalid line once
            if (!invalidReported) {
                invalidReported = true;
                record(new Skip(name, atLine, reason, detail));
            }
        }

        private void report(Progress progress, long bytes) {
            long docs = counts.total(Total.DOCUMENTS);
            progress.advance(bytes - reportedBytes, docs - reportedDocs);
            reportedBytes = bytes;
            reportedDocs = docs;
        }

        private void skipJson(JsonTextField.Status st, int offset) {
            switch (st) {
                case NOT_JSON -> skip(Skip.Reason.NOT_JSON, "byte " + offset);
                case NO_FIELD -> skip(Skip.Reason.NO_TEXT_FIELD, "field '" + spec.textField() + "'");
                case FIELD_NOT_STRING -> skip(Skip.Reason.TEXT_NOT_STRING, "field '" + spec.textField() + "'");
                case INVALID_UTF8 -> skip(Skip.Reason.INVALID_UTF8, "byte " + offset);
                case OK -> throw new IllegalStateException("not a skip");
            }
        }

        private void skip(Skip.Reason reason, String detail) {
            counts.addTotal(Total.SKIPPED_LINES, 1);
            record(new Skip(name, line, reason, detail));
        }

        private void record(Skip s) {
            skipCounts.merge(s.reason(), 1L, Long::sum);
            // the damage that cut the shard short is always listed: it says where the rest of the shard was lost
            if (skips.size() < MAX_LISTED_SKIPS || s.reason() == Skip.Reason.CORRUPT_STREAM) {
                skips.add(s);
            }
        }

        void corrupt(IOException e) {
            complete = false;
            line = line == 0 ? lastLine : line;
            String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            record(new Skip(name, line + 1, Skip.Reason.CORRUPT_STREAM, msg));
        }

        ShardResult result() {
            return new ShardResult(name, counts, skips, skipCounts, complete);
        }
    }

    /** A shard decoded whole in memory: JSON lines are then split in place instead of copied through a stream. */
    private static final class Decoded extends ByteArrayInputStream {
        Decoded(byte[] data, int length) {
            super(data, 0, length);
        }

        byte[] array() {
            return buf;
        }

        int length() {
            return count;
        }
    }

    /**
     * The bytes already read from a shard followed by the rest of its stream (or the read error met after them),
     * with an {@code available()} that counts both, as GZIPInputStream relies on it to find a next member.
     */
    private static final class PrefixedStream extends InputStream {
        private final byte[] head;
        private final int headLen;
        private final InputStream rest;
        private final IOException error;
        private int pos;

        PrefixedStream(byte[] head, int headLen, InputStream rest, IOException error) {
            this.head = head;
            this.headLen = headLen;
            this.rest = rest;
            this.error = error;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < headLen) {
                int n = Math.min(len, headLen - pos);
                System.arraycopy(head, pos, b, off, n);
                pos += n;
                return n;
            }
            if (error != null) {
                throw error;
            }
            return rest.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            int tail = error != null ? 0 : rest.available();
            return (int) Math.min(Integer.MAX_VALUE, (long) headLen - pos + tail);
        }
    }

    private static boolean isBlank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
