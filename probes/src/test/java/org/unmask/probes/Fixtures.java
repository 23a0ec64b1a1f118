package org.unmask.probes;

import java.nio.file.Path;
import java.util.List;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.testing.ScriptedMaskedLm;
import org.unmask.core.testing.ToyBiasLm;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;

/** The toy-bias model of core's testkit and the tiny suite beside these tests that probes it. */
public final class Fixtures {
    public static final List<String> VOCAB = ToyBiasLm.VOCAB;

    private Fixtures() {}

    /** See {@link ToyBiasLm#model()}. */
    public static ScriptedMaskedLm model() {
        return ToyBiasLm.model();
    }

    public static Path suitePath() {
        return Path.of("src/test/resources/suites/tiny.yaml");
    }

    public static Suite suite() throws InvalidInputException {
        return SuiteLoader.load(suitePath());
    }
}
