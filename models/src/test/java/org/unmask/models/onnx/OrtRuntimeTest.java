package org.unmask.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime 1.29 needs a deep native stack to create its environment; on a default-sized Java thread the JVM died
 * with a segmentation fault (seen as exit 139 of `unmask fill`). Checked in a fresh JVM, where the first use of ONNX
 * Runtime is made from a thread with a small stack, as a CLI main thread or a server handler would make it.
 */
class OrtRuntimeTest {
    @Test
    void theRuntimeStartsWhenFirstAskedFromAThreadWithASmallStack() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-XX:+IgnoreUnrecognizedVMOptions",
                        Child.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the child JVM hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("onnxruntime "), out);
    }

    /** The child JVM: first touches ONNX Runtime from a thread with a 256 KB stack. */
    static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            String[] version = new String[1];
            Thread t = new Thread(
                    null,
                    () -> {
                        try {
                            version[0] = OrtRuntime.environment().getVersion();
                        } catch (Exception e) {
                            version[0] = "failed: " + e;
                        }
                    },
                    "small-stack",
                    256 << 10);
            t.start();
            t.join();
            System.out.println("onnxruntime " + version[0]);
        }
    }
}
