package org.unmask.core.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

/**
 * The result contract: the committed schema-2 files (written by a real audit on the scripted model, see report's
 * ResultContractTest) read into the records and write back byte for byte; the committed schema-1 files (written by
 * the code before the codec existed) still read, the schema-2 fields getting their empty values; every malformed
 * file is an error that names the file and the field.
 */
class ResultCodecTest {
    static final String MASKED = "schema1-masked.json";
    static final String GENERATION = "schema1-generation.json";
    static final String MASKED_2 = "schema2-masked.json";
    static final String GENERATION_2 = "schema2-generation.json";

    @TempDir
    Path dir;

    static String fixture(String name) throws IOException {
        try (InputStream in = ResultCodecTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("result.json"), text);
    }

    private InvalidInputException refused(String text) throws IOException {
        Path f = file(text);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResultCodec.readAudit(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void theCommittedSchema2FilesReadAndWriteBackByteForByte() throws Exception {
        for (String name : new String[] {MASKED_2, GENERATION_2}) {
            String text = fixture(name);
            AuditResult r = ResultCodec.readAudit(file(text));
            assertEquals(AuditResult.SCHEMA_VERSION, r.schemaVersion(), name);
            assertEquals(text, ResultCodec.render(r), name);
        }
    }

    @Test
    void theCommittedSchema1FilesReadAndWriteBackStably() throws Exception {
        // schema-1 files lack the statistics engine's fields (interval method, noise floor, p/q, warnings): they are
        // read as unknown, written out with them, and that output reads back to the same record
        for (String name : new String[] {MASKED, GENERATION}) {
            AuditResult r = ResultCodec.readAudit(file(fixture(name)));
            String rendered = ResultCodec.render(r);
            assertEquals(rendered, ResultCodec.render(ResultCodec.readAudit(file(rendered))), name);
        }
    }

    @Test
    void aSchema1FileReadsWithTheSchema2StatisticsFieldsEmpty() throws Exception {
        AuditResult r = ResultCodec.readAudit(file(fixture(MASKED)));
        assertEquals(1, r.schemaVersion());
        LeanResult lean = (LeanResult) r.measures().get(2);
        LeanResult.AggregateValue agg = lean.aggregates().get(0);
        assertEquals("", agg.estimate().ci95().method());
        assertEquals("", agg.estimate().ci95().resamples());
        assertEquals("", agg.estimate().ci95().note());
        assertTrue(Double.isNaN(agg.noiseFloor()) && Double.isNaN(agg.noiseFloorP()));
        assertTrue(Double.isNaN(lean.targets().get(0).p())
                && Double.isNaN(lean.targets().get(0).q()));
        assertEquals(List.of(), lean.warnings());
        GenerationResult g = (GenerationResult)
                ResultCodec.readAudit(file(fixture(GENERATION))).measures().get(0);
        assertEquals(
                "", g.settings().get(0).aggregates().get(0).estimate().ci95().method());
    }

    @Test
    void aSchema2FileMissingAStatisticsFieldIsRefusedNamingIt() throws Exception {
        String broken = fixture(MASKED_2).replaceFirst(",\n\\s*\"method\" : \"[a-z-]*\"", "");
        String message = refused(broken).getMessage();
        assertTrue(message.contains(".ci95.method: missing"), message);
    }

    @Test
    void measuresBindToTheRecordOfTheirKind() throws Exception {
        AuditResult masked = ResultCodec.readAudit(file(fixture(MASKED)));
        assertEquals(1, masked.schemaVersion());
        assertEquals("scripted-mlm", masked.provenance().model().id());
        TopKResult topK = assertInstanceOf(TopKResult.class, masked.measures().get(0));
        assertEquals(3, topK.k());
        LeanResult association =
                assertInstanceOf(LeanResult.class, masked.measures().get(1));
        assertEquals("association", association.measure());
        // a CI of one cluster is undefined: written as null, read as NaN
        assertTrue(
                Double.isNaN(association.aggregates().get(0).estimate().ci95().lower()));
        assertTrue(Double.isNaN(association.items().get(0).priorLogProb()));
        assertInstanceOf(LeanResult.class, masked.measures().get(2));
        assertEquals(false, masked.passed());
        GenerationResult g = assertInstanceOf(
                GenerationResult.class,
                ResultCodec.readAudit(file(fixture(GENERATION))).measures().get(0));
        assertEquals("greedy", g.settings().get(1).decoding().name());
        assertEquals(2, g.settings().get(0).counts().female());
    }

    @Test
    void aSchema1FileFromBeforeSampledAndSlicesIsUpgraded() throws Exception {
        String old = fixture(MASKED).replace(",\n    \"sampled\" : 0", "").replace("\"slices\" : [ ],\n    ", "");
        assertTrue(!old.contains("\"slices\"") && !old.contains("\"sampled\""), "the fixture lost both fields");
        AuditResult r = ResultCodec.readAudit(file(old));
        assertEquals(0, r.executor().sampled());
        assertEquals(0, ((LeanResult) r.measures().get(1)).slices().size());
    }

    @Test
    void anEmptyObjectIsRefusedNamingTheField() throws Exception {
        assertTrue(refused("{}").getMessage().contains("field schemaVersion"));
        assertTrue(refused("{\"schemaVersion\": 1}").getMessage().contains("field provenance: missing"));
    }

    @Test
    void aMissingNestedFieldIsNamedByItsPath() throws Exception {
        String broken = fixture(MASKED).replaceFirst("\"weightsSha256\" : \"[0-9a-f]+\",\n\\s*", "");
        InvalidInputException e = refused(broken);
        assertTrue(e.getMessage().endsWith("field provenance.model.weightsSha256: missing"), e.getMessage());
    }

    @Test
    void aWrongTypeIsNamedByItsPathAndTheExpectedType() throws Exception {
        String broken = fixture(MASKED).replaceFirst("\"k\" : 3", "\"k\" : \"three\"");
        assertTrue(refused(broken).getMessage().endsWith("field measures[0].k: expected an integer"));
        broken = fixture(MASKED).replaceFirst("\"measures\" : \\[", "\"measures\" : 5, \"x\": [");
        assertTrue(refused(broken).getMessage().contains("field measures: expected a list"));
    }

    @Test
    void textThatIsNotJsonIsRefusedWithLineAndColumn() throws Exception {
        InvalidInputException e = refused("{\n  \"schemaVersion\": 1,\n  oops\n}");
        assertTrue(e.getMessage().contains("result.json:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertTrue(refused("").getMessage().contains("empty file"));
        assertTrue(refused("[1, 2]").getMessage().contains("not an audit result"));
    }

    @Test
    void aNewerSchemaIsRefusedWithItsNumber() throws Exception {
        String newer = fixture(MASKED).replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 3");
        assertTrue(refused(newer).getMessage().contains("field schemaVersion: 3 is not a schema this unmask reads"));
    }

    @Test
    void aFolderIsReadThroughItsResultJsonAndAMissingFileIsNamed() throws Exception {
        file(fixture(GENERATION));
        assertEquals(
                "gen-report", ResultCodec.readAudit(dir).provenance().suite().id());
        Path none = dir.resolve("none");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResultCodec.readAudit(none));
        assertTrue(e.getMessage().contains(none.toString()));
    }

    @Test
    void anyRecordRoundTripsThroughTheGenericReader() throws Exception {
        LeanItem item = new LeanItem("m", "t", 0, "", "a", "f", "she", "nurse", "x [MASK]", -1.5, Double.NaN, -1.5);
        Path f = Files.writeString(dir.resolve("item.json"), ResultCodec.render(item));
        assertEquals(
                item.toString(), ResultCodec.read(f, LeanItem.class, "hint").toString());
        assertEquals(ResultCodec.line(item), ResultCodec.tree(item).toString());
    }
}
