package org.unmask.corpus.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.io.AtomicFiles;

/**
 * Splits a corpus into a training part and a held-out part, by document, deterministically: a document is held out
 * when the first 8 bytes of the SHA-256 of its line (a JSON Lines document) or its text (a plain-text file, one
 * document) fall below {@code fraction} of the range. The split depends on the documents alone, not on their order or
 * the machine, so a rerun writes the same two files. Both parts are written as JSON Lines ({@code {"text": ...}}
 * documents are kept byte for byte; a plain-text file becomes one such document), each atomically.
 */
public final class HeldOutSplit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeldOutSplit() {}

    /**
     * What was written.
     *
     * @param trainDocuments documents in the training part
     * @param heldoutDocuments documents held out
     * @param sha256 SHA-256 over the shards' relative names and bytes, in listing order
     */
    public record Result(long trainDocuments, long heldoutDocuments, String sha256) {}

    /**
     * Splits {@code corpus} (file or folder) into {@code train} and {@code heldout} (JSON Lines files).
     *
     * @param fraction the share of documents held out, in (0, 1)
     * @throws InvalidInputException when the corpus is missing, holds Parquet (not split here) or cannot be read
     */
    public static Result split(Path corpus, double fraction, Path train, Path heldout)
            throws InvalidInputException, IOException {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), was " + fraction);
        }
        CorpusFiles.Listing listing = CorpusFiles.list(corpus);
        for (Shard s : listing.shards()) {
            if (s.format() == ShardFormat.PARQUET) {
                throw new InvalidInputException(
                        s.path() + ": Parquet shards are not split by the lab",
                        "convert the corpus to JSON Lines (.jsonl.gz) first");
            }
        }
        long threshold = (long) (fraction * (double) Long.MAX_VALUE);
        long[] counts = new long[2];
        MessageDigest whole = sha256();
        Path trainTmp = Files.createTempFile(train.toAbsolutePath().getParent(), ".split-", ".tmp");
        try {
            AtomicFiles.write(heldout, hos -> {
                try (Writer h = new BufferedWriter(new OutputStreamWriter(hos, StandardCharsets.UTF_8));
                        Writer t = Files.newBufferedWriter(trainTmp, StandardCharsets.UTF_8)) {
                    for (Shard s : listing.shards()) {
                        whole.update(s.relative().getBytes(StandardCharsets.UTF_8));
                        whole.update((byte) 0);
                        readShard(s, whole, line -> {
                            boolean held =
                                    (firstLong(sha256().digest(line.getBytes(StandardCharsets.UTF_8))) & Long.MAX_VALUE)
                                            < threshold;
                            (held ? h : t).write(line);
                            (held ? h : t).write('\n');
                            counts[held ? 1 : 0]++;
                        });
                    }
                }
            });
            AtomicFiles.write(train, os -> Files.copy(trainTmp, os));
        } finally {
            Files.deleteIfExists(trainTmp);
        }
        return new Result(counts[0], counts[1], HexFormat.of().formatHex(whole.digest()));
    }

    @FunctionalInterface
    private interface LineSink {
        void accept(String jsonLine) throws IOException;
    }

    /** Each document of the shard as one JSON line; the shard's bytes go into {@code digest}. */
    private static void readShard(Shard s, MessageDigest digest, LineSink sink) throws IOException {
        try (InputStream raw = new java.security.DigestInputStream(Files.newInputStream(s.path()), digest);
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(s.format().decode(raw), StandardCharsets.UTF_8))) {
            if (s.format().jsonLines()) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        sink.accept(line.strip());
                    }
                }
            } else {
                StringBuilder text = new StringBuilder();
                char[] buf = new char[8192];
                for (int n = r.read(buf); n >= 0; n = r.read(buf)) {
                    text.append(buf, 0, n);
                }
                if (!text.toString().isBlank()) {
                    sink.accept(JSON.writeValueAsString(Map.of("text", text.toString())));
                }
            }
        }
    }

    private static long firstLong(byte[] h) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
