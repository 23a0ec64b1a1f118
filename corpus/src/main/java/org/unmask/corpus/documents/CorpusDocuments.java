package org.unmask.corpus.documents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.parquet.io.LocalInputFile;
import org.unmask.core.error.InvalidInputException;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.input.ShardFormat;
import org.unmask.corpus.scan.JsonTextField;
import org.unmask.corpus.scan.LineReader;
import org.unmask.corpus.scan.ParquetTextColumn;

/**
 * Reads the documents of a corpus (a folder of Dolma-style shards or one file) in shard order, with the corpus
 * module's readers: {@link CorpusFiles} finds the shards, {@link ShardFormat} decompresses, {@link LineReader} and
 * {@link JsonTextField} split and parse JSON lines, {@link ParquetTextColumn} reads Parquet. A plain-text shard is
 * one document, as for the counting engine.
 *
 * <p>Nothing is dropped silently: every line not delivered is a {@link Skip} with the same reasons the counting
 * engine uses, and a corrupt stream keeps what was read before the damage. The summary names the content hash of
 * every file read (SHA-256 of their raw bytes with their relative paths), so derived artefacts — a pretrained model
 * — can name exactly the data they came from.
 */
public final class CorpusDocuments {
    /** Skips listed individually; beyond that they are only counted per reason. */
    public static final int MAX_LISTED_SKIPS = 100;

    private CorpusDocuments() {}

    /** Receives documents in corpus order. */
    public interface Sink {
        /**
         * One document.
         *
         * @param shard the shard's relative path
         * @param line its 1-based line (row) number in the shard (1 for a plain-text shard)
         * @param text the document text
         */
        void document(String shard, long line, String text);
    }

    /**
     * What was read.
     *
     * @param root the corpus root
     * @param shards relative paths of the shards read, in order
     * @param contentSha256 SHA-256 over every shard's relative path and raw-byte SHA-256, in order
     * @param documents documents delivered
     * @param lines lines (rows) seen
     * @param skippedLines lines not delivered
     * @param skipCounts skipped lines per reason
     * @param skips the first {@link #MAX_LISTED_SKIPS} skips (a corrupt stream is always listed)
     * @param textChars characters (UTF-16 units) of text delivered
     */
    public record Summary(
            Path root,
            List<String> shards,
            String contentSha256,
            long documents,
            long lines,
            long skippedLines,
            Map<Skip.Reason, Long> skipCounts,
            List<Skip> skips,
            long textChars) {
        public Summary {
            shards = List.copyOf(shards);
            skipCounts = Map.copyOf(skipCounts);
            skips = List.copyOf(skips);
        }
    }

