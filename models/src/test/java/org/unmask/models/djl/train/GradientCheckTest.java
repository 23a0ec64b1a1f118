package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unmask.models.djl.DjlRuntime;

/** Autograd through the trainable BERT agrees with central finite differences (float64, dropout off). */
class GradientCheckTest {
    @Test
    void autogradMatchesFiniteDifferencesOnATinyBert() throws Exception {
        DjlRuntime.engine();
        try (NDManager m = DjlRuntime.newManager()) {
            TrainableBert model = TrainableBert.random(m, TinyBert.CONFIG, 11, DataType.FLOAT64, 0f);
            MaskedBatch batch = TinyBert.masking(0.4).mask(TinyBert.sequences(3, 5), new SplittableRandom(2));
            try (NDManager s = m.newSubManager();
                    GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(model.mlmLoss(s, batch, false));
            }
            JniUtils.setGradMode(false);
            List<String> names = List.of(
                    "bert.embeddings.word_embeddings.weight",
                    "bert.embeddings.position_embeddings.weight",
                    "bert.embeddings.LayerNorm.weight",
                    "bert.encoder.layer.0.attention.self.query.weight",
                    "bert.encoder.layer.0.attention.self.key.bias",
                    "bert.encoder.layer.1.intermediate.dense.weight",
                    "bert.encoder.layer.1.output.LayerNorm.bias",
                    "cls.predictions.transform.dense.weight",
                    "cls.predictions.bias");
            SplittableRandom pick = new SplittableRandom(3);
            double h = 1e-6;
            double worst = 0;
            int checked = 0;
            for (String name : names) {
                NDArray p = model.trainable().get(name);
                double[] grad = p.getGradient().toDoubleArray();
                double[] w = p.toDoubleArray();
                for (int k = 0; k < 4; k++) {
                    int i = largestOrRandom(grad, pick, k);
                    double orig = w[i];
                    w[i] = orig + h;
                    p.set(w);
                    double up = loss(m, model, batch);
                    w[i] = orig - h;
                    p.set(w);
                    double down = loss(m, model, batch);
                    w[i] = orig;
                    p.set(w);
                    double fd = (up - down) / (2 * h);
                    // relative error, except for tiny gradients where the finite difference's round-off
                    // (loss ~4 x 1e-16 / h = 4e-10) dominates: there an absolute 1e-8 is the meaningful bound
                    double abs = Math.abs(fd - grad[i]);
                    double err = abs < 1e-8 ? 0 : abs / (Math.abs(fd) + Math.abs(grad[i]));
                    worst = Math.max(worst, err);
                    checked++;
                    assertTrue(err < 1e-5, name + "[" + i + "]: autograd " + grad[i] + " vs finite difference " + fd);
                }
            }
            assertTrue(checked == 36 && worst < 1e-5);
        }
    }

    /** The entry with the largest gradient first (a meaningful check), then random ones. */
    private static int largestOrRandom(double[] g, SplittableRandom r, int k) {
        if (k > 0) {
            return r.nextInt(g.length);
        }
        int best = 0;
        for (int i = 1; i < g.length; i++) {
            if (Math.abs(g[i]) > Math.abs(g[best])) {
                best = i;
            }
        }
        return best;
    }

    private static double loss(NDManager m, TrainableBert model, MaskedBatch batch) {
        try (NDManager s = m.newSubManager()) {
            return model.mlmLoss(s, batch, false).getDouble();
        }
    }
}
