package org.unmask.models.config;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.testing.Mutations;
import org.unmask.models.djl.bert.BertConfig;
import org.unmask.models.djl.bert.BertFamily;
import org.unmask.models.djl.bert.BertShapes;
import org.unmask.models.djl.causal.CausalLmLoader;
import org.unmask.models.djl.causal.DecoderConfig;
import org.unmask.models.djl.causal.DecoderShapes;
import org.unmask.models.fixtures.FixtureCopies;
import org.unmask.models.safetensors.ShardedCheckpoint;

/**
 * Seeded mutations of every fixture's config.json through everything that reads a config before tensors are touched
 * (parsing from bytes, the architecture's validation, the shape check against the fixture's real checkpoint): each
 * must end in a valid config or a clean {@link UnmaskException}, never another exception, never a hang.
 */
class ConfigJsonFuzzTest {
    private static final int MUTATIONS = 3000;
    private static final String[] FIXTURES = {
        "bert-mlm",
        "distilbert-mlm",
        "roberta-mlm",
        "gpt2",
        "llama",
        "llama-tied-mha",
        "llama3-rope-scaling",
        "mistral-sliding",
        "qwen2",
        "olmo",
        "olmo2",
        "bloom"
    };
    private static final Map<String, ShardedCheckpoint> CHECKPOINTS = new LinkedHashMap<>();
    private static final Map<BertFamily, ShardedCheckpoint> BERT = new EnumMap<>(BertFamily.class);

    @BeforeAll
    static void openCheckpoints() throws Exception {
        for (String f : FIXTURES) {
            CHECKPOINTS.put(f, ShardedCheckpoint.open(FixtureCopies.fixture(f)));
        }
        BERT.put(BertFamily.BERT, CHECKPOINTS.get("bert-mlm"));
        BERT.put(BertFamily.DISTILBERT, CHECKPOINTS.get("distilbert-mlm"));
        BERT.put(BertFamily.ROBERTA, CHECKPOINTS.get("roberta-mlm"));
    }

    @AfterAll
    static void closeCheckpoints() {
        CHECKPOINTS.values().forEach(ShardedCheckpoint::close);
        CHECKPOINTS.clear();
        BERT.clear();
    }

    @Test
    void mutatedConfigsEndInAValidConfigOrACleanError() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : FIXTURES) {
            seeds.add(Files.readAllBytes(FixtureCopies.fixture(f).resolve("config.json")));
        }
        Mutations mutations = new Mutations(20_140_014L, seeds);
        Path file = Path.of("fuzz", "config.json");
        int[] valid = {0};
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> mutations.forEach(MUTATIONS, bytes -> {
                    try {
                        if (check(ModelConfig.parse(file, bytes))) {
                            valid[0]++;
                        }
                    } catch (UnmaskException e) {
                        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "an error without a message");
                    }
                }));
        System.out.printf(
                "config.json fuzz: %d mutations, %d valid, %d ms%n",
                MUTATIONS, valid[0], (System.nanoTime() - t0) / 1_000_000);
        // the mutations are meant to explore both sides: some must stay valid
        assertTrue(valid[0] > 0, "no mutation stayed valid; the fuzz only exercised the parser");
    }

    /** Reads and validates the config and checks it against every fixture checkpoint of its family. */
    private static boolean check(ModelConfig c) throws UnmaskException {
        if (CausalLmLoader.handles(c)) {
            DecoderConfig d = DecoderConfig.from(c);
            assertTrue(d.vocab() > 0 && d.hidden() > 0 && d.layers() > 0 && d.heads() > 0 && d.headDim() > 0);
            assertTrue(d.heads() % d.kvHeads() == 0 && d.normEps() > 0 && Double.isFinite(d.ropeTheta()));
            DecoderShapes.check(
                    c,
                    d,
                    CHECKPOINTS.get(
                            switch (c.architecture()) {
                                case "GPT2LMHeadModel" -> "gpt2";
                                case "MistralForCausalLM" -> "mistral-sliding";
                                case "Qwen2ForCausalLM" -> "qwen2";
                                case "OlmoForCausalLM" -> "olmo";
                                case "Olmo2ForCausalLM" -> "olmo2";
                                case "BloomForCausalLM" -> "bloom";
                                default -> "llama";
                            }));
            return true;
        }
        if (BertFamily.of(c).isPresent()) {
            BertConfig b = BertConfig.from(c);
            assertTrue(b.hidden() > 0 && b.heads() > 0 && b.hidden() % b.heads() == 0 && b.vocab() > 0);
            assertTrue(b.padId() >= 0 && b.padId() < b.vocab() && b.layerNormEps() > 0);
            BertShapes.check(c, b, BERT.get(b.family()));
            return true;
        }
        return false;
    }
}
