package org.unmask.probes.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unmask.core.engine.ExecutorOptions;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.stats.Estimate;
import org.unmask.core.testing.ScriptedGenerator;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.Fixtures;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;

/**
 * The generation measure on a scripted generator whose labels are known: nurse continuations are female, except
 * after "The nurse is" at T = 1 (male); carpenter ones male; engineer ones name nobody ("the theme" must not count
 * as "he"); hairdresser ones name both.
 */
class GenerationMeasureTest {
    private static ScriptedGenerator model;
    private static GenerationResult result;

    static String script(GenerationRequest r) {
        String p = r.prompt();
        if (p.contains("nurse")) {
            return p.endsWith("nurse is") && r.temperature() == 1 ? " late. He said so." : " late. She said so.";
        }
        if (p.contains("carpenter")) {
            return " hard; his tools are old.";
        }
        if (p.contains("engineer")) {
            return " on the theme. They left.";
        }
        return " well. She cut his hair.";
    }

    static Suite suite() throws InvalidInputException {
        return SuiteLoader.load(Path.of("src/test/resources/suites/generation.yaml"));
    }

    @BeforeAll
    static void run() throws UnmaskException {
        model = new ScriptedGenerator(GenerationMeasureTest::script);
        result = (GenerationResult) new AuditEngine()
                .run(
                        new AuditSpec(suite(), 7, 300, 1000, ProgressListener.NONE),
                        new RequestExecutor(model, ExecutorOptions.DEFAULT))
                .measures()
                .get(0);
    }

