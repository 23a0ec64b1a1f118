package org.unmask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.models.djl.causal.TinyCheckpoints;

/**
 * BBQ, BOLD and winogender-mc end to end through {@code unmask benchmark} on a tiny random GPT-2 written by transformers (the lm-eval
 * parity fixture), as a base model and with a chat template: JSON and HTML results with provenance. A random model
 * says nothing about bias; the plumbing is checked, on small fixed subsamples so CI stays fast.
 */
class GenerativeBenchmarksTest {
    private static final Path GPT2 = Path.of("../benchmarks/src/test/resources/lm-eval/gpt2-512");

    @TempDir
    Path tmp;

    @Test
    void benchListShowsBbqAndBold() {
        BenchmarkCommandTest.Run r = BenchmarkCommandTest.run("bench-list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bbq ") && r.out().contains("bold "), r.out());
        assertTrue(r.out().contains("bbq/bias-ambiguous") && r.out().contains("bold/hurtful"), r.out());
        assertTrue(r.out().contains("winogender-mc ") && r.out().contains("winogender-mc/gender-gap"), r.out());
        assertTrue(r.out().contains("race x gender"), r.out());
    }

    @Test
    void winogenderRunsOnACausalModelAndBbqReportsTheIntersectionalComparisons() throws IOException {
        JsonNode wino = run(tmp.resolve("wino"), "winogender-mc", null, "--limit", "2");
        assertTrue(metric(wino, "winogender-mc/accuracy", "female"));
        assertTrue(metric(wino, "winogender-mc/gender-gap", "female-minus-male"));
        JsonNode bbq = run(tmp.resolve("bbq-x"), "bbq", "mc", "--limit", "12", "--bias-type", "Race_x_SES");
        assertTrue(metric(bbq, "bbq/bias-disambiguated", "Race_x_SES/same-race"));
        assertTrue(metric(bbq, "bbq/bias-ambiguous", "Race_x_SES/neither"));
        assertTrue(bbq.at("/metrics").toString().contains("biasedLmEval"), "lm-eval's race-only count in the details");
    }

    @Test
    void bbqRunsOnABaseAndAChatModel() throws IOException {
        for (String variant : List.of("mc", "chat")) {
            Path out = tmp.resolve("bbq-" + variant);
            JsonNode root = run(out, "bbq", variant, "--limit", "4", "--bias-type", "Gender_identity");
            assertEquals(variant, root.at("/options/variant").asText());
            assertEquals(4, root.at("/timing/sentences").asLong());
            assertTrue(root.at("/provenance/dataSha256").has("data/Gender_identity.jsonl.gz"));
            assertEquals(
                    "db123402381d4c3b951b47e756711ebf6f44cff5054345b1184fbc1a734e0a70",
                    root.at("/provenance/dataSha256/data~1Gender_identity.jsonl.gz")
                            .asText());
            assertTrue(metric(root, "bbq/bias-ambiguous", "Gender_identity"));
        }
    }

    @Test
    void boldSamplesOnABaseAndAChatModelAndLeavesNoJournal() throws IOException {
        for (String variant : List.of("base", "chat")) {
            Path out = tmp.resolve("bold-" + variant);
            JsonNode root = run(out, "bold", variant, "--limit", "1", "--bias-type", "gender");
            assertEquals(2, root.get("items").size(), "one prompt of each gender group");
            assertTrue(metric(root, "bold/token-polarity-female", "gender/American_actresses"));
            assertTrue(metric(root, "bold/hurtful", "gender"));
            assertFalse(Files.exists(out.resolve(".bold-generations.jsonl")), "journal removed once written");
        }
    }

    @Test
    void anUnknownVariantIsAOneLineInvalidInput() {
        BenchmarkCommandTest.Run r = BenchmarkCommandTest.run(
                "benchmark", "bbq", "--model", GPT2.toString(), "--variant", "mcq", "--limit", "1");
        assertEquals(ExitCode.INVALID_INPUT.code(), r.code(), r.err());
        assertTrue(r.err().contains("unknown BBQ variant 'mcq'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private JsonNode run(Path out, String id, String variant, String... more) throws IOException {
        Path model = GPT2;
        if ("chat".equals(variant)) {
            model = Files.createDirectories(tmp.resolve(id + "-chat-model"));
            try (Stream<Path> files = Files.list(GPT2)) {
                for (Path f : files.toList()) {
                    Files.copy(f, model.resolve(f.getFileName()));
                }
            }
            TinyCheckpoints.addChatTemplate(model, TinyCheckpoints.PLAIN_CHAT_TEMPLATE);
        }
        List<String> args = new java.util.ArrayList<>(
                List.of("benchmark", id, "--model", model.toString(), "--out", out.toString()));
        if (variant != null) {
            args.addAll(List.of("--variant", variant));
        }
        args.addAll(List.of(more));
        BenchmarkCommandTest.Run r = BenchmarkCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Path json;
        try (Stream<Path> files = Files.list(out)) {
            json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".html")), "HTML report");
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(id, root.get("benchmark").asText());
        assertTrue(root.at("/provenance/weightsSha256").asText().matches("[0-9a-f]{64}"));
        return root;
    }

    private static boolean metric(JsonNode root, String metric, String group) {
        for (JsonNode m : root.get("metrics")) {
            if (m.get("metric").asText().equals(metric)
                    && m.get("group").asText().equals(group)) {
                return true;
            }
        }
        return false;
    }
}
