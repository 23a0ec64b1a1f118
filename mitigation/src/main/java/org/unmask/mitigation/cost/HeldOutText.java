package org.unmask.mitigation.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.unmask.core.error.InvalidInputException;

/**
 * Held-out sentences on which the cost of a mitigation is measured. The shipped slice is 200 WikiText-2
 * validation/test sentences (CC BY-SA 3.0, see PROVENANCE.md next to it); {@link #fromWikitext} applies the same
 * selection rules to the full {@code ../shared/corpora/wikitext2-validtest/wikitext2-validtest.jsonl.gz}.
 *
 * @param name where the sentences come from, for reports
 * @param sentences the sentences
 */
public record HeldOutText(String name, List<String> sentences) {
    private static final String SHIPPED = "/org/unmask/mitigation/cost/wikitext2-heldout-200.txt";

    public HeldOutText {
        sentences = List.copyOf(sentences);
    }

    /** The 200 shipped WikiText-2 sentences. */
    public static HeldOutText shipped() {
        try (InputStream in = HeldOutText.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("shipped held-out text missing from the jar");
            }
            return new HeldOutText(
                    "wikitext2-heldout-200", lines(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code limit} sentences of a plain-text file (one per line) or a WikiText-2 JSONL(.gz). */
    public static HeldOutText read(Path file, int limit) throws InvalidInputException {
        String n = file.getFileName().toString();
        List<String> all;
        try {
            if (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz")) {
                all = fromWikitext(file);
            } else {
                all = lines(Files.readString(file));
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read held-out text " + file + ": " + e.getMessage(),
                    "give a text file with one sentence per line, or the wikitext2 JSONL",
                    e);
        }
        if (all.isEmpty()) {
            throw new InvalidInputException("held-out text " + file + " holds no sentences", "");
        }
        return new HeldOutText(n, all.subList(0, Math.min(limit, all.size())));
    }

    /** Sentences of a WikiText JSONL file, selected as documented in the class comment. */
    static List<String> fromWikitext(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode d = json.readTree(line);
                    out.addAll(sentencesOf(d.path("text").asText()));
                }
            }
        }
        return out;
    }

    /**
     * The first {@code limit} sentences of a JSON Lines corpus file in ordinary prose (one {@code "text"} document a
     * line, e.g. a lab's held-out documents): whitespace is collapsed, text is cut after {@code .}, {@code !} or
     * {@code ?} followed by a space, and a sentence is kept when it has 8 to 30 words, ends with one of those marks
     * and is mostly letters (headings, tables of contents and numbers are left out).
     */
    public static HeldOutText fromDocuments(Path file, int limit) throws InvalidInputException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && out.size() < limit) {
                if (line.isBlank()) {
                    continue;
                }
                String text = json.readTree(line).path("text").asText().replaceAll("\\s+", " ");
                for (String s : text.split("(?<=[.!?]) ")) {
                    if (out.size() < limit && prose(s.strip())) {
                        out.add(s.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read held-out documents " + file + ": " + e.getMessage(),
                    "rerun the step that wrote it",
                    e);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(
                    "held-out documents " + file + " hold no sentence of 8 to 30 words",
                    "hold out more documents (a larger heldout-fraction) or use a larger corpus");
        }
        return new HeldOutText(file.getFileName().toString(), out);
    }

    private static boolean prose(String s) {
        int words = s.isEmpty() ? 0 : s.split(" ").length;
        if (words < 8 || words > 30 || !(s.endsWith(".") || s.endsWith("!") || s.endsWith("?"))) {
            return false;
        }
        long letters = s.chars().filter(Character::isLetter).count();
        return letters >= 0.7 * s.length();
    }

    /** The selection rules for one article. */
    static List<String> sentencesOf(String article) {
        List<String> out = new ArrayList<>();
        for (String para : article.split("\n")) {
            String p = para.strip();
            if (p.isEmpty() || p.startsWith("=")) {
                continue;
            }
            for (String s : p.split("(?<= \\.) ")) {
                s = s.strip();
                int words = s.isEmpty() ? 0 : s.split("\\s+").length;
                if (!s.contains("<unk>") && words >= 8 && words <= 30 && s.endsWith(" .")) {
                    out.add(s.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", "."));
                }
            }
        }
        return out;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
