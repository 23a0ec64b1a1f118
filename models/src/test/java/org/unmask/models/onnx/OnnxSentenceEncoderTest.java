package org.unmask.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.SentenceEncoder.Pooling;
import org.unmask.core.request.EmbeddingRequest;
import org.unmask.core.testing.RealModel;

@RealModel
class OnnxSentenceEncoderTest {
    private static OnnxSentenceEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = OnnxSentenceEncoder.loadDefault();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static double cos(float[] a, float[] b) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }

    @Test
    void reproducesTheSentenceTransformersSimilarity() throws Exception {
        RequestExecutor ex = new RequestExecutor(encoder, ExecutorOptions.DEFAULT);
        EmbeddingRequest a = new EmbeddingRequest("A man is eating food.", Pooling.MEAN, true);
        EmbeddingRequest b = new EmbeddingRequest("A man is eating a piece of bread.", Pooling.MEAN, true);
        List<float[]> v = ex.executeAll(List.of(a, b), ProgressListener.NONE);
        assertEquals(384, v.get(0).length);
        assertEquals(0.7553, cos(v.get(0), v.get(1)), 5e-4);
    }

    @Test
    void paddingDoesNotChangeAVector() throws Exception {
        int[] shortIds = encoder.tokenizer().encode("A man.").ids();
        int[] longIds = encoder.tokenizer()
                .encode("A man is eating a piece of bread with a fork.")
                .ids();
        float[] alone = encoder.embed(List.of(shortIds), Pooling.MEAN).get(0);
        float[] padded = encoder.embed(List.of(shortIds, longIds), Pooling.MEAN).get(0);
        for (int i = 0; i < alone.length; i++) {
            assertEquals(alone[i], padded[i], 1e-4);
        }
    }

    @Test
    void recordsProvenance() {
        assertEquals(ModelKind.ENCODER, encoder.info().kind());
        assertTrue(encoder.info().weightsSha256().matches("[0-9a-f]{64}"));
        assertTrue(encoder.info().backend().startsWith("onnxruntime"));
    }
}
