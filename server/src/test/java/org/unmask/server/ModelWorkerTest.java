package org.unmask.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.server.model.BatchingOptions;
import org.unmask.server.model.ModelWorker;
import org.unmask.server.model.WorkerBusyException;
import org.unmask.server.testing.FakeMaskedLm;

class ModelWorkerTest {
    private static final String[] WORDS = {"man", "woman", "father", "mother", "son", "daughter", "boy", "girl"};

    private static List<CompletableFuture<Map<ModelRequest<?>, Object>>> submitEight(ModelWorker w)
            throws WorkerBusyException {
        List<CompletableFuture<Map<ModelRequest<?>, Object>>> out = new ArrayList<>();
        for (String word : WORDS) {
            out.add(w.submit(List.of(MaskFillRequest.topK("the " + word + " is a [MASK].", 3))));
        }
        return out;
    }

    @Test
    void concurrentSubmissionsShareOneModelCall() throws Exception {
        ScriptedMaskedLm lm = FakeMaskedLm.create(30, 0);
        try (ModelWorker w = new ModelWorker(
                new RequestExecutor(lm, new ExecutorOptions(32, 0)), new BatchingOptions(true, 20, 64, 64))) {
            // the first submission occupies the model for 30 ms while the other seven queue up
            List<CompletableFuture<Map<ModelRequest<?>, Object>>> fs = submitEight(w);
            for (int i = 0; i < fs.size(); i++) {
                MaskFillResult r =
                        (MaskFillResult) fs.get(i).get().values().iterator().next();
                assertEquals(3, r.slot().top().size());
            }
            assertTrue(lm.batchSizes().size() <= 3, "8 submissions in " + lm.batchSizes());
            assertEquals(8, lm.batchSizes().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void disabledBatchingRunsEverySubmissionAlone() throws Exception {
        ScriptedMaskedLm lm = FakeMaskedLm.create(5, 0);
        try (ModelWorker w = new ModelWorker(
                new RequestExecutor(lm, new ExecutorOptions(32, 0)), new BatchingOptions(false, 20, 64, 64))) {
            for (CompletableFuture<Map<ModelRequest<?>, Object>> f : submitEight(w)) {
                f.get();
            }
            assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1), lm.batchSizes());
        }
    }

    @Test
    void oneBadSubmissionFailsAloneWhenBatchedWithGoodOnes() throws Exception {
        ScriptedMaskedLm lm = FakeMaskedLm.create(30, 0);
        try (ModelWorker w = new ModelWorker(
                new RequestExecutor(lm, new ExecutorOptions(32, 0)), new BatchingOptions(true, 20, 64, 64))) {
            var first = w.submit(List.of(MaskFillRequest.topK("the man is a [MASK].", 2)));
            var bad = w.submit(List.of(MaskFillRequest.topK("no mask in this one", 2)));
            var good = w.submit(List.of(MaskFillRequest.topK("the woman is a [MASK].", 2)));
            first.get();
            ExecutionException e = assertThrows(ExecutionException.class, bad::get);
            assertInstanceOf(InvalidInputException.class, e.getCause());
            assertEquals(1, good.get().size());
        }
    }

    @Test
    void fullQueueRefusesInsteadOfGrowing() throws Exception {
        ScriptedMaskedLm lm = FakeMaskedLm.create(200, 0);
        try (ModelWorker w = new ModelWorker(
                new RequestExecutor(lm, new ExecutorOptions(32, 0)), new BatchingOptions(false, 0, 1, 2))) {
            w.submit(List.of(MaskFillRequest.topK("the man is a [MASK].", 1)));
            Thread.sleep(50); // the model thread has taken it and is busy
            w.submit(List.of(MaskFillRequest.topK("the boy is a [MASK].", 1)));
            w.submit(List.of(MaskFillRequest.topK("the girl is a [MASK].", 1)));
            assertThrows(
                    WorkerBusyException.class,
                    () -> w.submit(List.of(MaskFillRequest.topK("the son is a [MASK].", 1))));
        }
    }
}
