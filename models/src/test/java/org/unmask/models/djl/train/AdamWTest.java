package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unmask.models.djl.DjlRuntime;

class AdamWTest {
    @Test
    void decaysMatricesButNotBiasesAndMatchesTorchAdamW() throws Exception {
        DjlRuntime.engine();
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray w = m.create(new double[] {1, -2});
            NDArray b = m.create(new double[] {0.5});
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("layer.weight", w);
            params.put("layer.bias", b);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            AdamW opt = new AdamW(m, 0.9, 0.999, 1e-8, 0.01);
            double[] expW = {1, -2};
            double expB = 0.5;
            for (int step = 0; step < 2; step++) {
                try (NDManager s = m.newSubManager();
                        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray c = s.create(new double[] {0.5, -4});
                    gc.backward(w.mul(c).sum().add(b.mul(3).sum()));
                }
                JniUtils.setGradMode(false);
                opt.update(params, 0.1);
                JniUtils.zeroGrad((PtNDArray) w);
                JniUtils.zeroGrad((PtNDArray) b);
                // a constant gradient gives m̂ = g and v̂ = g² at every step: w ← w(1 − lr·λ) − lr·sign(g)
                expW = new double[] {expW[0] * 0.999 - 0.1, expW[1] * 0.999 + 0.1};
                expB = expB - 0.1;
            }
            assertArrayEquals(expW, w.toDoubleArray(), 1e-7);
            assertEquals(expB, b.toDoubleArray()[0], 1e-7);
            assertEquals(2, opt.step());
        }
    }
}
