package org.unmask.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.Benchmarks;
import org.unmask.benchmarks.crows.CrowsPairsData;
import org.unmask.benchmarks.testing.TempBenchmark;
import org.unmask.core.error.InvalidInputException;

class BenchmarkDataTest {
    @TempDir
    Path tmp;

    @Test
    void everyShippedBenchmarkVerifiesAndShipsNoUnlicensedFile() throws Exception {
        for (String id : Benchmarks.ids()) {
            BenchmarkData d = BenchmarkData.bundled(id);
            for (var f : d.spec().files()) {
                d.bytes(f.path());
                assertTrue(!f.path().contains("NO_LICENSE"), f.path());
            }
            assertEquals(d.spec().files().size(), d.verifiedFiles().size());
            assertTrue(
                    getClass().getClassLoader().getResource("org/unmask/benchmarks/" + id + "/README.md") != null,
                    id + " has a README");
        }
    }

    @Test
    void nonCommercialDataIsMarked() throws Exception {
        assertTrue(BenchmarkData.bundled("seat").spec().nonCommercial());
        assertTrue(BenchmarkData.bundled("honest").spec().nonCommercial());
        assertTrue(!BenchmarkData.bundled("crows-pairs").spec().nonCommercial());
    }

    @Test
    void wrongChecksumNamesFileAndBothHashes() throws Exception {
        Path dir = TempBenchmark.write(tmp, "crows-pairs", Map.of("data.csv", "a,b\n1,2\n"));
        Files.writeString(dir.resolve("data.csv"), "a,b\n1,3\n");
        BenchmarkData d = BenchmarkData.directory(dir);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> d.bytes("data.csv"));
        assertTrue(e.getMessage().contains("data.csv"), e.getMessage());
        assertTrue(e.getMessage().contains(BenchmarkData.sha256("a,b\n1,2\n".getBytes())), e.getMessage());
        assertTrue(e.getMessage().contains(BenchmarkData.sha256("a,b\n1,3\n".getBytes())), e.getMessage());
    }

    @Test
    void missingColumnIsAnInvalidInputNamingTheFile() throws Exception {
        Path dir = TempBenchmark.write(
                tmp, "crows-pairs", Map.of(CrowsPairsData.FILE, ",sent_more,sent_less,bias_type\n0,a,b,gender\n"));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> CrowsPairsData.read(BenchmarkData.directory(dir)));
        assertTrue(
                e.getMessage().contains(CrowsPairsData.FILE) && e.getMessage().contains("stereo_antistereo"),
                e.getMessage());
    }

    @Test
    void malformedRowNamesFileAndLine() throws Exception {
        Path dir = TempBenchmark.write(
                tmp,
                "crows-pairs",
                Map.of(
                        CrowsPairsData.FILE,
                        ",sent_more,sent_less,stereo_antistereo,bias_type\n0,a,b,stereo,gender\n1,\"a, b\",c,stereo\n"));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> CrowsPairsData.read(BenchmarkData.directory(dir)));
        assertTrue(e.getMessage().contains(CrowsPairsData.FILE + ":3"), e.getMessage());
    }

    @Test
    void csvKeepsQuotedCommasQuotesAndNewlines() throws Exception {
        Table t = Table.csv("x.csv", "a,b\n\"1,2\",\"say \"\"hi\"\"\nthere\"\n3,4\n");
        assertEquals("1,2", t.rows().get(0).get("a"));
        assertEquals("say \"hi\"\nthere", t.rows().get(0).get("b"));
        assertEquals(4, t.rows().get(1).line());
    }
}
