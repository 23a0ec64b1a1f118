package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unmask.corpus.scan.JsonTextField;
import org.unmask.corpus.scan.JsonTextField.Status;

class JsonTextFieldTest {
    private final JsonTextField json = new JsonTextField("text");

    private String text(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertEquals(Status.OK, json.extract(b, 0, b.length), line);
        return new String(json.buffer(), 0, json.length(), StandardCharsets.UTF_8);
    }

    private Status status(byte[] b) {
        return json.extract(b, 0, b.length);
    }

    private Status status(String line) {
        return status(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesEveryEscape() {
        assertEquals("a\"b\\c/d\be\ff\ng\rh\ti", text("{\"text\": \"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}"));
    }

    @Test
    void decodesUnicodeEscapesIncludingSurrogatePairs() {
        assertEquals("he said \u00e9\u4e2d", text("{\"text\":\"\\u0068e said \\u00E9\\u4e2d\"}"));
        assertEquals("x\uD83D\uDE00y", text("{\"text\":\"x\\ud83d\\ude00y\"}")); // U+1F600 as 4 UTF-8 bytes
        byte[] four = Arrays.copyOf(json.buffer(), json.length());
        assertArrayEquals("x\uD83D\uDE00y".getBytes(StandardCharsets.UTF_8), four);
        assertEquals("\uFFFDa", text("{\"text\":\"\\ud83da\"}")); // lone high surrogate
        assertEquals("\uFFFD", text("{\"text\":\"\\udE00\"}")); // lone low surrogate
        assertEquals("\uFFFD\u0041", text("{\"text\":\"\\ud83d\\u0041\"}")); // high + non-low
    }

    @Test
    void passesRawUtf8Through() {
        assertEquals("caf\u00e9 \uD83D\uDE00 \u2014", text("{\"text\":\"caf\u00e9 \uD83D\uDE00 \u2014\"}"));
    }

    @Test
    void findsOnlyTheTopLevelFieldWhereverItIs() {
        String line = "{\"id\":\"x\\\"text\\\":\\\"no\",\"metadata\":{\"text\":\"nested\",\"a\":[1,{\"text\":2}]},"
                + "\"n\":-1.5e3,\"ok\":true,\"nil\":null,\"text\":\"yes\"}";
        assertEquals("yes", text(line));
        assertEquals("last", text("{\"text\":\"first\",\"text\":\"last\"}"));
        assertEquals("esc key", text("{\"t\\u0065xt\":\"esc key\"}"));
        assertEquals("", text("  {  \"text\" : \"\" }  "));
    }

    @Test
    void reportsLinesThatAreNotJsonObjects() {
        for (String bad : new String[] {
            "not json",
            "{\"text\":\"unterminated}",
            "{\"text\":\"a\"",
            "[\"text\"]",
            "{\"text\":\"a\"} trailing",
            "{\"text\":\"bad \\x escape\"}",
            "{\"text\":\"\\u12\"}",
            "{\"text\" \"a\"}",
            "{\"a\":{\"b\":1}",
            "{\"text\":\"a\",}",
            "",
            "{\"a\":}"
        }) {
            assertEquals(Status.NOT_JSON, status(bad), bad);
        }
    }

    @Test
    void reportsMissingOrNonStringText() {
        assertEquals(Status.NO_FIELD, status("{\"id\":\"1\",\"txt\":\"a\"}"));
        assertEquals(Status.NO_FIELD, status("{}"));
        assertEquals(Status.FIELD_NOT_STRING, status("{\"text\":null}"));
        assertEquals(Status.FIELD_NOT_STRING, status("{\"text\":[\"a\"]}"));
    }

    @Test
    void reportsInvalidUtf8InTheTextOrElsewhere() {
        byte[][] bad = {
            {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'a', (byte) 0xff, '"', '}'},
            {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xc3, '"', '}'}, // truncated sequence
            {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'}, // overlong
            {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'}, // surrogate
            {'{', '"', 'i', '"', ':', '"', (byte) 0x80, '"', ',', '"', 't', 'e', 'x', 't', '"', ':', '"', '"', '}'},
        };
        for (byte[] b : bad) {
            assertEquals(Status.INVALID_UTF8, status(b), new String(b, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void agreesWithJacksonOnRandomStrings() throws Exception {
        ObjectMapper m = new ObjectMapper();
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(30);
            for (int j = 0; j < n; j++) {
                int kind = r.nextInt(5);
                if (kind == 0) {
                    sb.append((char) r.nextInt(0x80));
                } else if (kind == 1) {
                    sb.append((char) (0x80 + r.nextInt(0xD800 - 0x80)));
                } else if (kind == 2) {
                    sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
                } else {
                    sb.append("\"\\/\n\t héllo".charAt(r.nextInt(11)));
                }
            }
            String s = sb.toString();
            // Jackson escapes non-ASCII optionally; test both raw UTF-8 and \\u-escaped forms
            String raw = m.writeValueAsString(java.util.Map.of("text", s));
            assertEquals(s, text(raw));
            String escaped = m.writer()
                    .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                    .writeValueAsString(java.util.Map.of("text", s));
            assertEquals(s, text(escaped));
        }
    }
}
