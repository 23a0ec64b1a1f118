package org.unmask.mitigation.experiment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.unmask.core.error.InvalidInputException;

/**
 * A YAML experiment file parsed as a tree, with the line of every key, so that each error names the file and the
 * line ({@code lab.yaml:7: unknown key "pretrain.stpes"}). Keys are dotted paths from the root
 * ({@code pretrain.steps}); {@code ""} is the file's first line.
 */
final class YamlDoc {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private YamlDoc(Path file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** Parses {@code file}; a file that is not a YAML mapping is invalid input naming it. */
    static YamlDoc read(Path file) throws InvalidInputException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), "check the path", e);
        }
        JsonNode root;
        Map<String, Integer> lines = new HashMap<>();
        try {
            root = YAML.readTree(text);
            try (JsonParser p = YAML.getFactory().createParser(text)) {
                Deque<String> path = new ArrayDeque<>();
                String pending = null;
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    switch (t) {
                        case FIELD_NAME -> {
                            String top = path.isEmpty() ? "" : path.peek();
                            String prefix = top.isEmpty() ? "" : top + ".";
                            pending = prefix + p.currentName();
                            lines.putIfAbsent(pending, p.currentTokenLocation().getLineNr());
                        }
                        case START_OBJECT, START_ARRAY -> {
                            path.push(pending == null ? (path.isEmpty() ? "" : path.peek()) : pending);
                            pending = null;
                        }
                        case END_OBJECT, END_ARRAY -> path.pop();
                        default -> pending = null;
                    }
                }
            }
        } catch (IOException e) {
            String m = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInputException(file + ": not readable YAML: " + m, "see docs/pretraining-lab.md", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + ":1: an experiment is a YAML mapping", "start with `kind: ...`");
        }
        return new YamlDoc(file, root, lines);
    }

    JsonNode root() {
        return root;
    }

    /** {@code file:line: what}, at the line of {@code key} (or of its nearest enclosing key, else line 1). */
    InvalidInputException error(String key, String what, String fix) {
        return new InvalidInputException(file + ":" + line(key) + ": " + what, fix);
    }

    int line(String key) {
        String k = key;
        while (!k.isEmpty()) {
            Integer l = lines.get(k);
            if (l != null) {
                return l;
            }
            int dot = k.lastIndexOf('.');
            k = dot < 0 ? "" : k.substring(0, dot);
        }
        return 1;
    }

    /** Refuses keys not in {@code allowed}; {@code prefix} is the mapping's dotted path with a trailing dot. */
    void checkKeys(String prefix, JsonNode node, Set<String> allowed) throws InvalidInputException {
        String at = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        if (!node.isObject()) {
            throw error(at, at + " must be a mapping", "indent its keys under it");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(
                        prefix + k,
                        "unknown key \"" + prefix + k + "\"",
                        "allowed here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    String text(JsonNode n, String key, String fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw error(pathOf(n, key), "key \"" + key + "\" must be a single value, was " + v, "");
        }
        return v.asText();
    }

    boolean bool(JsonNode n, String key, boolean fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(pathOf(n, key), "key \"" + key + "\" must be true or false, was " + v, "");
        }
        return v.asBoolean();
    }

    int integer(JsonNode n, String key, int fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(pathOf(n, key), "key \"" + key + "\" must be a whole number, was " + v, "");
        }
        return v.asInt();
    }

    double number(JsonNode n, String key, double fallback) throws InvalidInputException {
        JsonNode v = n.get(key);
        if (v == null) {
            return fallback;
        }
        double d;
        if (v.isNumber()) {
            d = v.asDouble();
        } else {
            try {
                d = Double.parseDouble(v.asText()); // YAML 1.1 reads 5e-5 as a string
            } catch (NumberFormatException e) {
                throw error(pathOf(n, key), "key \"" + key + "\" must be a number, was " + v, "");
            }
        }
        if (!Double.isFinite(d)) {
            throw error(pathOf(n, key), "key \"" + key + "\" must be a finite number, was " + v, "");
        }
        return d;
    }

    /** The dotted path of {@code key} under {@code n}: a top-level key, or one level down. */
    private String pathOf(JsonNode n, String key) {
        if (n == root) {
            return key;
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getValue() == n) {
                return e.getKey() + "." + key;
            }
        }
        return key;
    }
}
