package org.unmask.models.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.TextTokenizer;
import org.unmask.models.internal.FileHashes;

/**
 * Fine-tuning data: a text file (one document per line) or JSONL(.gz) with a text field, tokenised into sequences
 * wrapped in the special tokens the model's tokenizer adds ({@code [CLS] … [SEP]} for BERT, {@code <s> … </s>} for
 * RoBERTa, {@code <s>} before Llama text, none for GPT-2) of at most {@code maxLength} tokens. A document longer than that is an error by
 * default (naming file and line) unless {@link LongText#CHUNK} or {@link LongText#TRUNCATE} is chosen. Blank
 * lines are not documents; unusable JSON lines are counted and reported, never silently dropped.
 *
 * @param sequences token ids with specials, in file order
 * @param file the data file
 * @param sha256 SHA-256 of its bytes, for provenance
 * @param documents documents read
 * @param chunked documents split into several sequences
 * @param truncated documents cut to the maximum
 * @param skipped unusable lines (not JSON, no text field)
 * @param skipExamples up to 10 {@code line: reason}
 */
public record TrainingData(
        List<int[]> sequences,
        Path file,
        String sha256,
        long documents,
        long chunked,
        long truncated,
        long skipped,
        List<String> skipExamples) {

    /** What to do with a document longer than the maximum length. */
    public enum LongText {
        /** Stop with an error naming the line (the default: nothing is dropped unnoticed). */
        ERROR,
        /** Split into consecutive windows, each with its own special tokens. */
        CHUNK,
        /** Keep the first {@code maxLength} tokens (special tokens included). */
        TRUNCATE
    }

    /** Reads and tokenises {@code file}. */
    public static TrainingData load(Path file, String field, TextTokenizer tok, int maxLength, LongText longText)
            throws InvalidInputException, ModelException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("data file " + file + " does not exist", "give a .txt or .jsonl file");
        }
        int[][] specials = specials(tok);
        boolean json = isJsonl(file);
        ObjectMapper mapper = new ObjectMapper();
        List<int[]> out = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        long docs = 0;
        long chunked = 0;
        long truncated = 0;
        long skipped = 0;
        int body = maxLength - specials[0].length - specials[1].length;
        try (BufferedReader r = reader(file)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String text = line;
                if (json) {
                    JsonNode n;
                    try {
                        n = mapper.readTree(line);
                    } catch (IOException e) {
                        n = null;
                    }
                    JsonNode t = n == null ? null : n.get(field);
                    if (t == null || !t.isTextual()) {
                        skipped++;
                        if (examples.size() < 10) {
                            examples.add(lineNo + ": " + (n == null ? "not JSON" : "no text field \"" + field + "\""));
                        }
                        continue;
                    }
                    text = t.asText();
                }
                int[] ids = tok.encodeWithoutSpecials(text).ids();
                if (ids.length == 0) {
                    continue;
                }
                docs++;
                if (ids.length > body) {
                    switch (longText) {
                        case ERROR ->
                            throw new InvalidInputException(
                                    file + ":" + lineNo + ": text has " + (ids.length + maxLength - body)
                                            + " tokens, more than --max-length " + maxLength,
                                    "split long documents, raise --max-length (model maximum permitting), or pass"
                                            + " --long-text chunk|truncate");
                        case TRUNCATE -> {
                            truncated++;
                            out.add(wrap(specials, Arrays.copyOf(ids, body)));
                        }
                        case CHUNK -> {
                            chunked++;
                            for (int from = 0; from < ids.length; from += body) {
                                out.add(wrap(
                                        specials, Arrays.copyOfRange(ids, from, Math.min(ids.length, from + body))));
                            }
                        }
                    }
                } else {
                    out.add(wrap(specials, ids));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read data file " + file + ": " + e.getMessage(),
                    "check the file (and that a .gz file is really gzip)",
                    e);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(
                    "data file " + file + " holds no text"
                            + (skipped > 0
                                    ? " (" + skipped + " unusable lines, e.g. line " + examples.get(0) + ")"
                                    : ""),
                    "give one document per line (.txt) or JSON objects with a \"" + field + "\" field (.jsonl)");
        }
        return new TrainingData(
                List.copyOf(out),
                file,
                FileHashes.sha256(file),
                docs,
                chunked,
                truncated,
                skipped,
                List.copyOf(examples));
    }

    /** Real tokens in all sequences. */
    public long tokens() {
        long n = 0;
        for (int[] s : sequences) {
            n += s.length;
        }
        return n;
    }

    private static int[] wrap(int[][] specials, int[] body) {
        int[] pre = specials[0];
        int[] post = specials[1];
        int[] s = new int[pre.length + body.length + post.length];
        System.arraycopy(pre, 0, s, 0, pre.length);
        System.arraycopy(body, 0, s, pre.length, body.length);
        System.arraycopy(post, 0, s, pre.length + body.length, post.length);
        return s;
    }

    /**
     * The special tokens the tokenizer puts before and after a text: where the bare encoding of a word sits inside
     * its full encoding.
     */
    static int[][] specials(TextTokenizer tok) throws ModelException {
        int[] full = tok.encode("text").ids();
        int[] bare = tok.encodeWithoutSpecials("text").ids();
        for (int at = 0; at + bare.length <= full.length; at++) {
            if (bare.length > 0 && Arrays.equals(Arrays.copyOfRange(full, at, at + bare.length), bare)) {
                return new int[][] {Arrays.copyOf(full, at), Arrays.copyOfRange(full, at + bare.length, full.length)};
            }
        }
        throw new ModelException(
                "the tokenizer's special tokens do not surround the text (\"text\" encodes as " + Arrays.toString(full)
                        + ")",
                "train with a tokenizer whose post-processor adds tokens only before and after the text");
    }

    private static boolean isJsonl(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        return n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json");
    }

    private static BufferedReader reader(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
