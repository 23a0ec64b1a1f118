package org.unmask.models.djl.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.unmask.core.io.AtomicFiles;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;

/**
 * The one place where a model is initialised from scratch (so the scheme can be switched to the shared trainer's
 * init without touching the pretraining job). It follows Hugging Face's {@code BertPreTrainedModel._init_weights}
 * for {@code BertForMaskedLM}: every Linear and Embedding weight drawn from normal(0, {@code initializer_range} =
 * 0.02), Linear biases 0, the padding row of the word embeddings 0, LayerNorm weight 1 and bias 0, the MLM output
 * bias 0, the decoder tied to the word embeddings (not stored, as in HF's safetensors) and no pooler (HF's
 * {@code BertForMaskedLM} has none). Draws come from Java's {@link SplittableRandom} seeded by the run seed, so an
 * init is reproducible bit for bit here but not equal to torch's generator; the distribution is HF's.
 */
public final class ScratchInit {
    /** HF's {@code initializer_range} default for BERT. */
    public static final double INITIALIZER_RANGE = 0.02;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScratchInit() {}

    /**
     * The {@code config.json} of a BertForMaskedLM of {@code arch} over a vocabulary of {@code vocab} ids.
     *
     * @param dropout hidden and attention dropout recorded in the config (what HF would train with)
     */
    public static ObjectNode bertConfig(PretrainArch arch, int vocab, int padId, double dropout) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("BertForMaskedLM");
        c.put("model_type", "bert");
        c.put("attention_probs_dropout_prob", dropout);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", dropout);
        c.put("hidden_size", arch.hidden());
        c.put("initializer_range", INITIALIZER_RANGE);
        c.put("intermediate_size", arch.intermediate());
        c.put("layer_norm_eps", 1e-12);
        c.put("max_position_embeddings", arch.maxPositions());
        c.put("num_attention_heads", arch.heads());
        c.put("num_hidden_layers", arch.layers());
        c.put("pad_token_id", padId);
        c.put("position_embedding_type", "absolute");
        c.put("tie_word_embeddings", true);
        c.put("type_vocab_size", 2);
        c.put("vocab_size", vocab);
        return c;
    }

    /**
     * Writes a freshly initialised BertForMaskedLM as {@code dir/config.json} + {@code dir/model.safetensors}.
     *
     * @param seed init seed (the run seed: the same seed gives the same initial weights)
     */
    public static void writeBert(Path dir, PretrainArch arch, int vocab, int padId, double dropout, long seed)
            throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(
                dir.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(bertConfig(arch, vocab, padId, dropout)));
        Map<String, long[]> shapes = bertShapes(arch, vocab);
        List<TensorSpec> specs = new ArrayList<>();
        shapes.forEach((n, s) -> specs.add(new TensorSpec(n, DType.F32, s)));
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, 0x1417L));
        try (SafetensorsWriter w = SafetensorsWriter.create(
                dir.resolve("model.safetensors"), specs, Map.of("producer", "unmask pretrain (scratch init)"))) {
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                w.writeFloats(e.getKey(), init(e.getKey(), e.getValue(), padId, rnd));
            }
            w.commit();
        }
    }

    /** HF tensor names and shapes of a BertForMaskedLM, in checkpoint order. */
    static Map<String, long[]> bertShapes(PretrainArch arch, int vocab) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long h = arch.hidden();
        long ff = arch.intermediate();
        String e = "bert.embeddings.";
        m.put(e + "word_embeddings.weight", new long[] {vocab, h});
        m.put(e + "position_embeddings.weight", new long[] {arch.maxPositions(), h});
        m.put(e + "token_type_embeddings.weight", new long[] {2, h});
        m.put(e + "LayerNorm.weight", new long[] {h});
        m.put(e + "LayerNorm.bias", new long[] {h});
        for (int i = 0; i < arch.layers(); i++) {
            String l = "bert.encoder.layer." + i + ".";
            for (String n : List.of("attention.self.query", "attention.self.key", "attention.self.value")) {
                m.put(l + n + ".weight", new long[] {h, h});
                m.put(l + n + ".bias", new long[] {h});
            }
            m.put(l + "attention.output.dense.weight", new long[] {h, h});
            m.put(l + "attention.output.dense.bias", new long[] {h});
            m.put(l + "attention.output.LayerNorm.weight", new long[] {h});
            m.put(l + "attention.output.LayerNorm.bias", new long[] {h});
            m.put(l + "intermediate.dense.weight", new long[] {ff, h});
            m.put(l + "intermediate.dense.bias", new long[] {ff});
            m.put(l + "output.dense.weight", new long[] {h, ff});
            m.put(l + "output.dense.bias", new long[] {h});
            m.put(l + "output.LayerNorm.weight", new long[] {h});
            m.put(l + "output.LayerNorm.bias", new long[] {h});
        }
        m.put("cls.predictions.transform.dense.weight", new long[] {h, h});
        m.put("cls.predictions.transform.dense.bias", new long[] {h});
        m.put("cls.predictions.transform.LayerNorm.weight", new long[] {h});
        m.put("cls.predictions.transform.LayerNorm.bias", new long[] {h});
        m.put("cls.predictions.bias", new long[] {vocab});
        return m;
    }

    /** HF's {@code _init_weights} for one tensor. */
    static float[] init(String name, long[] shape, int padId, SplittableRandom rnd) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[Math.toIntExact(n)];
        if (name.contains("LayerNorm")) {
            if (name.endsWith(".weight")) {
                java.util.Arrays.fill(v, 1f);
            }
            return v; // LayerNorm bias 0
        }
        if (name.endsWith(".bias")) {
            return v; // Linear biases and the MLM output bias: 0
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(rnd) * INITIALIZER_RANGE);
        }
        if (name.endsWith("word_embeddings.weight")) {
            int h = (int) shape[1];
            java.util.Arrays.fill(v, padId * h, (padId + 1) * h, 0f); // nn.Embedding(padding_idx=pad_token_id)
        }
        return v;
    }

    /** A standard normal draw (Box–Muller; deterministic in the generator's sequence). */
    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
