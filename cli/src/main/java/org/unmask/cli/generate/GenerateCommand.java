package org.unmask.cli.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.JsonOption;
import org.unmask.cli.options.PrecisionOption;
import org.unmask.cli.options.Range;
import org.unmask.cli.options.SeedOption;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.request.ChatGenerationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.models.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask generate}: sampled continuations of a prompt from a causal LM, optionally as a chat reply. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.generate.GenerateCommand",
        description = {
            "Sample continuations of a prompt from a causal language model (seeded: same seed, same text).",
            "With --chat the prompt is the user's message, formatted with the model's chat template."
        })
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "PROMPT",
            description = "The text to continue (the user message with --chat).")
    String prompt;

    @Option(
            names = {"-m", "--model"},
            required = true,
            paramLabel = "REF",
            description = "Causal model folder or hub id (GPT-2, Llama, Mistral, OLMo, BLOOM).")
    String model;

    @Option(
            names = "-n",
            defaultValue = "1",
            description = "Samples to draw (default ${DEFAULT-VALUE}); sample i uses " + "seed + i.")
    @Range(min = 1, max = 1000)
    int samples;

    @Option(
            names = "--max-new-tokens",
            defaultValue = "30",
            description = "Tokens per sample at most " + "(default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 4096)
    int maxNewTokens;

    @Option(
            names = "--temperature",
            defaultValue = "1",
            description = "Softmax temperature; 0 = greedy " + "(default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    double temperature;

    @Option(
            names = "--top-k",
            defaultValue = "0",
            description = "Keep the k most likely tokens; 0 = all " + "(default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus mass; 1 = off (default ${DEFAULT-VALUE}).")
    @Range(min = 0, minExclusive = true, max = 1)
    double topP;

    @Mixin
    SeedOption seed = new SeedOption(42);

    @Option(names = "--chat", description = "Send the prompt as a user message through the model's chat template.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message before the prompt (needs --chat).")
    String system;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Override
    public Integer call() throws UnmaskException {
        List<ModelRequest<String>> requests = requests();
        try (LanguageModel lm = ModelLoader.load(model, backend.engine(), precision.precision())) {
            RequestExecutor exec = new RequestExecutor(lm, ExecutorOptions.DEFAULT);
            List<String> texts = exec.executeAll(requests, ProgressListener.NONE);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json.on() ? json(lm.info().id(), texts) : table(texts));
            out.flush();
        }
        return 0;
    }

    /** One request per sample, checked here so that bad options fail before a model is loaded. */
    List<ModelRequest<String>> requests() throws InvalidInputException {
        if (prompt.isEmpty() && chat) {
            throw new InvalidInputException("empty message", "give the user's message, e.g. \"Who works as a nurse?\"");
        }
        if (system != null && !chat) {
            throw new InvalidInputException("--system needs --chat", "add --chat to send the prompt as a chat");
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        List<ModelRequest<String>> out = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            GenerationRequest g =
                    new GenerationRequest(chat ? "" : prompt, maxNewTokens, temperature, topK, topP, seed.value() + i);
            out.add(chat ? new ChatGenerationRequest(messages, g) : g);
        }
        return out;
    }

    private String table(List<String> texts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            b.append(texts.size() > 1 ? "[" + (i + 1) + "] " : "")
                    .append(chat ? "" : prompt)
                    .append(texts.get(i));
            if (i + 1 < texts.size()) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    private String json(String modelId, List<String> texts) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("model", modelId).put("prompt", prompt).put("chat", chat);
        if (system != null) {
            root.put("system", system);
        }
        root.putObject("settings")
                .put("max_new_tokens", maxNewTokens)
                .put("temperature", temperature)
                .put("top_k", topK)
                .put("top_p", topP)
                .put("seed", seed.value());
        ArrayNode arr = root.putArray("samples");
        for (int i = 0; i < texts.size(); i++) {
            arr.addObject().put("seed", seed.value() + i).put("continuation", texts.get(i));
        }
        return root.toPrettyString();
    }
}
