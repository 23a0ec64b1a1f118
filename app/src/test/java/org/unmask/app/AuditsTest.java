package org.unmask.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.model.ModelInfo;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.models.Backend;
import org.unmask.probes.AuditEngine;
import org.unmask.probes.AuditSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.SuiteLoader;

class AuditsTest {
    @TempDir
    Path dir;

    @Test
    void aBadSuiteIsReportedBeforeAnyModelIsOpened() {
        Audits audits = new Audits((ref, backend) -> {
            throw new AssertionError("the model was opened before the suite was checked");
        });
        Audits.Request r = new Audits.Request(
                null, Backend.ONNX, dir.resolve("no-such.yaml").toString(), false, Audits.Settings.DEFAULT, dir, true);
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> audits.audit(r, ProgressListener.NONE, Audits.Events.NONE));
        assertTrue(e.getMessage().contains("suite file not found"), e.getMessage());
    }

    @Test
    void anAuditWritesTheReportAndAnnouncesModelAndSuite() throws Exception {
        List<String> heard = new ArrayList<>();
        Audits.Events events = new Audits.Events() {
            @Override
            public void auditing(ModelInfo model, Suite suite) {
                heard.add(model.id() + " " + suite.id());
            }
        };
        Audits.Request r = new Audits.Request(
                "ignored",
                Backend.ONNX,
                Fixtures.suitePath().toString(),
                false,
                new Audits.Settings(Audits.DEFAULT_SEED, 100, 8),
                dir,
                true);
        Audits.Outcome o = new Audits((ref, backend) -> Fixtures.model()).audit(r, ProgressListener.NONE, events);
        assertEquals(1, heard.size());
        assertTrue(heard.get(0).endsWith(" tiny"), heard.toString());
        assertTrue(Files.exists(dir.resolve("result.json")) && Files.exists(dir.resolve("report.html")));
        assertTrue(o.files().contains(dir.resolve("result.json")), o.files().toString());
        assertFalse(Files.exists(dir.resolve(Audits.JOURNAL)), "the journal has served its purpose");
    }

    /** The server's and BiasAssertions' former call, AuditSpec.of on a fresh executor, is the default settings. */
    @Test
    void defaultSettingsAreThoseOfAuditSpecOf() throws Exception {
        Suite s = SuiteLoader.load(Fixtures.suitePath());
        AuditResult viaApp = Audits.run(Fixtures.model(), s, Audits.Settings.DEFAULT, ProgressListener.NONE, null);
        AuditResult direct = new AuditEngine().run(AuditSpec.of(s), ExecutorPolicy.AUDIT.executor(Fixtures.model()));
        assertEquals(
                ResultCodec.tree(direct).get("measures"),
                ResultCodec.tree(viaApp).get("measures"));
    }

    @Test
    void suiteReferencesAreFilesThenBuiltInIdsAndNullIsTheDefaultForTheModelKind() throws Exception {
        assertEquals(
                "tiny", Audits.suite(Fixtures.suitePath().toString(), false).id());
        assertEquals(
                SuiteLoader.OCCUPATIONS_SUITE,
                Audits.suite("occupations", false).id());
        assertEquals(SuiteLoader.DEFAULT_SUITE, Audits.suite(null, false).id());
        assertEquals(SuiteLoader.DEFAULT_CAUSAL_SUITE, Audits.suite(null, true).id());
    }

    @Test
    void cacheSizesAreOnePolicyPerKindOfWork() {
        assertEquals(200_000, ExecutorPolicy.AUDIT.options(32).cacheEntries());
        assertEquals(0, ExecutorPolicy.PSEUDO_PERPLEXITY.options(4).cacheEntries());
        assertEquals(
                ExecutorPolicy.DEFAULT_BATCH_SIZE,
                ExecutorPolicy.SERVE.options(32).batchSize());
    }
}
