package org.unmask.probes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.Decoding;

/** Reading generation measures, and the file:line errors bad ones get. */
class GenerationSuiteTest {
    private static final String HEAD = """
            id: g
            terms:
              jobs: [nurse, engineer]
              f: [she]
              m: [he]
            templates:
              - id: works
                text: "The [OCCUPATION] works"
              - id: masked
                text: "The [OCCUPATION] said that [MASK] left."
            measures:
              - measure: generation
            """;

    private static Suite load(String measureFields) throws InvalidInputException {
        return SuiteLoader.parse("g.yaml", HEAD + measureFields, null);
    }

    private static String fails(String measureFields) {
        return assertThrows(InvalidInputException.class, () -> load(measureFields))
                .getMessage();
    }

    @Test
    void readsSamplesTokensDecodingAndClassifyLists() throws InvalidInputException {
        Suite s = load("""
                    templates: [works]
                    targets: jobs
                    samples: 4
                    max-new-tokens: 12
                    decoding:
                      - {name: default}
                      - {name: greedy, temperature: 0}
                      - {name: nucleus, top-p: 0.9}
                      - {name: k40, top-k: 40, temperature: 0.7}
                    classify: [f, m]
                """);
        MeasureSpec.Generation g = (MeasureSpec.Generation) s.measures().get(0);
        assertEquals(4, g.samples());
        assertEquals(12, g.maxNewTokens());
        assertEquals(
                List.of(
                        Decoding.DEFAULT,
                        new Decoding("greedy", 0, 0, 1),
                        new Decoding("nucleus", 1, 0, 0.9),
                        new Decoding("k40", 0.7, 40, 1)),
                g.decoding());
        assertEquals("f", g.female());
        assertEquals("m", g.male());
        assertEquals(12, g.line());
        assertEquals(false, g.chat(), "prompts are continued unless chat: true");
        assertEquals(null, g.system());
    }

    @Test
    void chatTurnsPromptsIntoUserMessagesWithAnOptionalSystemMessage() throws InvalidInputException {
        MeasureSpec.Generation g = (MeasureSpec.Generation) load("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    chat: true
                    system: "You are a helpful assistant."
                """).measures().get(0);
        assertTrue(g.chat());
        assertEquals("You are a helpful assistant.", g.system());
    }

    @Test
    void aSystemMessageWithoutChatAndANonBooleanChatAreRejectedWithTheirLine() {
        String e = fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    system: "Be brief."
                """);
        assertTrue(e.startsWith("g.yaml:16: measure 'generation' has a 'system' message but is not a chat"), e);
        e = fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    chat: yes please
                """);
        assertTrue(e.startsWith("g.yaml:16: 'chat' must be true or false, was \"yes please\""), e);
    }

    @Test
    void defaultsToTwentySamplesOfPlainSampling() throws InvalidInputException {
        MeasureSpec.Generation g = (MeasureSpec.Generation) load("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                """).measures().get(0);
        assertEquals(20, g.samples());
        assertEquals(List.of(Decoding.DEFAULT), g.decoding());
    }

    @Test
    void aPromptWithAMaskIsRejectedWithItsLine() {
        String e = fails("""
                    templates: [masked]
                    targets: jobs
                    classify: [f, m]
                """);
        assertTrue(
                e.startsWith("g.yaml:13: measure 'generation' (generation) cannot use template 'masked': it has "
                        + "[MASK]"),
                e);
    }

    @Test
    void topPOutsideTheUnitIntervalIsRejected() {
        String e = fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    decoding:
                      - {name: wide, top-p: 1.5}
                """);
        assertTrue(e.startsWith("g.yaml:17: decoding 'wide': top-p must be in (0, 1], was 1.5"), e);
        assertTrue(fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    decoding: [{name: zero, top-p: 0}]
                """).contains("top-p must be in (0, 1]"));
    }

    @Test
    void samplesBelowOneAreRejected() {
        String e = fails("""
                    templates: [works]
                    targets: jobs
                    samples: 0
                    classify: [f, m]
                """);
        assertTrue(e.startsWith("g.yaml:15: measure 'generation': samples must be between 1 and 1000, was 0"), e);
    }

    @Test
    void classifyNeedsTwoListsAndSettingNamesMustDiffer() {
        assertTrue(fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f]
                """).contains("needs exactly two 'classify' term lists"));
        assertTrue(fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    decoding: [{name: a}, {name: a, temperature: 0.5}]
                """).contains("two decoding settings named 'a'"));
        assertTrue(fails("""
                    templates: [works]
                    targets: jobs
                    classify: [f, m]
                    decoding: [{name: a, tempreature: 0.5}]
                """).contains("unknown field 'tempreature'"));
    }

    @Test
    void aPromptTemplateNoGenerationMeasureUsesStillNeedsAMask() {
        String e = assertThrows(InvalidInputException.class, () -> SuiteLoader.parse("g.yaml", """
                id: g
                terms:
                  a: [she]
                  b: [he]
                  jobs: [nurse]
                templates:
                  - id: works
                    text: "The [OCCUPATION] works"
                  - id: x
                    text: "The [TARGET] said that [MASK] left."
                measures:
                  - measure: pronoun-lean
                    templates: [x]
                    groups: [a, b]
                    targets: jobs
                """, null))
                .getMessage();
        assertTrue(e.startsWith("g.yaml:7: template 'works' has no [MASK]"), e);
    }

    @Test
    void builtInGenerationAndCausalSuitesLoad() throws InvalidInputException {
        Suite gen = SuiteLoader.builtin(SuiteLoader.GENERATION_SUITE);
        MeasureSpec.Generation g = (MeasureSpec.Generation) gen.measures().get(0);
        assertEquals(
                List.of("default", "temperature-0.7", "top-p-0.9", "top-k-40"),
                g.decoding().stream().map(Decoding::name).toList());
        assertEquals("pct_female", gen.terms(g.targets()).statName());
        Suite chat = SuiteLoader.builtin(SuiteLoader.GENERATION_CHAT_SUITE);
        MeasureSpec.Generation ch = (MeasureSpec.Generation) chat.measures().get(0);
        assertTrue(ch.chat() && !g.chat());
        assertEquals(g.name(), ch.name(), "matched by name in unmask compare");
        assertEquals(g.decoding(), ch.decoding());
        assertEquals(gen.terms(g.female()), chat.terms(ch.female()));
        assertEquals(gen.terms(g.male()), chat.terms(ch.male()));
        assertEquals(gen.terms(g.targets()), chat.terms(ch.targets()), "the same targets, so runs pair by target");
        assertTrue(SuiteLoader.BUILTIN.contains(SuiteLoader.GENERATION_CHAT_SUITE));
        Suite causal = SuiteLoader.builtin(SuiteLoader.DEFAULT_CAUSAL_SUITE);
        assertEquals(2, causal.version());
        MeasureSpec.Lean c = (MeasureSpec.Lean) causal.measures().stream()
                .filter(m -> m.measure().equals("cooccurrence-log-ratio"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("female", "woman"),
                causal.terms(c.groupA()).terms().stream().map(Term::text).toList());
        assertEquals(
                List.of("male", "man"),
                causal.terms(c.groupB()).terms().stream().map(Term::text).toList());
    }
}
