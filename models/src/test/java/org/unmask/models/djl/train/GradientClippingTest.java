package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.models.djl.DjlRuntime;

class GradientClippingTest {
    @Test
    void scalesAllGradientsByTheGlobalNormNotPerElement() throws Exception {
        DjlRuntime.engine();
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray a = m.create(new double[] {0, 0});
            NDArray b = m.create(new double[] {0});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (NDManager s = m.newSubManager();
                    GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(
                        a.mul(s.create(new double[] {3, 4})).sum().add(b.mul(12).sum()));
            }
            JniUtils.setGradMode(false);
            double norm = GradientClipping.clip(List.of(a, b), 1.3);
            assertEquals(13, norm, 1e-9);
            double f = 1.3 / (13 + 1e-6);
            assertArrayEquals(new double[] {3 * f, 4 * f}, a.getGradient().toDoubleArray(), 1e-9);
            assertArrayEquals(new double[] {12 * f}, b.getGradient().toDoubleArray(), 1e-9);
            // below the threshold nothing changes
            assertEquals(1.3, GradientClipping.clip(List.of(a, b), 5), 1e-6);
            assertArrayEquals(new double[] {12 * f}, b.getGradient().toDoubleArray(), 1e-9);
        }
    }
}
