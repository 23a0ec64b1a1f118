package org.unmask.probes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

class SuiteLoaderTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            id: t
            terms:
              a: [she]
              b: [he]
              jobs: [nurse]
            templates:
              - id: x
                text: "The [TARGET] said that [MASK] left."
            measures:
              - measure: pronoun-lean
                templates: [x]
                groups: [a, b]
                targets: jobs
            """;

    private InvalidInputException fails(String yaml) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return assertThrows(InvalidInputException.class, () -> SuiteLoader.load(f));
    }

    @Test
    void builtInSuiteLoadsWithOccupationStatisticsAndHashes() throws InvalidInputException {
        Suite s = SuiteLoader.builtin(SuiteLoader.DEFAULT_SUITE);
        assertEquals("gender-occupation", s.id());
        assertEquals(81, s.terms("occupations").terms().size());
        assertEquals("pct_female", s.terms("occupations").statName());
        assertTrue(s.terms("occupations").terms().stream().allMatch(t -> t.hasStat()));
        assertEquals(64, s.sha256().length());
        assertNotNull(s.files().get("lexicon:occupations.tsv"));
        assertTrue(s.terms("female-words").contains("waitress")
                || s.terms("female-words").contains("actress"));
    }

    @Test
    void goodSuiteLoads() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, GOOD);
        assertEquals(1, SuiteLoader.load(f).measures().size());
    }

    @Test
    void yamlSyntaxErrorNamesFileAndLine() throws Exception {
        InvalidInputException e = fails("id: t\nterms:\n  a: [she\n  b: he\n");
        assertTrue(e.getMessage().startsWith(dir.resolve("s.yaml") + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
    }

    @Test
    void unknownMeasureNamesItsLine() throws Exception {
        InvalidInputException e = fails(GOOD.replace("measure: pronoun-lean", "measure: pronoun-leaning"));
        assertTrue(e.getMessage().contains("s.yaml:10: unknown measure 'pronoun-leaning'"), e.getMessage());
        assertTrue(e.hint().contains("association"));
    }

    @Test
    void templateWithoutMaskIsRejected() throws Exception {
        InvalidInputException e = fails(GOOD.replace("said that [MASK] left", "said that she left"));
        assertTrue(e.getMessage().contains("s.yaml:7: template 'x' has no [MASK]"), e.getMessage());
    }

    @Test
    void templateWithoutSlotIsRejected() throws Exception {
        InvalidInputException e = fails(GOOD.replace("The [TARGET] said", "The nurse said"));
        assertTrue(e.getMessage().contains("template 'x' has no slot"), e.getMessage());
    }

    @Test
    void templateSlotsMustFitTheMeasure() throws Exception {
        InvalidInputException e = fails(GOOD.replace("measure: pronoun-lean", "measure: association"));
        assertTrue(e.getMessage().contains("needs [GROUP] in template 'x'"), e.getMessage());
    }

    @Test
    void emptyTermListIsRejected() throws Exception {
        InvalidInputException e = fails(GOOD.replace("jobs: [nurse]", "jobs: []"));
        assertTrue(e.getMessage().contains("s.yaml:5: term list 'jobs' is empty"), e.getMessage());
    }

    @Test
    void unknownOccupationColumnListsTheColumns() throws Exception {
        InvalidInputException e = fails(GOOD.replace("jobs: [nurse]", "jobs: {lexicon: occupations, stat: pct_women}"));
        assertTrue(e.getMessage().contains("s.yaml:5: term list 'jobs': unknown column 'pct_women'"), e.getMessage());
        assertTrue(e.hint().contains("pct_female"));
    }

    @Test
    void termFilesAreReadRelativeToTheSuite() throws Exception {
        Files.writeString(dir.resolve("jobs.txt"), "# jobs\nnurse\n\nbaker\n");
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, GOOD.replace("jobs: [nurse]", "jobs: {file: jobs.txt}"));
        Suite s = SuiteLoader.load(f);
        assertEquals(java.util.List.of("nurse", "baker"), s.terms("jobs").texts());
        assertEquals(64, s.files().get("jobs.txt").length());
    }

    @Test
    void missingTermFileIsNamed() throws Exception {
        InvalidInputException e = fails(GOOD.replace("jobs: [nurse]", "jobs: {file: nope.txt}"));
        assertTrue(e.getMessage().contains("term file not found"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamedWithItsLine() throws Exception {
        InvalidInputException e = fails(GOOD + "asserts: []\n");
        assertTrue(e.getMessage().contains("s.yaml:14: unknown field 'asserts'"), e.getMessage());
    }

    @Test
    void unreadableAssertionIsRejected() throws Exception {
        InvalidInputException e = fails(GOOD + "assertions: [\"bias is low\"]\n");
        assertTrue(e.getMessage().contains("cannot read assertion"), e.getMessage());
    }

    @Test
    void assertionsParseAllThreeForms() {
        Assertion a = Assertion.parse("max |association| < 0.5", 3);
        assertTrue(a.absolute() && !a.aggregate());
        assertEquals("association", a.measure());
        assertEquals(0.5, a.threshold());
        assertTrue(a.holds(0.49) && !a.holds(0.5) && !a.holds(Double.NaN));
        assertEquals("mean", Assertion.parse("mean pronoun-lean >= -0.2", 1).reducer());
        assertTrue(Assertion.parse("spearman(association) < 0.5", 1).aggregate());
    }

    @Test
    void contextsArePrefixedToEveryTemplate() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "contexts: [\"\", \"Yesterday at work:\"]\n" + GOOD);
        Suite s = SuiteLoader.load(f);
        var variants = org.unmask.probes.measure.Variant.of(s, java.util.List.of("x"));
        assertEquals(2, variants.size());
        assertEquals(
                "Yesterday at work: The [TARGET] said that [MASK] left.",
                variants.get(1).text());
    }

    @Test
    void aggregateAssertionNeedsTheStatisticItUses() throws Exception {
        InvalidInputException e = fails(GOOD + "assertions: [\"pearson(pronoun-lean) < 0.5\"]\n");
        assertTrue(
                e.getMessage().contains("s.yaml:14: assertion \"pearson(pronoun-lean) < 0.5\" needs a statistic"),
                e.getMessage());
    }

    @Test
    void lexiconListsTakeAddedTerms() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(
                f,
                GOOD.replace(
                        "jobs: [nurse]",
                        "jobs: [nurse]\n  fw: {lexicon: gender-words, column: female, add: [waitress]}"));
        Suite s = SuiteLoader.load(f);
        assertTrue(s.terms("fw").contains("waitress") && s.terms("fw").contains("actress"));
    }

    @Test
    void repeatedTermsAreErrorsNotSilentlyDropped() throws Exception {
        InvalidInputException e = fails(GOOD.replace("jobs: [nurse]", "jobs: [nurse, baker, nurse]"));
        assertTrue(e.getMessage().contains("s.yaml:5: term list 'jobs' has 'nurse' twice"), e.getMessage());
        Files.writeString(dir.resolve("jobs.tsv"), "job\tpct\nnurse\t90\n\nbaker\tlots\n");
        e = fails(GOOD.replace("jobs: [nurse]", "jobs: {file: jobs.tsv, stat: pct}"));
        assertTrue(
                e.getMessage().endsWith("jobs.tsv:4: column 'pct' of 'baker' is not a number: \"lots\""),
                e.getMessage());
    }
}
