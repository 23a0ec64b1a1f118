package org.unmask.corpus.input;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.Deflater;

/**
 * ISA-L's raw DEFLATE decoder (igzip, through Intel's Genomics Kernel Library {@code com.intel.gkl:gkl}), used
 * for whole buffers only. Reached by reflection, so the corpus module compiles and runs without it: where the
 * library is not on the class path (the Spark application jar), has no native code for the platform (it ships
 * linux-x86_64 and macOS), cannot extract its native library, or fails a self-check, {@link #available()} is
 * false and the callers use {@code java.util.zip}.
 *
 * <p>GKL's {@code IntelInflater} is a whole-block decoder in disguise: every {@code inflate} call restarts at the
 * beginning of the input given to {@code setInput} and it does not report how much input it consumed, so it is
 * only ever called here once per buffer, with room for all the output. Thread-safe (one native state per call).
 */
final class NativeInflater {
    /** Disables the native decoder when set to {@code jdk} (for comparisons and as an escape hatch). */
    static final String PROPERTY = "unmask.corpus.gunzip";

    private static final String CLASS = "com.intel.gkl.compression.IntelInflater";
    /** Kept reachable: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger GKL_LOG = Logger.getLogger("com.intel.gkl");
    /** Fed after the stream: a finished stream ignores it, an unfinished one fails on it (LEN 0, NLEN 0). */
    private static final byte[] PROBE = new byte[16];

    private static final Handles HANDLES = load();

    private record Handles(
            MethodHandle create,
            MethodHandle setInput,
            MethodHandle inflate,
            MethodHandle finished,
            MethodHandle end,
            String description) {}

    private NativeInflater() {}

    /** True when ISA-L is loaded and passed its self-check. */
    static boolean available() {
        return HANDLES.create() != null;
    }

    /** What decodes: ISA-L with its source, or why java.util.zip is used. */
    static String description() {
        return HANDLES.description();
    }

    /**
     * Inflates the raw DEFLATE stream {@code in[off, off+len)} into {@code out[0, outLen)}, which must have room
     * for at least one byte more than the stream holds, and checks that the stream ends exactly at the end of the
     * input: all input consumed (so nothing, e.g. a second gzip member, follows the stream), and the last block
     * marked final (ISA-L then ignores further input; an unfinished stream reads {@link #PROBE}'s zero bytes as a
     * stored block whose length check fails).
     *
     * @return the number of bytes produced, or -1 when the stream is invalid, stops before the end of the input,
     *     does not end at it, or ISA-L is not available
     */
    static int inflateWhole(byte[] in, int off, int len, byte[] out, int outLen) {
        Handles h = HANDLES;
        return h.create() == null ? -1 : inflateWith(h, in, off, len, out, outLen);
    }

    private static int inflateWith(Handles h, byte[] in, int off, int len, byte[] out, int outLen) {
        if (len <= 0 || outLen <= 1) {
            return -1; // GKL rejects empty buffers with an exception
        }
        Object inflater;
        try {
            inflater = h.create().invoke(true);
        } catch (Throwable e) {
            return failed(e);
        }
        try {
            h.setInput().invoke(inflater, in, off, len);
            int n = (int) h.inflate().invoke(inflater, out, 0, outLen);
            // GKL's "finished" means: no error and every input byte consumed (not: end of stream seen); it stays set
            if (n >= outLen || !(boolean) h.finished().invoke(inflater)) {
                return -1;
            }
            h.setInput().invoke(inflater, PROBE, 0, PROBE.length);
            int more = (int) h.inflate().invoke(inflater, out, n, outLen - n);
            return more == 0 ? n : -1;
        } catch (Throwable e) {
            return failed(e); // ISA-L reports invalid data as a RuntimeException
        } finally {
            try {
                h.end().invoke(inflater);
            } catch (Throwable e) {
                failed(e); // freeing the native state has no failure the caller could act on
            }
        }
    }

    /** -1 for anything the java.util.zip path can redo; the JVM's own failures propagate. */
    private static int failed(Throwable e) {
        if (e instanceof VirtualMachineError vm) {
            throw vm;
        }
        return -1;
    }

    private static Handles load() {
        if ("jdk".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
            return unavailable("java.util.zip (-D" + PROPERTY + "=jdk)");
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!(arch.equals("amd64") || arch.equals("x86_64")) || !(os.contains("linux") || os.contains("mac"))) {
            return unavailable("java.util.zip (no ISA-L native for " + os + "/" + arch + ")");
        }
        try {
            Class<?> c = Class.forName(CLASS);
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            MethodHandle create = l.findConstructor(c, MethodType.methodType(void.class, boolean.class));
            Handles h = new Handles(
                    create,
                    l.findVirtual(c, "setInput", MethodType.methodType(void.class, byte[].class, int.class, int.class)),
                    l.findVirtual(c, "inflate", MethodType.methodType(int.class, byte[].class, int.class, int.class)),
                    l.findVirtual(c, "finished", MethodType.methodType(boolean.class)),
                    l.findVirtual(c, "end", MethodType.methodType(void.class)),
                    "ISA-L inflate (Intel GKL)");
            GKL_LOG.setLevel(Level.WARNING); // GKL announces every load on stderr at INFO
            Object probe = create.invoke(true);
            boolean loaded = (boolean) l.findVirtual(c, "load", MethodType.methodType(boolean.class, File.class))
                    .invoke(probe, (File) null);
            if (!loaded) {
                return unavailable("java.util.zip (GKL could not load its native library)");
            }
            return selfCheck(h) ? h : unavailable("java.util.zip (ISA-L failed its self-check)");
        } catch (ClassNotFoundException e) {
            return unavailable("java.util.zip (com.intel.gkl not on the class path)");
        } catch (Throwable e) {
            failed(e);
            return unavailable("java.util.zip (ISA-L unusable: " + e.getClass().getSimpleName() + ")");
        }
    }

    /** Round-trips a small text through java.util.zip's deflater and ISA-L. */
    private static boolean selfCheck(Handles h) {
        byte[] text = ("{\"text\": \"The nurse said she would call the engineer; the engineer said he would wait.\"}\n"
                        .repeat(200))
                .getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater(6, true);
        d.setInput(text);
        d.finish();
        byte[] packed = new byte[text.length + 64];
        int len = 0;
        while (!d.finished()) {
            len += d.deflate(packed, len, packed.length - len);
        }
        d.end();
        byte[] out = new byte[text.length + 1];
        int n = inflateWith(h, packed, 0, len, out, out.length);
        return n == text.length && Arrays.equals(text, 0, n, out, 0, n);
    }

    private static Handles unavailable(String why) {
        return new Handles(null, null, null, null, null, why);
    }
}
