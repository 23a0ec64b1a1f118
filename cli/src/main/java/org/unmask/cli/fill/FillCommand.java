package org.unmask.cli.fill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.unmask.app.ExecutorPolicy;
import org.unmask.cli.options.BackendOption;
import org.unmask.cli.options.BatchSizeOption;
import org.unmask.cli.options.JsonOption;
import org.unmask.cli.options.ModelOption;
import org.unmask.cli.options.PrecisionOption;
import org.unmask.cli.options.Range;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.LanguageModel;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.models.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unmask fill}: Hugging Face's fill-mask, with exact multi-piece target scores. */
@Command(
        name = "fill",
        mixinStandardHelpOptions = true,
        resourceBundle = "org.unmask.cli.fill.FillCommand",
        description = {
            "Predict the words behind [MASK], as Hugging Face's fill-mask pipeline.",
            "Targets that split into several word pieces are scored exactly by the chain rule:",
            "P(w) = P(p1 | masks) * P(p2 | p1, mask) * ... (never truncated to the first piece)."
        })
public final class FillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Text(s) with one or more [MASK].")
    List<String> texts = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", description = "Read texts from a file, one per line.")
    Path file;

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(
            names = {"-k", "--top-k"},
            defaultValue = "5",
            description = "Predictions per mask (default ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 1000)
    int topK;

    @Option(
            names = "--targets",
            split = ",",
            paramLabel = "WORD",
            description = "Words whose exact probability to report.")
    List<String> targets = new ArrayList<>();

    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption();

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Override
    public Integer call() throws UnmaskException {
        List<String> all = inputs();
        List<MaskFillRequest> requests = new ArrayList<>();
        for (String t : all) {
            requests.add(new MaskFillRequest(t, topK, targets));
        }
        try (LanguageModel lm = ModelLoader.load(model.ref(), backend.engine(), precision.precision())) {
            RequestExecutor exec = ExecutorPolicy.FILL_MASK.executor(lm, batchSize.value());
            List<MaskFillResult> results = exec.executeAll(requests, (d, n, u) -> {});
            PrintWriter out = spec.commandLine().getOut();
            if (json.on()) {
                out.println(FillOutput.json(all, results));
            } else {
                out.print(FillOutput.table(all, results));
            }
            out.flush();
        }
        return 0;
    }

    private List<String> inputs() throws InvalidInputException {
        List<String> all = new ArrayList<>(texts);
        if (file != null) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (!line.contains(MaskFillRequest.MASK)) {
                        throw new InvalidInputException(
                                file + ":" + (i + 1) + ": no [MASK] in \"" + line + "\"",
                                "every non-empty line needs at least one [MASK]");
                    }
                    all.add(line);
                }
            } catch (IOException e) {
                throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), "check the path");
            }
        }
        if (all.isEmpty()) {
            throw new InvalidInputException("no text given", "unmask fill \"This man works as a [MASK].\"");
        }
        return all;
    }

    /** Renders results as HF-style JSON or a readable table. */
    static final class FillOutput {
        private static final ObjectMapper JSON = new ObjectMapper();

        private FillOutput() {}

        static String json(List<String> texts, List<MaskFillResult> results) {
            ArrayNode root = JSON.createArrayNode();
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode item = root.addObject();
                item.put("text", texts.get(i));
                ArrayNode masks = item.putArray("masks");
                for (MaskFillResult.Slot s : results.get(i).slots()) {
                    ObjectNode slot = masks.addObject();
                    slot.put("mask_index", s.index());
                    ArrayNode preds = slot.putArray("predictions");
                    for (MaskFillResult.Candidate c : s.top()) {
                        preds.addObject()
                                .put("score", c.score())
                                .put("token", c.tokenId())
                                .put("token_str", c.token())
                                .put("sequence", c.sequence());
                    }
                    ArrayNode tg = slot.putArray("targets");
                    for (MaskFillResult.TargetScore t : s.targets()) {
                        ObjectNode o = tg.addObject()
                                .put("word", t.word())
                                .put("score", t.probability())
                                .put("log_prob", t.logProb());
                        ArrayNode pieces = o.putArray("pieces");
                        t.pieces().forEach(pieces::add);
                        o.put("method", t.pieces().size() == 1 ? "single-piece" : "chain-rule");
                    }
                }
            }
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static String table(List<String> texts, List<MaskFillResult> results) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < texts.size(); i++) {
                sb.append(texts.get(i)).append('\n');
                for (MaskFillResult.Slot s : results.get(i).slots()) {
                    if (results.get(i).slots().size() > 1) {
                        sb.append("  mask ").append(s.index() + 1).append(":\n");
                    }
                    for (MaskFillResult.Candidate c : s.top()) {
                        sb.append(String.format(
                                "  %8.4f  %6d  %-15s %s%n", c.score(), c.tokenId(), c.token(), c.sequence()));
                    }
                    for (MaskFillResult.TargetScore t : s.targets()) {
                        sb.append(String.format(
                                "  target %-15s p=%.6g  log p=%.4f  pieces=%s%n",
                                t.word(),
                                t.probability(),
                                t.logProb(),
                                Arrays.toString(t.pieces().toArray())));
                    }
                }
            }
            return sb.toString();
        }
    }
}
