package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.cli.FillCommandTest.Run;
import org.unmask.models.djl.causal.TinyCheckpoints;

/** {@code --precision}: fp32 is the unchanged default, the reduced ones run, a wrong value is one clear line. */
class PrecisionOptionTest {
    /** The tiny random BERT of the masked parity fixtures (tests run in cli/). */
    private static final Path MASKED_FIXTURE =
            Path.of("..", "models", "src", "test", "resources", "fixtures", "bert-mlm");

    @TempDir
    Path tmp;

    @Test
    void fp32IsTheDefaultAndBf16AndInt8Generate() throws IOException {
        TinyCheckpoints.gpt2(tmp, 7, 256);
        String m = tmp.toString();
        String[] base = {"generate", "The man works as a", "--model", m, "-n", "2", "--max-new-tokens", "5", "--json"};
        Run plain = FillCommandTest.run(base);
        assertEquals(ExitCode.OK.code(), plain.code(), plain.err());
        Run fp32 = FillCommandTest.run(append(base, "--precision", "fp32"));
        assertEquals(plain.out(), fp32.out(), "fp32 is the default: byte-identical samples");
        for (String p : new String[] {"bf16", "int8"}) {
            Run r = FillCommandTest.run(append(base, "--precision", p));
            assertEquals(ExitCode.OK.code(), r.code(), p + ": " + r.err());
        }
    }

    @Test
    void anUnknownPrecisionOrOneForAMaskedLmIsInvalidInput() {
        Run bad = FillCommandTest.run("generate", "x", "--model", tmp.toString(), "--precision", "fp8");
        assertEquals(ExitCode.INVALID_INPUT.code(), bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: --precision: unknown precision \"fp8\""), bad.err());
        assertTrue(!bad.err().contains("\tat "), "no stack trace");
        Run masked = FillCommandTest.run("perf", "fill-mask", "--precision", "bf16");
        assertEquals(ExitCode.INVALID_INPUT.code(), masked.code(), masked.err());
        assertTrue(masked.err().contains("not available for `perf fill-mask`"), masked.err());
    }

    @Test
    void int8FillsMasksOnOnnxRuntimeAndIsRefusedOnLibtorchInOneLine() {
        String bert = MASKED_FIXTURE.toString();
        Run fp32 = FillCommandTest.run("fill", "The man works as a [MASK].", "--model", bert, "--json");
        Run int8 = FillCommandTest.run(
                "fill", "The man works as a [MASK].", "--model", bert, "--json", "--precision", "int8");
        assertEquals(ExitCode.OK.code(), int8.code(), int8.err());
        assertTrue(int8.out().contains("\"token\""), int8.out());
        assertEquals(ExitCode.OK.code(), fp32.code(), fp32.err());
        Run torch = FillCommandTest.run(
                "fill", "The man works as a [MASK].", "--model", bert, "--precision", "int8", "--backend", "torch");
        assertEquals(ExitCode.MODEL_ERROR.code(), torch.code(), torch.err());
        assertTrue(torch.err().contains("--precision int8 is not available for it on libtorch"), torch.err());
        assertTrue(!torch.err().contains("\tat "), "no stack trace");
        Run bf16 = FillCommandTest.run("fill", "The man works as a [MASK].", "--model", bert, "--precision", "bf16");
        assertEquals(ExitCode.MODEL_ERROR.code(), bf16.code(), bf16.err());
        assertTrue(bf16.err().contains("fp32, or int8 on ONNX Runtime"), bf16.err());
    }

    private static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
