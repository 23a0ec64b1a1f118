package org.unmask.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.GenerationRequest;
import org.unmask.core.testing.ScriptedGenerator;

/** An interrupted sampling study resumes from its journal, reproducing the uninterrupted answers. */
class GenerationJournalTest {
    private static final String SHA = "0".repeat(64); // ScriptedGenerator's weights hash

    @TempDir
    Path tmp;

    private static List<GenerationRequest> study(int prompts, int samples) {
        List<GenerationRequest> out = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            for (int s = 0; s < samples; s++) {
                out.add(new GenerationRequest("The nurse " + p, 8, 1.0, 40, 0.9, 1000L * p + s));
            }
        }
        return out;
    }

    private static String answer(GenerationRequest r) {
        return r.prompt() + " -> " + r.seed();
    }

    @Test
    void aResumedRunAsksTheModelOnlyForWhatTheJournalLacks() throws UnmaskException {
        List<GenerationRequest> all = study(300, 2); // 600 requests: three chunks of whole prompts
        Path file = tmp.resolve("generations.journal.jsonl");
        GenerationJournal first = GenerationJournal.open(file, SHA);
        first.record(all.subList(0, 257), all.subList(0, 257).stream().map(GenerationJournalTest::answer).toList());

        GenerationJournal reopened = GenerationJournal.open(file, SHA);
        assertEquals(257, reopened.size());
        ScriptedGenerator model = new ScriptedGenerator(GenerationJournalTest::answer);
        RequestExecutor executor = new RequestExecutor(model, ExecutorOptions.DEFAULT);
        executor.useJournal(reopened);
        List<long[]> reports = new ArrayList<>();
        List<String> texts = executor.executeAll(all, (done, total, unit) -> reports.add(new long[] {done, total}));

        assertEquals(all.stream().map(GenerationJournalTest::answer).toList(), texts);
        assertEquals(all.subList(257, 600), model.seen(), "the model answers only the missing requests, in order");
        assertEquals(343, executor.stats().sampled(), "only what the model generated counts as sampled");
        assertEquals(600, GenerationJournal.open(file, SHA).size(), "every answer is journalled");
        assertEquals(257, reports.get(0)[0]);
        assertEquals(600, reports.get(reports.size() - 1)[0]);
        assertTrue(reports.size() >= 3, "progress after each chunk: " + reports.size());
    }

    @Test
    void anotherModelsLinesAndACutShortLastLineAreNotUsed() throws IOException, UnmaskException {
        List<GenerationRequest> all = study(2, 2);
        Path file = tmp.resolve("j.jsonl");
        GenerationJournal.open(file, "f".repeat(64)).record(all.subList(0, 2), List.of("other a", "other b"));
        GenerationJournal.open(file, SHA).record(all.subList(2, 3), List.of("mine"));
        Files.writeString(file, "{\"model\":\"" + SHA + "\",\"prompt\":\"The nu", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        GenerationJournal j = GenerationJournal.open(file, SHA);
        assertEquals(1, j.size());
        assertEquals(1, j.skippedLines());
        assertEquals(Optional.of("mine"), j.find(all.get(2)));
        assertEquals(Optional.empty(), j.find(all.get(0)), "a line of another model is not an answer");
    }
}