    /**
     * Reads every document of {@code corpus}.
     *
     * @param corpus a folder of shards or one shard
     * @param textField the JSON field (Parquet column) holding the text
     * @param maxLineBytes longer JSON lines are skipped as {@link Skip.Reason#LINE_TOO_LONG}
     * @param sink receives the documents
     * @throws InvalidInputException when the path does not exist or holds no corpus file
     */
    public static Summary read(Path corpus, String textField, int maxLineBytes, Sink sink)
            throws InvalidInputException {
        CorpusFiles.Listing listing = CorpusFiles.list(corpus);
        Reading r = new Reading(textField, maxLineBytes, sink);
        MessageDigest all = sha256();
        List<String> names = new ArrayList<>();
        for (Shard s : listing.shards()) {
            names.add(s.relative());
            String fileHash = r.shard(s);
            all.update((s.relative() + "\u0000" + fileHash + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new Summary(
                listing.root(),
                names,
                HexFormat.of().formatHex(all.digest()),
                r.documents,
                r.lines,
                r.skipped,
                r.skipCounts,
                r.skips,
                r.textChars);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The state of one pass over a corpus. */
    private static final class Reading {
        private final String field;
        private final int maxLineBytes;
        private final Sink sink;
        private final Map<Skip.Reason, Long> skipCounts = new EnumMap<>(Skip.Reason.class);
        private final List<Skip> skips = new ArrayList<>();
        private long documents;
        private long lines;
        private long skipped;
        private long textChars;
        private String name;
        private long line;

        Reading(String field, int maxLineBytes, Sink sink) {
            this.field = field;
            this.maxLineBytes = maxLineBytes;
            this.sink = sink;
        }

        /** Reads one shard; returns the SHA-256 of its raw bytes ("unreadable" when it could not be opened). */
        String shard(Shard s) {
            name = s.relative();
            line = 0;
            if (!Files.isRegularFile(s.path())) {
                skip(0, Skip.Reason.UNREADABLE, Files.isSymbolicLink(s.path()) ? "dangling link" : "not a file");
                return "unreadable";
            }
            try {
                if (s.format() == ShardFormat.PARQUET) {
                    parquet(s);
                    return fileSha256(s.path());
                }
                MessageDigest d = sha256();
                try (InputStream raw = new DigestInputStream(Files.newInputStream(s.path()), d)) {
                    try {
                        // the decoder must not close the file: the rest of it is still to be hashed
                        try (InputStream in = s.format().decode(new java.io.FilterInputStream(raw) {
                            @Override
                            public void close() {}
                        })) {
                            if (s.format().jsonLines()) {
                                jsonLines(in);
                            } else {
                                text(in);
                            }
                        }
                    } catch (IOException e) {
                        corrupt(e);
                    }
                    raw.transferTo(
                            java.io.OutputStream.nullOutputStream()); // the hash covers the whole file, damaged or not
                }
                return HexFormat.of().formatHex(d.digest());
            } catch (IOException e) {
                skip(0, Skip.Reason.UNREADABLE, e.toString());
                return "unreadable";
            }
        }

        private void jsonLines(InputStream in) throws IOException {
            LineReader lr = new LineReader(in, maxLineBytes);
            JsonTextField json = new JsonTextField(field);
            int r;
            while ((r = lr.next()) != LineReader.EOF) {
                line = lr.lineNumber();
                lines++;
                if (r == LineReader.OVERLONG) {
                    skip(line, Skip.Reason.LINE_TOO_LONG, lr.skippedBytes() + " bytes > " + maxLineBytes);
                    continue;
                }
                if (blank(lr.buffer(), lr.start(), lr.end())) {
                    continue;
                }
                JsonTextField.Status st = json.extract(lr.buffer(), lr.start(), lr.end());
                switch (st) {
                    case OK -> deliver(new String(json.buffer(), 0, json.length(), StandardCharsets.UTF_8));
                    case NOT_JSON -> skip(line, Skip.Reason.NOT_JSON, "byte " + json.errorOffset());
                    case NO_FIELD -> skip(line, Skip.Reason.NO_TEXT_FIELD, "field '" + field + "'");
                    case FIELD_NOT_STRING -> skip(line, Skip.Reason.TEXT_NOT_STRING, "field '" + field + "'");
                    case INVALID_UTF8 -> skip(line, Skip.Reason.INVALID_UTF8, "byte " + json.errorOffset());
                }
            }
        }

        private void text(InputStream in) throws IOException {
            line = 1;
            lines++;
            byte[] bytes = in.readAllBytes();
            try {
                deliver(StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString());
            } catch (CharacterCodingException e) {
                // as the counting engine: the document is used, invalid bytes replaced, and the problem reported
                skips(Skip.Reason.INVALID_UTF8, "invalid bytes replaced by U+FFFD");
                deliver(new String(bytes, StandardCharsets.UTF_8));
            }
        }

        private void parquet(Shard s) throws IOException {
            try (ParquetTextColumn column = ParquetTextColumn.open(new LocalInputFile(s.path()), field)) {
                String col = "column '" + field + "'";
                switch (column.schema()) {
                    case NO_COLUMN -> skipAll(column.rows(), Skip.Reason.NO_TEXT_FIELD, col + " not in the file");
                    case NOT_STRING -> skipAll(column.rows(), Skip.Reason.TEXT_NOT_STRING, col + " is not a string");
                    case OK ->
                        column.read(new ParquetTextColumn.Rows() {
                            @Override
                            public void text(long row, byte[] buf, int off, int len) {
                                line = row;
                                lines++;
                                try {
                                    deliver(StandardCharsets.UTF_8
                                            .newDecoder()
                                            .decode(ByteBuffer.wrap(buf, off, len))
                                            .toString());
                                } catch (CharacterCodingException e) {
                                    skip(row, Skip.Reason.INVALID_UTF8, col);
                                }
                            }

                            @Override
                            public void nullText(long row) {
                                line = row;
                                lines++;
                                skip(row, Skip.Reason.TEXT_NOT_STRING, col + " is null");
                            }

                            @Override
                            public void rowGroupDone(long rows) {}
                        });
                }
            } catch (IOException e) {
                corrupt(e);
            } catch (RuntimeException e) {
                // the Parquet library reports a damaged footer, page or codec with unchecked exceptions
                corrupt(new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e));
            }
        }

        private void skipAll(long rows, Skip.Reason reason, String detail) {
            lines += rows;
            skipped += rows;
            if (rows > 0) {
                skipCounts.merge(reason, rows, Long::sum);
                list(new Skip(name, 1, reason, detail + "; all " + rows + " rows"));
            }
        }

        private void deliver(String text) {
            documents++;
            textChars += text.length();
            sink.document(name, line, text);
        }

        private void skip(long at, Skip.Reason reason, String detail) {
            skipped++;
            skipCounts.merge(reason, 1L, Long::sum);
            list(new Skip(name, at, reason, detail));
        }

        /** A problem in a document that is still used: reported, not counted as a skipped line. */
        private void skips(Skip.Reason reason, String detail) {
            skipCounts.merge(reason, 1L, Long::sum);
            list(new Skip(name, line, reason, detail));
        }

        private void corrupt(IOException e) {
            String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            skipCounts.merge(Skip.Reason.CORRUPT_STREAM, 1L, Long::sum);
            list(new Skip(name, line + 1, Skip.Reason.CORRUPT_STREAM, msg));
        }

        private void list(Skip s) {
            if (skips.size() < MAX_LISTED_SKIPS || s.reason() == Skip.Reason.CORRUPT_STREAM) {
                skips.add(s);
            }
        }

        private static boolean blank(byte[] b, int s, int e) {
            for (int i = s; i < e; i++) {
                if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                    return false;
                }
            }
            return true;
        }

        private static String fileSha256(Path p) throws IOException {
            MessageDigest d = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(p), d)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(d.digest());
        }
    }
}
