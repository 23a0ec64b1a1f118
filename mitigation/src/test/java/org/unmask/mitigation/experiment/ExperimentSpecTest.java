package org.unmask.mitigation.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

class ExperimentSpecTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsAFullExperimentResolvingPathsAgainstTheFile() throws Exception {
        ExperimentSpec x = ExperimentSpec.read(write("""
                name: cda
                augment:
                  input: data/wb.txt
                finetune:
                  epochs: 2
                  lr: 5e-5
                  max-length: 64
                counterfactual-averaging: true
                pppl-sentences: 50
                """));
        assertEquals("cda", x.name());
        assertNull(x.baseline());
        assertEquals(dir.resolve("runs/cda"), x.out());
        assertEquals(dir.resolve("data/wb.txt"), x.augment().input());
        assertTrue(x.augment().keepOriginals());
        assertNull(x.finetune().data(), "the augment output is used");
        assertEquals(2, x.finetune().epochs());
        assertEquals(5e-5, x.finetune().lr(), 0);
        assertEquals(64, x.finetune().maxLength());
        assertEquals(8, x.finetune().batchSize());
        assertTrue(x.counterfactualAveraging());
        assertEquals(50, x.ppplSentences());
        assertEquals("gender-occupation", x.suite());
    }

    @Test
    void unknownKeysAreErrorsNamingTheKey() throws Exception {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> ExperimentSpec.read(write("finetune:\n  epoch: 2\n  data: x.txt\n")));
        assertTrue(e.getMessage().contains("unknown key \"finetune.epoch\""), e.getMessage());
        assertTrue(e.hint().contains("epochs"));
    }

    @Test
    void needsAMitigationAndDataForFineTuning() throws Exception {
        assertTrue(assertThrows(InvalidInputException.class, () -> ExperimentSpec.read(write("name: x\n")))
                .getMessage()
                .contains("no mitigation"));
        assertTrue(
                assertThrows(InvalidInputException.class, () -> ExperimentSpec.read(write("finetune:\n  epochs: 1\n")))
                        .getMessage()
                        .contains("finetune.data is missing"));
        assertTrue(assertThrows(
                        InvalidInputException.class,
                        () -> ExperimentSpec.read(write("counterfactual-averaging: yes please\n")))
                .getMessage()
                .contains("true or false"));
    }

    @Test
    void theShippedExampleParses() throws Exception {
        Path example = Path.of("docs/experiment-cda-bert-base.yaml");
        ExperimentSpec x = ExperimentSpec.read(example);
        assertEquals("cda-bert-base", x.name());
        assertEquals(1, x.finetune().epochs());
    }
}
