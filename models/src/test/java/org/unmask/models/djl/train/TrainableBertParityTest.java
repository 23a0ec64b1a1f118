package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.djl.DjlRuntime;
import org.unmask.models.djl.Weights;
import org.unmask.models.safetensors.ShardedCheckpoint;

/** The training forward (eval mode) computes the same MLM log-probabilities as the inference backends. */
class TrainableBertParityTest {
    @TempDir
    Path dir;

    @Test
    void evalLossEqualsMeanNegativeLogProbOfTheInferenceModels() throws Exception {
        Path folder = TinyModelFolder.write(dir.resolve("tiny"));
        List<int[]> rows = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 3; i++) {
            int[] s = new int[7 + i];
            s[0] = 2;
            s[s.length - 1] = 3;
            for (int t = 1; t < s.length - 1; t++) {
                s[t] = 5 + r.nextInt(TinyModelFolder.WORDS.size());
            }
            rows.add(s);
        }
        MaskedBatch batch = new MlmMasking(0.4, 4, 0, TinyModelFolder.config().vocab(), java.util.Set.of(0, 2, 3))
                .mask(rows, new SplittableRandom(9));
        double trainLoss;
        try (NDManager m = DjlRuntime.newManager();
                ShardedCheckpoint ck = ShardedCheckpoint.open(folder)) {
            TrainableBert model = TrainableBert.of(
                    m, Weights.load(m, ck), TinyModelFolder.config(), org.unmask.models.djl.DropoutRates.uniform(0.1f));
            try (NDManager s = m.newSubManager()) {
                trainLoss = model.mlmLoss(s, batch, false).getFloat();
            }
        }
        for (Backend backend : List.of(Backend.TORCH, Backend.ONNX)) {
            try (LanguageModel lm = ModelLoader.load(folder.toString(), backend)) {
                double sum = 0;
                int n = 0;
                List<LogProbQuery> queries = new ArrayList<>();
                List<int[]> targets = new ArrayList<>();
                for (int b = 0; b < batch.batchSize(); b++) {
                    int len = batch.lengths()[b];
                    int[] ids = new int[len];
                    List<LogProbQuery.Read> reads = new ArrayList<>();
                    List<Integer> tgt = new ArrayList<>();
                    for (int t = 0; t < len; t++) {
                        int i = b * batch.length() + t;
                        ids[t] = (int) batch.inputIds()[i];
                        if (batch.labels()[i] != MaskedBatch.IGNORE) {
                            reads.add(new LogProbQuery.Read(t, 0, new int[] {batch.labels()[i]}));
                            tgt.add(batch.labels()[i]);
                        }
                    }
                    queries.add(new LogProbQuery(ids, reads));
                    targets.add(tgt.stream().mapToInt(Integer::intValue).toArray());
                }
                for (List<LogProbs> answers : ((TokenScorer) lm).score(queries)) {
                    for (LogProbs lp : answers) {
                        sum -= lp.tokenLogProbs()[0];
                        n++;
                    }
                }
                assertTrue(n == batch.labelledCount() && n > 0);
                assertEquals(sum / n, trainLoss, 2e-5, backend + " vs the training forward");
            }
        }
    }
}
