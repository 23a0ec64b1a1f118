package org.unmask.mitigation.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

class LabSpecTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("lab.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsALabFileWithItsDefaultsResolvingPathsAgainstTheFile() throws Exception {
        LabSpec x = LabSpec.read(write("""
                kind: pretraining-lab
                corpus: corpora/mini
                pretrain:
                  config: toy
                """));
        assertEquals("lab", x.name());
        assertEquals(dir.resolve("corpora/mini"), x.corpus());
        assertEquals(dir.resolve("runs/lab"), x.out());
        assertEquals(List.of(1L, 2L, 3L), x.seeds());
        assertEquals(new LabSpec.Pretrain("toy", 0, "masked"), x.pretrain());
        assertEquals(new LabSpec.Augment(true, false), x.augment());
        assertEquals("gender-occupation", x.suite());
        assertTrue(LabSpec.declaredIn(dir.resolve("lab.yaml")));
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheFileAndLine() throws Exception {
        Path f = write("""
                kind: pretraining-lab
                corpus: c
                pretrain:
                  config: toy
                  stpes: 10
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabSpec.read(f));
        assertTrue(e.getMessage().startsWith(f + ":5: unknown key \"pretrain.stpes\""), e.getMessage());
    }

    @Test
    void aWrongTypeIsAnErrorNamingTheLine() throws Exception {
        Path f = write("""
                kind: pretraining-lab
                corpus: c
                min-sentences: many
                pretrain: {config: toy}
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabSpec.read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: key \"min-sentences\" must be a whole number"), e.getMessage());
    }

    @Test
    void fewerThanThreeSeedsAreRefusedBecauseNoiseWouldPassForAnEffect() throws Exception {
        Path f = write("""
                kind: pretraining-lab
                corpus: c
                seeds: [1, 2]
                pretrain: {config: toy}
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabSpec.read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: 2 seed(s) per arm"), e.getMessage());
        Path g = write("""
                kind: pretraining-lab
                corpus: c
                seeds: [1, 2, 2]
                pretrain: {config: toy}
                """);
        assertTrue(assertThrows(InvalidInputException.class, () -> LabSpec.read(g))
                .getMessage()
                .contains("listed twice"));
    }

    @Test
    void anUnknownArchitectureIsRefused() throws Exception {
        Path f = write("""
                kind: pretraining-lab
                corpus: c
                pretrain:
                  config: toy
                  arch: rnn
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabSpec.read(f));
        assertTrue(e.getMessage().startsWith(f + ":5: pretrain.arch rnn"), e.getMessage());
    }

    @Test
    void aMitigationExperimentIsNotALabAndRefusesAnotherKind() throws Exception {
        Path f = write("""
                name: cda
                counterfactual-averaging: true
                """);
        assertFalse(LabSpec.declaredIn(f));
        ExperimentSpec.read(f);
        Path g = write("""
                kind: pretraining
                counterfactual-averaging: true
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ExperimentSpec.read(g));
        assertTrue(e.getMessage().contains("kind pretraining is not an experiment kind"), e.getMessage());
    }
}
