package org.unmask.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.unmask.core.error.ModelException;
import org.unmask.core.model.LogProbQuery;
import org.unmask.core.model.LogProbs;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.model.ModelKind;
import org.unmask.core.model.TextGenerator;
import org.unmask.core.model.TextTokenizer;
import org.unmask.core.request.GenerationRequest;

/**
 * A causal "model" whose continuations are a function of the request, so generation measures can be checked
 * against counts known in closed form. It records every request it answers. It scores nothing.
 */
public final class ScriptedGenerator implements TextGenerator {
    private final Function<GenerationRequest, String> script;
    private final List<GenerationRequest> seen = new ArrayList<>();
    private final ModelInfo info = new ModelInfo("scripted-generator", "ScriptedForCausalLM", ModelKind.CAUSAL_LM,
            Path.of("."), "0".repeat(64), "0".repeat(64), "scripted", 64, Map.of());

    public ScriptedGenerator(Function<GenerationRequest, String> script) {
        this.script = script;
    }

    /** The requests answered so far, in order. */
    public List<GenerationRequest> seen() {
        return List.copyOf(seen);
    }

    @Override
    public String generate(GenerationRequest request) {
        seen.add(request);
        return script.apply(request);
    }

    @Override
    public List<List<LogProbs>> score(List<LogProbQuery> batch) throws ModelException {
        throw new ModelException("a scripted generator scores nothing", "use ScriptedMaskedLm for lean measures");
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        throw new UnsupportedOperationException("a scripted generator has no tokenizer");
    }

    @Override
    public void close() {}
}
