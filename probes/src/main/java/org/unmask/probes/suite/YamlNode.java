package org.unmask.probes.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;

/**
 * A YAML document as a tree that remembers the line of every node, so suite errors can name {@code file:line}.
 * (Jackson's {@code JsonNode} drops locations.)
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Seq, YamlNode.Mapping {
    int line();

    /** A scalar; {@code text} is null for YAML null. */
    record Scalar(String text, boolean string, int line) implements YamlNode {}

    record Seq(List<YamlNode> items, int line) implements YamlNode {}

    record Mapping(Map<String, YamlNode> fields, Map<String, Integer> keyLines, int line) implements YamlNode {}

    /** Parses one YAML document; syntax errors become one-line messages with the file and line. */
    static YamlNode parse(String source, String text) throws InvalidInputException {
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidInputException(
                        source + ": the suite file is empty", "start from an example in docs/suite-format.md");
            }
            return read(p, source);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new InvalidInputException(
                    where + ": YAML syntax error: " + firstLine(e.getOriginalMessage()),
                    "check indentation and quoting near that line (quote text that contains ': ' or starts with '[')",
                    e);
        } catch (IOException e) {
            throw new InvalidInputException(source + ": cannot read: " + e.getMessage(), "check the file", e);
        }
    }

    private static YamlNode read(JsonParser p, String source) throws IOException, InvalidInputException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        rejectAlias(p, source, line);
        if (t == JsonToken.START_OBJECT) {
            Map<String, YamlNode> fields = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int keyLine = p.currentTokenLocation().getLineNr();
                if (fields.containsKey(name)) {
                    throw new InvalidInputException(
                            source + ":" + keyLine + ": duplicate key '" + name + "'",
                            "each key may appear once in a mapping");
                }
                p.nextToken();
                fields.put(name, read(p, source));
                keyLines.put(name, keyLine);
            }
            return new Mapping(fields, keyLines, line);
        }
        if (t == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p, source));
            }
            return new Seq(items, line);
        }
        if (t == JsonToken.VALUE_NULL) {
            return new Scalar(null, false, line);
        }
        return new Scalar(p.getText(), t == JsonToken.VALUE_STRING, line);
    }

    /**
     * Suites are plain data: Jackson's parser hands an alias over as a string holding the anchor's name, so
     * {@code [&w woman]} then {@code *w} would audit the word "w". Rather than expand aliases (and take on alias
     * bombs), they are refused where they appear. An anchor alone is harmless: the anchored value reads as written.
     */
    private static void rejectAlias(JsonParser p, String source, int line) throws IOException, InvalidInputException {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw new InvalidInputException(
                    source + ":" + line + ": YAML alias '*" + p.getText() + "' is not supported in suite files",
                    "write the value out at each place it is used (suites do not read aliases)");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable YAML";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