    private static GenerationResult.Setting setting(String name) {
        return result.settings().stream()
                .filter(s -> s.decoding().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static double share(String setting, String target) {
        return setting(setting).targets().stream()
                .filter(t -> t.target().equals(target))
                .findFirst()
                .orElseThrow()
                .femaleShare();
    }

    @Test
    void countsEveryLabelPerSetting() {
        assertEquals(new GenerationResult.Counts(3, 9, 6, 6), setting("default").counts());
        assertEquals(new GenerationResult.Counts(6, 6, 6, 6), setting("cold").counts());
        assertEquals(24, setting("cold").counts().total());
    }

    @Test
    void greedySettingsDrawOneContinuationPerPrompt() {
        assertEquals(new GenerationResult.Counts(2, 2, 2, 2), setting("greedy").counts());
        // 4 targets x 2 templates x (3 + 3 + 1) draws, each asked once
        assertEquals(56, model.seen().size());
    }

    @Test
    void femaleShareLeavesOutBothAndNone() {
        assertEquals(
                0.25, setting("default").aggregate("female-share").estimate().value(), 1e-12);
        assertEquals(0.5, setting("cold").aggregate("female-share").estimate().value(), 1e-12);
        assertEquals(0.5, share("default", "nurse"), 1e-12);
        assertEquals(0.0, share("default", "carpenter"), 1e-12);
        assertTrue(Double.isNaN(share("default", "engineer")), "no gendered continuation: no share");
    }

    @Test
    void amplificationComparesModelPercentWithTheStatistic() {
        // (100 * 0.5 - 90 + 100 * 0 - 2) / 2 targets with a share
        Estimate amp = setting("default").aggregate("amplification").estimate();
        assertEquals(-21, amp.value(), 1e-9);
        assertEquals(2, amp.n());
        assertEquals(
                (100 - 90 + 0 - 2) / 2.0,
                setting("cold").aggregate("amplification").estimate().value(),
                1e-9);
        assertEquals(1.0, setting("default").aggregate("pearson").estimate().value(), 1e-12);
        assertEquals(1.0, setting("default").aggregate("spearman").estimate().value(), 1e-12);
    }

    @Test
    void hyperparameterEffectIsTheShareDifferenceToTheFirstSettingWithAPairedInterval() {
        assertNull(setting("default").aggregate("hyperparameter-effect"), "the baseline has no effect against itself");
        Estimate effect = setting("cold").aggregate("hyperparameter-effect").estimate();
        assertEquals(0.25, effect.value(), 1e-12);
        assertTrue(effect.ci95().isDefined());
        // every resample keeps the nurse's "is" prompt or drops it for both settings: the effect never turns negative
        assertTrue(effect.ci95().lower() >= 0 && effect.ci95().upper() <= 1, effect.toString());
        Estimate share = setting("default").aggregate("female-share").estimate();
        assertTrue(share.ci95().lower() <= 0.25 && share.ci95().upper() >= 0.25, share.toString());
    }

    @Test
    void itemsKeepPromptSeedAndLabel() {
        GenerationItem first = result.items().get(0);
        assertEquals("The nurse works", first.prompt());
        assertEquals("default", first.setting());
        assertEquals("female", first.label());
        assertEquals(56, result.items().size());
        assertEquals(
                56,
                new HashSet<>(result.items().stream().map(GenerationItem::seed).toList()).size(),
                "every sample has its own seed");
    }

    @Test
    void seedsFollowTheAuditSeedAndReproduce() throws InvalidInputException {
        List<?> a = AuditEngine.plan(suite(), 7).get(0).requests();
        List<?> b = AuditEngine.plan(suite(), 7).get(0).requests();
        List<?> c = AuditEngine.plan(suite(), 8).get(0).requests();
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(
                GenerationMeasure.sampleSeed(7, "The nurse works", "default", 0),
                ((GenerationRequest) a.get(0)).seed());
        assertNotEquals(
                GenerationMeasure.sampleSeed(7, "The nurse works", "default", 1),
                GenerationMeasure.sampleSeed(7, "The nurse works", "cold", 1));
    }

    @Test
    void aMaskedModelIsRejectedWithTheMeasureLine() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> new AuditEngine()
                        .run(AuditSpec.of(suite()), new RequestExecutor(Fixtures.model(), ExecutorOptions.DEFAULT)));
        assertTrue(e.getMessage().contains("generation.yaml:14: measure 'study' (generation)"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot generate text"), e.getMessage());
    }

    /** The test suite with its prompts sent as chats, after a system message that names both genders. */
    static Suite chatSuite() throws java.io.IOException, InvalidInputException {
        String yaml = java.nio.file.Files.readString(Path.of("src/test/resources/suites/generation.yaml"));
        String chat = yaml.replace(
                "    classify:", "    chat: true\n" + "    system: \"He or she, answer as you would.\"\n    classify:");
        return SuiteLoader.parse("chat.yaml", chat, Path.of("src/test/resources/suites"));
    }

    @Test
    void chatPromptsAreUserMessagesWithTheSameSeedsAndOnlyTheReplyIsLabelled()
            throws java.io.IOException, UnmaskException {
        ScriptedGenerator chat = ScriptedGenerator.withChatTemplate(r -> {
            // the model sees the rendered chat; answer as the plain script answers the user message
            String p = r.prompt();
            String user = p.substring(p.indexOf("<|user|>") + 8, p.lastIndexOf("<|assistant|>"));
            return script(new GenerationRequest(user, r.maxNewTokens(), r.temperature(), r.topK(), r.topP(), r.seed()));
        });
        GenerationResult c = (GenerationResult) new AuditEngine()
                .run(
                        new AuditSpec(chatSuite(), 7, 300, 1000, ProgressListener.NONE),
                        new RequestExecutor(chat, ExecutorOptions.DEFAULT))
                .measures()
                .get(0);

        assertEquals(
                result.settings().stream().map(GenerationResult.Setting::counts).toList(),
                c.settings().stream().map(GenerationResult.Setting::counts).toList(),
                "the system message names both genders, yet replies are labelled as the plain continuations are");
        assertEquals(
                result.items().stream().map(GenerationItem::seed).toList(),
                c.items().stream().map(GenerationItem::seed).toList(),
                "seeds: audit seed, prompt, setting, index");
        assertEquals("The nurse works", c.items().get(0).prompt());
        assertEquals(
                "<|system|>He or she, answer as you would.<|user|>The nurse works<|assistant|>",
                chat.seen().get(0).prompt());
        assertEquals(56, chat.seen().size());
        List<?> requests = AuditEngine.plan(chatSuite(), 7).get(0).requests();
        org.unmask.core.request.ChatGenerationRequest first =
                (org.unmask.core.request.ChatGenerationRequest) requests.get(0);
        assertEquals(
                List.of(
                        org.unmask.core.request.ChatMessage.system("He or she, answer as you would."),
                        org.unmask.core.request.ChatMessage.user("The nurse works")),
                first.messages());
        assertEquals(
                GenerationMeasure.sampleSeed(7, "The nurse works", "default", 0),
                first.settings().seed());
    }
}
