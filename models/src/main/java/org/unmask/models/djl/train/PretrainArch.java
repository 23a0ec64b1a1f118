package org.unmask.models.djl.train;

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
