package org.unmask.models.djl.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbQuery.Read;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.TokenScorer;
import org.unmask.core.testing.RealModel;
import org.unmask.models.Backend;
import org.unmask.models.ModelLoader;
import org.unmask.models.safetensors.DType;
import org.unmask.models.safetensors.SafetensorsWriter;
import org.unmask.models.safetensors.SafetensorsWriter.TensorSpec;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;
import org.unmask.models.source.ModelResolver;

/**
 * RoBERTa and DistilBERT differ from BERT only in names, position ids and token types. The first
 * layer of the real BERT re-packed under each family's names and conventions must give BERT's own
 * numbers on both backends; this checks the name maps and position handling (not parity with HF's
 * RoBERTa/DistilBERT code, for which no weights are available here).
 */
@RealModel
class BertFamilyTest {
    private static final int PAD = 1; // RoBERTa's padding id, so positions start at 2

    @TempDir
    static Path dir;

    private static Path bert;
    private static Path roberta;
    private static Path distil;

    @BeforeAll
    static void repack() throws IOException, UnmaskException {
        Path src = new ModelResolver().resolve(null).dir();
        try (ShardedCheckpoint ck = ShardedCheckpoint.open(src)) {
            bert = write(src, ck, "bert", Map.of("model_type", "bert", "architectures", "BertForMaskedLM"), n -> n, 0);
            roberta = write(
                    src,
                    ck,
                    "roberta",
                    Map.of("model_type", "roberta", "architectures", "RobertaForMaskedLM"),
                    n -> n.replace("bert.", "roberta.")
                            .replace("cls.predictions.transform.LayerNorm", "lm_head.layer_norm")
                            .replace("cls.predictions.transform.", "lm_head.")
                            .replace("cls.predictions.bias", "lm_head.bias"),
                    PAD + 1);
            distil = write(
                    src,
                    ck,
                    "distilbert",
                    Map.of("model_type", "distilbert", "architectures", "DistilBertForMaskedLM"),
                    BertFamilyTest::distilName,
                    0);
        }
    }

    @Test
    void robertaAndDistilbertNamesGiveBertsNumbersOnBothBackends() throws UnmaskException {
        for (Backend b : Backend.values()) {
            List<LogProbs> ref = score(bert, b);
            assertSame(ref, score(roberta, b), "roberta/" + b);
            assertSame(ref, score(distil, b), "distilbert/" + b);
        }
    }

    private static void assertSame(List<LogProbs> a, List<LogProbs> b, String what) {
        for (int q = 0; q < a.size(); q++) {
            for (int i = 0; i < 10; i++) {
                assertEquals(a.get(q).topIds()[i], b.get(q).topIds()[i], what);
                assertEquals(a.get(q).topLogProbs()[i], b.get(q).topLogProbs()[i], 2e-5, what);
            }
        }
    }

    private static List<LogProbs> score(Path model, Backend backend) throws UnmaskException {
        try (LanguageModel lm = ModelLoader.load(model.toString(), backend)) {
            TokenScorer s = (TokenScorer) lm;
            List<LogProbQuery> qs = new ArrayList<>();
            for (String t :
                    new String[] {"The nurse said [MASK] was late.", "A [MASK] fixed the long broken old car."}) {
                int[] ids = s.tokenizer().encode(t).ids();
                int p = 0;
                while (ids[p] != s.tokenizer().maskTokenId()) {
                    p++;
                }
                qs.add(new LogProbQuery(ids, List.of(new Read(p, 10, new int[0]))));
            }
            return s.score(qs).stream().map(l -> l.get(0)).toList();
        }
    }

    private static String distilName(String n) {
        return n.replace("bert.embeddings.", "distilbert.embeddings.")
                .replace("bert.encoder.layer.", "distilbert.transformer.layer.")
                .replace("attention.self.query", "attention.q_lin")
                .replace("attention.self.key", "attention.k_lin")
                .replace("attention.self.value", "attention.v_lin")
                .replace("attention.output.dense", "attention.out_lin")
                .replace("attention.output.LayerNorm", "sa_layer_norm")
                .replace("intermediate.dense", "ffn.lin1")
                .replace("output.dense", "ffn.lin2")
                .replace("output.LayerNorm", "output_layer_norm")
                .replace("cls.predictions.transform.dense", "vocab_transform")
                .replace("cls.predictions.transform.LayerNorm", "vocab_layer_norm")
                .replace("cls.predictions.bias", "vocab_projector.bias");
    }

    /** One-layer copy of BERT under another family's names; positions shifted by {@code posShift}. */
    private static Path write(
            Path src,
            ShardedCheckpoint ck,
            String name,
            Map<String, String> cfg,
            java.util.function.UnaryOperator<String> rename,
            int posShift)
            throws IOException, UnmaskException {
        Path out = Files.createDirectories(dir.resolve(name));
        boolean distilbert = name.equals("distilbert");
        Map<String, float[]> tensors = new LinkedHashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        float[] type0 = java.util.Arrays.copyOf(ck.readFloats("bert.embeddings.token_type_embeddings.weight"), 768);
        for (TensorInfo t : ck.tensors().values()) {
            String n = t.name();
            boolean keep = n.startsWith("bert.embeddings.")
                    || n.startsWith("bert.encoder.layer.0.")
                    || n.startsWith("cls.predictions.");
            if (!keep || (distilbert && n.contains("token_type"))) {
                continue;
            }
            float[] v = ck.readFloats(n);
            long[] shape = t.shape();
            if (n.equals("bert.embeddings.position_embeddings.weight")) {
                // DistilBERT has no token types: fold type 0 into the positions; RoBERTa: shift the rows
                float[] moved = new float[v.length];
                for (int p = 0; p + posShift < 512; p++) {
                    for (int j = 0; j < 768; j++) {
                        moved[(p + posShift) * 768 + j] = v[p * 768 + j] + (distilbert ? type0[j] : 0);
                    }
                }
                v = moved;
            }
            tensors.put(rename.apply(n), v);
            specs.add(new TensorSpec(rename.apply(n), DType.F32, shape));
        }
        try (SafetensorsWriter w = SafetensorsWriter.create(out.resolve("model.safetensors"), specs, Map.of())) {
            for (TensorSpec s : specs) {
                w.writeFloats(s.name(), tensors.get(s.name()));
            }
            w.commit();
        }
        String config = distilbert
                ? "{\"architectures\":[\"%s\"],\"model_type\":\"%s\",\"dim\":768,\"n_layers\":1,\"n_heads\":12,"
                        + "\"hidden_dim\":3072,\"max_position_embeddings\":512,\"vocab_size\":30522,\"activation\":\"gelu\","
                        + "\"pad_token_id\":0}"
                : "{\"architectures\":[\"%s\"],\"model_type\":\"%s\",\"hidden_size\":768,\"num_hidden_layers\":1,"
                        + "\"num_attention_heads\":12,\"intermediate_size\":3072,\"max_position_embeddings\":512,"
                        + "\"vocab_size\":30522,\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\",\"pad_token_id\":"
                        + (posShift > 0 ? PAD : 0) + "}";
        Files.writeString(
                out.resolve("config.json"), String.format(config, cfg.get("architectures"), cfg.get("model_type")));
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
            Files.copy(src.resolve(f), out.resolve(f));
        }
        return out;
    }
}
