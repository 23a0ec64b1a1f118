package org.unmask.benchmarks.crows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceMatcherTest {
    private static int[] ints(String s) {
        String t = s.trim();
        return t.isEmpty()
                ? new int[0]
                : Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static String render(List<SequenceMatcher.Opcode> ops) {
        List<String> parts = new ArrayList<>();
        for (SequenceMatcher.Opcode o : ops) {
            parts.add(o.tag().name().toLowerCase() + " " + o.i1() + " " + o.i2() + " " + o.j1() + " " + o.j2());
        }
        return String.join("; ", parts);
    }

    /** 320 cases whose expected opcodes were produced by CPython's difflib (see the file header). */
    @Test
    void opcodesMatchCPythonDifflibIncludingAutojunk() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("difflib_cases.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            int checked = 0;
            for (String line : lines) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                SequenceMatcher m = new SequenceMatcher(ints(f[0]), ints(f[1]));
                assertEquals(f[2].trim(), render(m.opcodes()), line);
                checked++;
            }
            assertEquals(320, checked);
        }
    }

    @Test
    void popularElementsAreOnlyMatchedByExtension() {
        int[] a = new int[250];
        int[] b = new int[250];
        Arrays.fill(a, 1);
        Arrays.fill(b, 1);
        Arrays.fill(b, 240, 250, 2);
        // CPython: [('equal', 0, 240, 0, 240), ('replace', 240, 250, 240, 250)]
        assertEquals("equal 0 240 0 240; replace 240 250 240 250", render(new SequenceMatcher(a, b).opcodes()));
    }

    @Test
    void spansSplitUnmodifiedFromChangedTokens() {
        // [CLS] the poor are ignorant [SEP] vs [CLS] the rich are ignorant [SEP]
        SequenceMatcher m = new SequenceMatcher(new int[] {1, 5, 6, 7, 8, 2}, new int[] {1, 5, 9, 7, 8, 2});
        assertEquals("[0, 1, 3, 4, 5]", Arrays.toString(m.spans(true)[0]));
        assertEquals("[2]", Arrays.toString(m.spans(false)[0]));
        assertEquals("[2]", Arrays.toString(m.spans(false)[1]));
    }
}
