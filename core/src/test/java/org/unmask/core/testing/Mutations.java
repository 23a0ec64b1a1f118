package org.unmask.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded structure-blind mutations of a valid input, for the parser fuzz tests of every module.
 *
 * <p>Each call to {@link #next()} returns a copy of one of the seed inputs with one to three edits: bit flips, byte
 * replacement with a boundary byte, deletion, duplication or insertion of a span, truncation, splicing with another
 * seed, and insertion of tokens that parsers tend to mishandle (deep nesting, huge or negative numbers, NUL, invalid
 * UTF-8, YAML/JSON punctuation). The same seed always yields the same sequence, so a failure is reproducible from the
 * seed and index that {@link #forEach} reports.
 */
public final class Mutations {
    private static final String[] TOKENS = {
        "-1",
        "0",
        "-12",
        "2000000000",
        "99999999999999999999",
        "1e309",
        "NaN",
        "-Infinity",
        "null",
        "true",
        "\"\"",
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        "'",
        "\"",
        "\\",
        "\u0000",
        "\uFFFF",
        "&a",
        "*a",
        "!!binary",
        "---",
        "\n",
        "\t",
        "{%",
        "%}",
        "{{",
        "}}",
        "[MASK]",
        "../",
        "/dev/zero",
        "%s",
        "\u202E",
        "é",
    };

    private final List<byte[]> seeds;
    private final SplittableRandom random;

    /** Mutations of {@code seeds} (at least one, each may be empty) drawn with {@code seed}. */
    public Mutations(long seed, List<byte[]> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed input");
        }
        this.seeds = List.copyOf(seeds);
        this.random = new SplittableRandom(seed);
    }

    /** Mutations of UTF-8 text seeds. */
    public static Mutations ofText(long seed, String... texts) {
        List<byte[]> bytes = new ArrayList<>();
        for (String t : texts) {
            bytes.add(t.getBytes(StandardCharsets.UTF_8));
        }
        return new Mutations(seed, bytes);
    }

    /** A string {@code depth} levels deep of {@code open}, then {@code close} as many times: a nesting bomb. */
    public static String nested(String open, String close, int depth) {
        return open.repeat(depth) + close.repeat(depth);
    }

    /** The next mutated input. */
    public byte[] next() {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            data = mutate(data);
        }
        return data;
    }

    /** The next mutated input decoded as UTF-8 (invalid bytes become U+FFFD). */
    public String nextText() {
        return new String(next(), StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code check} on {@code count} mutations; when it throws, rethrows an {@link AssertionError} that names the
     * mutation index and input (abbreviated), so the case can be reproduced.
     */
    public void forEach(int count, Consumer<byte[]> check) {
        for (int i = 0; i < count; i++) {
            byte[] input = next();
            try {
                check.accept(input);
            } catch (RuntimeException | AssertionError e) {
                String shown = new String(input, 0, Math.min(input.length, 300), StandardCharsets.UTF_8);
                throw new AssertionError("mutation #" + i + " (" + input.length + " bytes): " + shown, e);
            }
        }
    }

    private byte[] mutate(byte[] data) {
        int n = data.length;
        switch (random.nextInt(n == 0 ? 1 : 9)) {
            case 0:
                return insert(data, random.nextInt(n + 1), token());
            case 1:
                data[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                return data;
            case 2:
                data[random.nextInt(n)] =
                        new byte[] {0, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xc3}[random.nextInt(5)];
                return data;
            case 3: {
                int from = random.nextInt(n);
                int len = 1 + random.nextInt(Math.min(n - from, 64));
                return splice(data, from, from + len, new byte[0]);
            }
            case 4: {
                int from = random.nextInt(n);
                int len = 1 + random.nextInt(Math.min(n - from, 64));
                byte[] span = java.util.Arrays.copyOfRange(data, from, from + len);
                return insert(data, random.nextInt(n + 1), span);
            }
            case 5:
                return java.util.Arrays.copyOf(data, random.nextInt(n));
            case 6: {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(n + 1);
                int otherCut = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] out = java.util.Arrays.copyOf(data, cut + other.length - otherCut);
                System.arraycopy(other, otherCut, out, cut, other.length - otherCut);
                return out;
            }
            case 7: {
                String[] pairs = {"[", "]", "{\"a\":", "}", "- ", "", "{% if x %}", "{% endif %}"};
                int p = 2 * random.nextInt(pairs.length / 2);
                int depth = 1 + random.nextInt(2000);
                byte[] bomb = nested(pairs[p], pairs[p + 1], depth).getBytes(StandardCharsets.UTF_8);
                return insert(data, random.nextInt(n + 1), bomb);
            }
            default:
                return insert(data, random.nextInt(n + 1), token());
        }
    }

    private byte[] token() {
        return TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] data, int at, byte[] piece) {
        return splice(data, at, at, piece);
    }

    private static byte[] splice(byte[] data, int from, int to, byte[] piece) {
        byte[] out = new byte[data.length - (to - from) + piece.length];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(piece, 0, out, from, piece.length);
        System.arraycopy(data, to, out, from + piece.length, data.length - to);
        return out;
    }
}
