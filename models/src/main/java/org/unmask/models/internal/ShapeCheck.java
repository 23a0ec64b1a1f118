package org.unmask.models.internal;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.core.error.ModelException;
import org.unmask.models.config.ModelConfig;
import org.unmask.models.safetensors.ShardedCheckpoint;
import org.unmask.models.safetensors.TensorInfo;

/**
 * Compares a checkpoint's tensor shapes (from the safetensors headers, nothing is read) with what its
 * {@code config.json} implies, before any tensor code runs: a config that disagrees with its weights would otherwise
 * fail deep inside a native library or, worse, run and give wrong numbers. Errors name the config field(s) and the
 * tensor.
 */
public final class ShapeCheck {
    private final ModelConfig config;
    private final ShardedCheckpoint ckpt;

    public ShapeCheck(ModelConfig config, ShardedCheckpoint ckpt) {
        this.config = config;
        this.ckpt = ckpt;
    }

    /**
     * Requires tensor {@code name} to exist with shape {@code dims}.
     *
     * @param fields the config fields the dimensions come from, e.g. {@code "vocab_size x hidden_size"}
     */
    public void expect(String name, String fields, long... dims) throws ModelException {
        TensorInfo t = ckpt.tensor(name);
        if (!Arrays.equals(t.shape(), dims)) {
            throw new ModelException(
                    config.file() + ": config.json (" + fields + ") implies tensor " + name + " of shape "
                            + Arrays.toString(dims) + ", but the checkpoint's is " + Arrays.toString(t.shape()),
                    "the config.json does not belong to these weights; restore it from the model's source");
        }
    }

    /** As {@link #expect}, when the tensor exists; optional tensors (biases, untied heads) are checked this way. */
    public void expectIfPresent(String name, String fields, long... dims) throws ModelException {
        if (name != null && ckpt.contains(name)) {
            expect(name, fields, dims);
        }
    }

    /**
     * Requires the checkpoint to hold exactly {@code layers} numbered layers, counted from tensor names matching
     * {@code layerName} (group 1 = the layer index); checked before anything allocates per-layer structures.
     */
    public void expectLayers(Pattern layerName, String field, int layers) throws ModelException {
        int count = 0;
        String example = null;
        for (String name : ckpt.tensors().keySet()) {
            Matcher m = layerName.matcher(name);
            if (m.find()) {
                int i;
                try {
                    i = Integer.parseInt(m.group(1));
                } catch (NumberFormatException e) {
                    continue; // an index beyond int range is no layer this code would read
                }
                if (i + 1 > count) {
                    count = i + 1;
                    example = name;
                }
            }
        }
        if (count != layers) {
            throw new ModelException(
                    config.file() + ": field \"" + field + "\" is " + layers
                            + " but the checkpoint has " + count + " layers"
                            + (example == null ? "" : " (tensor " + example + ")"),
                    "the config.json does not belong to these weights; restore it from the model's source");
        }
    }
}
