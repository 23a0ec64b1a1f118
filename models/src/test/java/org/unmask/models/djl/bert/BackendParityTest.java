package org.unmask.models.djl.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.SentenceEncoder;
import org.unmask.core.model.TokenScorer;
import org.unmask.core.testing.RealModel;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;

/** ONNX Runtime over the generated graph and libtorch give the same numbers on the same weights. */
@RealModel
class BackendParityTest {
    @Test
    void onnxAndTorchAgreeOnLogProbsAndEmbeddings() throws UnmaskException {
        String[] texts = {"The nurse said that [MASK] was tired.", "A [MASK] is a person who fixes cars, said the man."
        };
        List<LogProbs> a;
        List<LogProbs> b;
        List<float[]> ea;
        List<float[]> eb;
        try (LanguageModel onnx = ModelLoader.load(null, Backend.ONNX);
                LanguageModel torch = ModelLoader.load(null, Backend.TORCH)) {
            List<LogProbQuery> queries =
                    List.of(query((TokenScorer) onnx, texts[0]), query((TokenScorer) onnx, texts[1]));
            a = ((TokenScorer) onnx).score(queries).stream().map(l -> l.get(0)).toList();
            b = ((TokenScorer) torch).score(queries).stream().map(l -> l.get(0)).toList();
            List<int[]> ids = List.of(queries.get(0).ids(), queries.get(1).ids());
            ea = ((SentenceEncoder) onnx).embed(ids, SentenceEncoder.Pooling.MEAN);
            eb = ((SentenceEncoder) torch).embed(ids, SentenceEncoder.Pooling.MEAN);
        }
        for (int q = 0; q < 2; q++) {
            assertArrayEquals(a.get(q).topIds(), b.get(q).topIds(), "top-20 ids of query " + q);
            for (int i = 0; i < a.get(q).topLogProbs().length; i++) {
                assertEquals(b.get(q).topLogProbs()[i], a.get(q).topLogProbs()[i], 1e-4);
            }
            for (int j = 0; j < ea.get(q).length; j++) {
                assertEquals(eb.get(q)[j], ea.get(q)[j], 1e-4);
            }
        }
    }

    private static LogProbQuery query(TokenScorer m, String text) {
        int[] ids = m.tokenizer()
                .encode(text.replace("[MASK]", m.tokenizer().maskToken()))
                .ids();
        int p = 0;
        while (ids[p] != m.tokenizer().maskTokenId()) {
            p++;
        }
        return new LogProbQuery(ids, List.of(new Read(p, 20, new int[0])));
    }
}
