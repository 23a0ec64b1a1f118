package org.unmask.models.onnxgen;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (opset 17 + com.microsoft contrib ops) node by node. Weights are declared as
 * initializers whose bytes live in external files, so the graph itself stays a few kilobytes.
 */
final class OnnxGraph {
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT64 = 7;

    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private int counter;

    /** A graph input; a null entry in {@code dims} is a symbolic dimension. */
    void input(String name, int type, String... dims) {
        inputs.add(valueInfo(name, type, dims));
    }

    void output(String name, int type, String... dims) {
        outputs.add(valueInfo(name, type, dims));
    }

    /** A weight stored in {@code location} (relative to the model file) at the given byte range. */
    void externalInitializer(String name, int type, long[] dims, String location, long offset, long length) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type).string(8, name);
        t.message(13, new Proto().string(1, "location").string(2, location));
        t.message(13, new Proto().string(1, "offset").string(2, Long.toString(offset)));
        t.message(13, new Proto().string(1, "length").string(2, Long.toString(length)));
        t.varint(14, 1); // data_location = EXTERNAL
        initializers.add(t);
    }

    /** A small constant stored in the graph itself. */
    String constantFloats(String hint, long[] dims, float[] values) {
        String name = hint + "_" + (counter++);
        byte[] raw = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int b = Float.floatToIntBits(values[i]);
            for (int j = 0; j < 4; j++) {
                raw[4 * i + j] = (byte) (b >>> (8 * j));
            }
        }
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT).string(8, name).bytes(9, raw);
        initializers.add(t);
        return name;
    }

    String constantLongs(String hint, long... values) {
        String name = hint + "_" + (counter++);
        byte[] raw = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < 8; j++) {
                raw[8 * i + j] = (byte) (values[i] >>> (8 * j));
            }
        }
        initializers.add(new Proto()
                .varint(1, values.length)
                .varint(2, INT64)
                .string(8, name)
                .bytes(9, raw));
        return name;
    }

    /** Adds a node of the default domain and returns its (single) output name. */
    String op(String type, String[] in, Attr... attrs) {
        return node("", type, in, attrs);
    }

    /** Adds a com.microsoft contrib node. */
    String contrib(String type, String[] in, Attr... attrs) {
        return node("com.microsoft", type, in, attrs);
    }

    /** As {@link #contrib}, with the output named {@code out} (see {@link #opNamed}). */
    String contribNamed(String out, String type, String[] in, Attr... attrs) {
        return node("com.microsoft", type, in, out, attrs);
    }

    /**
     * Adds a node of the default domain whose output is named {@code out}: a graph output written by the op itself.
     * ({@link #rename} adds an Identity, which ONNX Runtime keeps in front of a graph output: a copy per run.)
     */
    String opNamed(String out, String type, String[] in, Attr... attrs) {
        return node("", type, in, out, attrs);
    }

    /** Names the last value; used for graph outputs. */
    String rename(String value, String name) {
        nodes.add(new Proto()
                .string(1, value)
                .string(2, name)
                .string(3, "identity_" + name)
                .string(4, "Identity"));
        return name;
    }

    private String node(String domain, String type, String[] in, Attr... attrs) {
        return node(domain, type, in, type.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++), attrs);
    }

    private String node(String domain, String type, String[] in, String out, Attr... attrs) {
        Proto n = new Proto();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out).string(3, out).string(4, type);
        for (Attr a : attrs) {
            n.message(5, a.proto());
        }
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        nodes.add(n);
        return out;
    }

    byte[] toModel(String producer) {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, "unmask-generated");
        initializers.forEach(i -> g.message(5, i));
        inputs.forEach(i -> g.message(11, i));
        outputs.forEach(o -> g.message(12, o));
        return new Proto()
                .varint(1, 8) // ir_version 8
                .string(2, producer)
                .message(7, g)
                .message(8, new Proto().string(1, "").varint(2, 17))
                .message(8, new Proto().string(1, "com.microsoft").varint(2, 1))
                .toByteArray();
    }

    private static Proto valueInfo(String name, int type, String... dims) {
        Proto shape = new Proto();
        for (String d : dims) {
            shape.message(
                    1,
                    d.chars().allMatch(Character::isDigit)
                            ? new Proto().varint(1, Long.parseLong(d))
                            : new Proto().string(2, d));
        }
        Proto tensor = new Proto().varint(1, type).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** A node attribute. */
    record Attr(Proto proto) {
        static Attr i(String name, long v) {
            return new Attr(new Proto().string(1, name).varint(3, v).varint(20, 2));
        }

        static Attr f(String name, float v) {
            return new Attr(new Proto().string(1, name).fixed32(2, v).varint(20, 1));
        }

        static Attr ints(String name, long... v) {
            Proto p = new Proto().string(1, name);
            for (long x : v) {
                p.varint(8, x);
            }
            return new Attr(p.varint(20, 7));
        }
    }
}
