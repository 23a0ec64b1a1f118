package org.unmask.corpus.count;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.unmask.corpus.lexicon.WordLists;

/**
 * What to count and how: the word lists, the window half-width k, the JSON field holding the text and the
 * longest line read (longer ones are skipped and reported, keeping memory bounded).
 */
public record CountingSpec(WordLists words, int window, String textField, int maxLineBytes) {
    /** Default window half-width: ±10 tokens (Bordia &amp; Bowman 2019 report fixed windows of this order). */
    public static final int DEFAULT_WINDOW = 10;

    public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

    public CountingSpec {
        if (window < 1 || window > 10_000) {
            throw new IllegalArgumentException("window must be in 1..10000, got " + window);
        }
        if (textField == null || textField.isEmpty()) {
            throw new IllegalArgumentException("text field name must not be empty");
        }
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("max line bytes must be >= 1024, got " + maxLineBytes);
        }
    }

    /** The defaults: built-in word lists, k = 10, field {@code text}, 64 MiB lines. */
    public static CountingSpec defaults(WordLists words) {
        return new CountingSpec(words, DEFAULT_WINDOW, "text", DEFAULT_MAX_LINE_BYTES);
    }

    /** Identifies everything that changes a shard's counts; checkpoints are reused only when it matches. */
    public String fingerprint() {
        String s = "counting/1\nwords=" + words.sha256() + "\nwindow=" + window + "\nfield=" + textField + "\nmaxLine="
                + maxLineBytes;
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
