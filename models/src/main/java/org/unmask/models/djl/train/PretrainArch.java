package org.unmask.models.djl.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;

/**
 * The size of a model pretrained from scratch, by name. The {@code bert-*} names are Google's BERT miniatures
 * (Turc et al. 2019, "Well-Read Students Learn Better"): tiny L2/H128, mini L4/H256, small L4/H512, medium L8/H512,
 * each with H/64 heads and a 4H feed-forward layer; {@code toy} is a CI-sized model (L2/H64) that pretrains in
 * seconds. Every masked model uses bert-base-uncased's WordPiece vocabulary (30,522 ids).
 *
 * @param name the preset name
 * @param causal whether it is a causal (next-token) model; masked (BERT MLM) otherwise
 * @param layers transformer layers
 * @param hidden hidden size
 * @param heads attention heads
 * @param intermediate feed-forward size
 * @param maxPositions position-table size (the longest input the model accepts)
 */
public record PretrainArch(
        String name, boolean causal, int layers, int hidden, int heads, int intermediate, int maxPositions) {

    private static final Map<String, PretrainArch> PRESETS = presets();

    public PretrainArch {
        if (layers < 1 || hidden < 8 || heads < 1 || hidden % heads != 0 || intermediate < 1 || maxPositions < 8) {
            throw new IllegalArgumentException("inconsistent architecture " + name);
        }
    }

    private static Map<String, PretrainArch> presets() {
        Map<String, PretrainArch> m = new LinkedHashMap<>();
        for (PretrainArch a : List.of(
                new PretrainArch("toy", false, 2, 64, 2, 256, 128),
                new PretrainArch("bert-tiny", false, 2, 128, 2, 512, 512),
                new PretrainArch("bert-mini", false, 4, 256, 4, 1024, 512),
                new PretrainArch("bert-small", false, 4, 512, 8, 2048, 512),
                new PretrainArch("bert-medium", false, 8, 512, 8, 2048, 512),
                // the causal presets are known by name so the error can say what is missing, not "unknown"
                new PretrainArch("gpt2-toy", true, 2, 64, 2, 256, 128),
                new PretrainArch("gpt2-small-lab", true, 4, 256, 4, 1024, 512))) {
            m.put(a.name(), a);
        }
        return Map.copyOf(m);
    }

    /** The preset names, masked first. */
    public static List<String> names() {
        return List.of("toy", "bert-tiny", "bert-mini", "bert-small", "bert-medium", "gpt2-toy", "gpt2-small-lab");
    }

    /** The preset {@code name}; an unknown name is invalid input listing the choices. */
    public static PretrainArch of(String name) throws InvalidInputException {
        PretrainArch a = PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new InvalidInputException(
                    "--arch " + name + " is not a known architecture", "choose one of " + String.join(", ", names()));
        }
        return a;
    }

    /** Trainable parameters with a vocabulary of {@code vocab} ids (MLM head included, decoder tied). */
    public long parameters(int vocab) {
        long h = hidden;
        long emb = (vocab + maxPositions + 2L) * h + 2 * h;
        long layer = 4 * (h * h + h) + 2 * h + (h * intermediate + intermediate) + (intermediate * h + h) + 2 * h;
        long head = h * h + h + 2 * h + vocab;
        return emb + layers * layer + head;
    }

    /** HF's {@code initializer_range} default for BERT and GPT-2. */
    public static final double INITIALIZER_RANGE = 0.02;

    /**
     * The {@code config.json} of this architecture over a vocabulary of {@code vocab} ids: a
     * {@code BertForMaskedLM}, or a {@code GPT2LMHeadModel} whose begin/end-of-text ids are the vocabulary's
     * {@code [CLS]}/{@code [SEP]} (the document boundaries of the packed blocks).
     *
     * @param dropout every dropout rate recorded in the config (what the run trains with)
     */
    public ObjectNode config(int vocab, int padId, int clsId, int sepId, double dropout) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        if (causal) {
            c.putArray("architectures").add("GPT2LMHeadModel");
            c.put("model_type", "gpt2");
            c.put("activation_function", "gelu_new");
            c.put("attn_pdrop", dropout);
            c.put("embd_pdrop", dropout);
            c.put("resid_pdrop", dropout);
            c.put("initializer_range", INITIALIZER_RANGE);
            c.put("layer_norm_epsilon", 1e-5);
            c.put("n_ctx", maxPositions);
            c.put("n_embd", hidden);
            c.put("n_head", heads);
            c.put("n_inner", intermediate);
            c.put("n_layer", layers);
            c.put("n_positions", maxPositions);
            c.put("bos_token_id", clsId);
            c.put("eos_token_id", sepId);
            c.put("pad_token_id", padId);
            c.put("tie_word_embeddings", true);
            c.put("vocab_size", vocab);
            return c;
        }
        c.putArray("architectures").add("BertForMaskedLM");
        c.put("model_type", "bert");
        c.put("attention_probs_dropout_prob", dropout);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", dropout);
        c.put("hidden_size", hidden);
        c.put("initializer_range", INITIALIZER_RANGE);
        c.put("intermediate_size", intermediate);
        c.put("layer_norm_eps", 1e-12);
        c.put("max_position_embeddings", maxPositions);
        c.put("num_attention_heads", heads);
        c.put("num_hidden_layers", layers);
        c.put("pad_token_id", padId);
        c.put("position_embedding_type", "absolute");
        c.put("tie_word_embeddings", true);
        c.put("type_vocab_size", 2);
        c.put("vocab_size", vocab);
        return c;
    }

    /** A description for provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("objective", causal ? "causal next-token" : "masked LM");
        m.put("layers", layers);
        m.put("hidden", hidden);
        m.put("heads", heads);
        m.put("intermediate", intermediate);
        m.put("maxPositions", maxPositions);
        return m;
    }
}
