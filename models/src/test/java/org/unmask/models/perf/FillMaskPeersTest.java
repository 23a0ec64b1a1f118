package org.unmask.models.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unmask.core.error.InvalidInputException;

/** Peer results are read strictly (a bad file is one clear error, never a silent zero) and set against Unmask. */
class FillMaskPeersTest {
    @TempDir
    Path tmp;

    @Test
    void aPeersFilePrintsUnmasksRatioToEachPeerAndTheBest() throws Exception {
        Path f = tmp.resolve("peers.json");
        Files.writeString(f, """
                {"versions": {"onnxruntime": "1.30.0"}, "rows": [
                 {"peer": "ort-export:dynamo", "batch": 8, "sentences_per_s": 100.0, "cpu_ms_per_sentence": 20},
                 {"peer": "pipeline", "batch": 8, "sentences_per_s": 40.0}]}
                """);
        FillMaskPeers.Peers peers = FillMaskPeers.read(f);
        assertEquals(2, peers.rows().size());
        FillMaskPerf.Result unmask = new FillMaskPerf.Result(
                "m", "onnx", 400, true, 200, List.of(new FillMaskPerf.Point(8, 11, 150, 53, 300, 0.75, 1.5, 0, 13)));
        StringWriter s = new StringWriter();
        FillMaskPeers.print(unmask, peers, new PrintWriter(s, true));
        String out = s.toString();
        assertTrue(out.contains("unmask/peer 1.50x"), out);
        assertTrue(out.contains("unmask/peer 3.75x"), out);
        assertTrue(out.contains("best peer ort-export:dynamo: unmask/best 1.50x"), out);
    }

    @Test
    void aRowWithoutAPositiveRateIsAnInputError() throws Exception {
        Path f = tmp.resolve("peers.json");
        Files.writeString(f, "{\"rows\": [{\"peer\": \"direct\", \"batch\": 1, \"sentences_per_s\": 0}]}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FillMaskPeers.read(f));
        assertTrue(e.getMessage().contains("sentences_per_s"), e.getMessage());
    }

    @Test
    void aMissingOrMalformedFileIsAnInputError() throws Exception {
        assertThrows(InvalidInputException.class, () -> FillMaskPeers.read(tmp.resolve("absent.json")));
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{not json");
        assertThrows(InvalidInputException.class, () -> FillMaskPeers.read(f));
        Files.writeString(f, "{\"rows\": 3}");
        assertThrows(InvalidInputException.class, () -> FillMaskPeers.read(f));
    }
}
