package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.corpus.count.CountingSpec;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.CorpusFiles;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordListLoader;
import org.unmask.corpus.lexicon.WordLists;
import org.unmask.corpus.local.CorpusRun;
import org.unmask.corpus.local.LocalEngine;
import org.unmask.corpus.local.LocalOptions;

class ReferenceCountsTest {
    @TempDir
    Path tmp;

    private CorpusRun engine(WordLists words, int k) throws Exception {
        CountingSpec spec = new CountingSpec(words, k, "text", CountingSpec.DEFAULT_MAX_LINE_BYTES);
        return new LocalEngine(spec, new LocalOptions(2, null, 0))
                .run(CorpusFiles.list(TestCorpora.dir("gutenberg-mini")), tmp.resolve("out"));
    }

    private ReferenceCounter reference(WordLists words, int k) throws Exception {
        ReferenceCounter ref = new ReferenceCounter(words, k);
        for (Shard s : CorpusFiles.list(TestCorpora.dir("gutenberg-mini")).shards()) {
            ref.countGzipJsonl(s.path());
        }
        return ref;
    }

    @Test
    void matchesAnIndependentRegexCounterOnGutenbergMini() throws Exception {
        WordLists words = WordListLoader.builtIn();
        CorpusRun run = engine(words, 7);
        ReferenceCounter ref = reference(words, 7);
        for (Total t : Total.values()) {
            assertEquals(ref.c.total(t), run.totals().total(t), t.name());
        }
        for (int i = 0; i < words.occupations().size(); i++) {
            for (OccStat s : OccStat.values()) {
                assertEquals(
                        ref.c.get(i, s),
                        run.totals().get(i, s),
                        words.occupations().get(i).name() + " " + s);
            }
        }
        assertEquals(run.status(), CorpusRun.Status.COMPLETE);
        int nurse = words.indexOf("nurse");
        assertTrue(run.totals().get(nurse, OccStat.SENT_FEMALE_ONLY) > 10, "nurse co-occurs with women in Alcott");
    }

    /** The research notes' lexicon and reference counts (shared/notes/corpus.md §4.5, three implementations). */
    @Test
    void reproducesThePublishedReferenceCountsOfTheResearchNotes() throws Exception {
        List<String> male = List.of(("he him his himself man men boy boys father son brother husband king mr sir "
                        + "gentleman uncle nephew")
                .split(" "));
        List<String> female = List.of(("she her hers herself woman women girl girls mother daughter sister wife "
                        + "queen mrs miss lady aunt niece")
                .split(" "));
        WordLists notes = new WordLists(
                List.of(new OccupationTerm("nurse", List.of("nurse"), java.util.OptionalDouble.empty())),
                male,
                female,
                List.of(),
                "research notes");
        CorpusRun run = engine(notes, 10);
        assertEquals(275_337, run.totals().total(Total.TOKENS));
        // "sentences containing a male word" = male only + both
        assertEquals(
                4_898,
                run.totals().total(Total.SENTENCES_MALE_ONLY) + run.totals().total(Total.SENTENCES_BOTH));
        assertEquals(
                5_839,
                run.totals().total(Total.SENTENCES_FEMALE_ONLY) + run.totals().total(Total.SENTENCES_BOTH));
    }

    @Test
    void corpusPathMissingGivesAClearError() {
        Path nowhere = tmp.resolve("nope");
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                org.unmask.core.error.InvalidInputException.class, () -> CorpusFiles.list(nowhere));
        assertTrue(e.getMessage().contains("does not exist"));
        assertTrue(Files.notExists(nowhere));
    }
}
