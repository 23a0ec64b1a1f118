package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.djl.DropoutRates;

/** Next-token labels as HF's causal loss reads them, and each family's dropout rates from its config. */
class CausalBatchesTest {
    private static final int I = MaskedBatch.IGNORE;

    @Test
    void labelsEachPositionWithTheNextTokenAndNeverLabelsPaddingOrTheLastToken() {
        MaskedBatch b = new CausalBatches(9).make(List.of(new int[] {5, 6, 7}, new int[] {8}), null);
        assertEquals(3, b.length());
        assertArrayEquals(new long[] {5, 6, 7, 8, 9, 9}, b.inputIds());
        assertArrayEquals(new int[] {6, 7, I, I, I, I}, b.labels());
        assertArrayEquals(new int[] {3, 1}, b.lengths());
        assertArrayEquals(new long[] {0, 1}, b.labelledRows());
    }

    private static ModelConfig config(String fixture) throws Exception {
        return ModelConfig.read(Path.of(CausalBatchesTest.class
                .getClassLoader()
                .getResource("fixtures/" + fixture)
                .toURI()));
    }

    @Test
    void dropoutRatesAreTheOnesTheConfigNamesUnlessOverridden() throws Exception {
        assertEquals(new DropoutRates(0.1f, 0.1f, 0.1f), TrainableModels.dropout(config("gpt2"), -1));
        assertEquals(new DropoutRates(0f, 0f, 0f), TrainableModels.dropout(config("llama"), -1));
        assertEquals(new DropoutRates(0.1f, 0.1f, 0.1f), TrainableModels.dropout(config("bert-mlm"), -1));
        assertEquals(DropoutRates.uniform(0.3f), TrainableModels.dropout(config("llama"), 0.3));
        assertEquals(DropoutRates.NONE, TrainableModels.dropout(config("distilbert-mlm"), 0));
    }
}
