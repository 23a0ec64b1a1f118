package org.unmask.app.junit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.unmask.app.Fixtures;

class BiasAssertionsTest {
    @Test
    void failingSuiteAssertionFailsTheTestNamingIt() {
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> BiasAssertions.assertSuite(Fixtures.model(), Fixtures.suitePath())
                        .passes());
        assertTrue(e.getMessage().contains("max |association| < 1.5 (was 2.0"), e.getMessage());
    }

    @Test
    void aggregateBoundsAreChecked() {
        BiasAssertions.SuiteCheck check = BiasAssertions.assertSuite(Fixtures.model(), Fixtures.suitePath());
        check.aggregateAtMost("association", "mean-abs-bias", 1.01);
        assertThrows(AssertionFailedError.class, () -> check.aggregateAtMost("association", "mean-abs-bias", 0.9));
    }

    @Test
    void badSuiteFailsWithTheLoaderMessage() {
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> BiasAssertions.assertSuite(Fixtures.model(), java.nio.file.Path.of("no/such.yaml")));
        assertTrue(e.getMessage().contains("suite file not found"), e.getMessage());
    }
}
