package org.unmask.models.onnxgen;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unmask.core.error.ModelException;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.HalfPrecision;

/**
 * The float32 weights of a generated graph as ONNX Runtime tensors over read-only memory maps of the checkpoint
 * files: no copy is made in Java, and ONNX Runtime reads the bytes in place (its own kernels may still pack a private
 * copy of a GEMM's weights). Owns the tensors; close it after the session that uses them.
 */
final class MappedWeights implements AutoCloseable {
    /** Bytes read per call when widening a half-precision tensor (an even number: whole elements). */
    private static final int WIDEN_CHUNK = 8 << 20;

    private final Map<String, OnnxTensorLike> tensors;

    private MappedWeights(Map<String, OnnxTensorLike> tensors) {
        this.tensors = tensors;
    }

    /**
     * The float32 tensors of {@code export} ({@link GraphExport#weights}) as maps of the checkpoint (half-precision
     * ones widened); its quantised matrices are not here: ONNX Runtime reads them from {@link QuantizedFile}.
     */
    static MappedWeights map(OrtEnvironment env, GraphExport export) throws ModelException {
        Map<String, OnnxTensorLike> out = new LinkedHashMap<>();
        Map<Path, FileChannel> open = new LinkedHashMap<>();
        try {
            for (GraphExport.Weight w : export.weights()) {
                out.put(w.name(), OnnxTensor.createTensor(env, floats(open, w, null), w.shape()));
            }
            return new MappedWeights(out);
        } catch (IOException | OrtException e) {
            new MappedWeights(out).close();
            throw new ModelException(
                    "cannot map the weights for ONNX Runtime: " + e.getMessage(),
                    "check that the checkpoint files are readable, or use --backend torch");
        } catch (ModelException e) {
            new MappedWeights(out).close();
            throw e;
        } finally {
            closeAll(open);
        }
    }

    /** Closes the channels {@link #floats} opened (a mapping stays valid after its channel is closed). */
    static void closeAll(Map<Path, FileChannel> open) {
        for (FileChannel ch : new ArrayList<>(open.values())) {
            try {
                ch.close();
            } catch (IOException e) {
                // read-only channel: nothing was written that could be lost
            }
        }
        open.clear();
    }

    /**
     * Weight {@code w}'s values as float32: a read-only map of the checkpoint for a float32 tensor; for a float16 or
     * bfloat16 one, a widened copy read with plain reads (so the file's pages do not join this process's resident
     * set): into {@code scratch} (reused; for a quantiser that is done with it before the next tensor) or, when that is
     * null, into a new direct buffer ONNX Runtime will hold.
     */
    static FloatBuffer floats(Map<Path, FileChannel> open, GraphExport.Weight w, FloatBuffer scratch)
            throws IOException, ModelException {
        FileChannel ch = open.get(w.file());
        if (ch == null) {
            ch = FileChannel.open(w.file(), StandardOpenOption.READ);
            open.put(w.file(), ch);
        }
        if (w.offset() + w.length() > ch.size()) {
            throw new ModelException(
                    w.file() + ": tensor " + w.name() + " ends past the end of the file",
                    "the checkpoint changed while loading; load it again");
        }
        if (w.dtype() != DType.F32) {
            return widened(ch, w, scratch);
        }
        MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, w.offset(), w.length());
        // a direct buffer in native order: OnnxTensor wraps it without copying (little-endian hosts only, like
        // safetensors itself)
        b.order(ByteOrder.LITTLE_ENDIAN);
        return b.asFloatBuffer();
    }

    /** Reads a float16/bfloat16 tensor in chunks and widens it to float32 (exactly: every half value is a float). */
    private static FloatBuffer widened(FileChannel ch, GraphExport.Weight w, FloatBuffer scratch) throws IOException {
        int n = Math.toIntExact(w.length() / 2);
        FloatBuffer out = scratch == null
                ? ByteBuffer.allocateDirect(Math.multiplyExact(n, 4))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer()
                : scratch.clear().limit(n);
        ByteBuffer chunk = ByteBuffer.allocate(WIDEN_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long at = w.offset();
        long end = w.offset() + w.length();
        boolean bf16 = w.dtype() == DType.BF16;
        while (at < end) {
            chunk.clear().limit((int) Math.min(WIDEN_CHUNK, end - at));
            while (chunk.hasRemaining()) {
                int r = ch.read(chunk, at + chunk.position());
                if (r < 0) {
                    throw new IOException(w.file() + ": tensor " + w.name() + " ends past the end of the file");
                }
            }
            chunk.flip();
            at += chunk.remaining();
            while (chunk.remaining() >= 2) {
                short h = chunk.getShort();
                out.put(bf16 ? HalfPrecision.bf16ToFloat(h) : HalfPrecision.f16ToFloat(h));
            }
        }
        return out.flip();
    }

    Map<String, OnnxTensorLike> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        tensors.values().forEach(t -> ((OnnxTensor) t).close());
    }
}
