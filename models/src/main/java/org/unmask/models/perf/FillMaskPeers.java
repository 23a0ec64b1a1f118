package org.unmask.models.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.unmask.core.error.InvalidInputException;

/**
 * Peer results written by {@code tools/peers/fill_mask_peers.py} (same sentences, cursor and FLOP accounting as
 * {@link FillMaskPerf}), and the table that sets Unmask's points against them: the ratio Unmask / peer per batch
 * size, so a claim never rests on absolute speeds measured on a noisy machine at another time.
 */
public final class FillMaskPeers {
    /** One peer at one batch size. */
    public record Row(String peer, int batch, double sentencesPerSecond, double cpuMsPerSentence) {}

    /** A peers file: its rows and the versions it was measured with. */
    public record Peers(List<Row> rows, String versions) {}

    private FillMaskPeers() {}

    public static Peers read(Path file) throws InvalidInputException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "cannot read the peer results " + file + ": " + e.getMessage(),
                    "write it with tools/peers/fill_mask_peers.py --out FILE");
        }
        JsonNode rows = root == null ? null : root.get("rows");
        if (rows == null || !rows.isArray()) {
            throw new InvalidInputException(
                    file + " has no \"rows\" list", "write it with tools/peers/fill_mask_peers.py --out FILE");
        }
        List<Row> out = new ArrayList<>();
        for (JsonNode r : rows) {
            double rate = r.path("sentences_per_s").asDouble(Double.NaN);
            if (!r.hasNonNull("peer") || !r.path("batch").canConvertToInt() || !(rate > 0) || Double.isInfinite(rate)) {
                throw new InvalidInputException(
                        file + ": a row lacks peer, batch or a positive finite sentences_per_s: " + r,
                        "write it with tools/peers/fill_mask_peers.py --out FILE");
            }
            out.add(new Row(
                    r.get("peer").asText(),
                    r.get("batch").asInt(),
                    rate,
                    r.path("cpu_ms_per_sentence").asDouble(Double.NaN)));
        }
        return new Peers(out, root.path("versions").toString());
    }

    /** Prints, per measured batch size, every peer's throughput and Unmask's ratio to it (and to the best). */
    public static void print(FillMaskPerf.Result unmask, Peers peers, PrintWriter log) {
        log.printf("peers (%s):%n", peers.versions());
        Set<String> names = new LinkedHashSet<>();
        peers.rows().forEach(r -> names.add(r.peer()));
        for (FillMaskPerf.Point p : unmask.points()) {
            log.printf(
                    "batch %2d: unmask %7.1f sentences/s (%.1f CPU ms/sentence)%n",
                    p.batch(), p.sentencesPerSecond(), p.cpuMsPerSentence());
            Optional<Row> best = Optional.empty();
            for (String n : names) {
                Optional<Row> r = peers.rows().stream()
                        .filter(x -> x.peer().equals(n) && x.batch() == p.batch())
                        .findFirst();
                if (r.isEmpty()) {
                    continue;
                }
                log.printf(
                        "          %-28s %7.1f sentences/s  unmask/peer %.2fx%n",
                        n,
                        r.get().sentencesPerSecond(),
                        p.sentencesPerSecond() / r.get().sentencesPerSecond());
                if (best.isEmpty() || r.get().sentencesPerSecond() > best.get().sentencesPerSecond()) {
                    best = r;
                }
            }
            best.ifPresent(b -> log.printf(
                    "          best peer %s: unmask/best %.2fx%n",
                    b.peer(), p.sentencesPerSecond() / b.sentencesPerSecond()));
        }
    }
}
