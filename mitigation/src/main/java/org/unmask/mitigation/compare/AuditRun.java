package org.unmask.mitigation.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.AuditResult;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.ResultCodec;
import org.unmask.mitigation.cost.PseudoPerplexity;

/**
 * One audit result folder as {@code unmask audit --out} writes it, read through {@link ResultCodec}:
 * {@code result.json} (provenance, measures with their ideal values, aggregates, item-level scores and top-k
 * tables) and, when present, {@code pseudo-perplexity.json} (written by {@code unmask pppl --out}). A malformed
 * file is an error naming the file and the field, never an empty comparison.
 *
 * @param dir the folder
 * @param result the audit result
 * @param pseudoPerplexity the pseudo-perplexity, or null
 */
public record AuditRun(Path dir, AuditResult result, PseudoPerplexity.Result pseudoPerplexity) {
    /** Reads a result folder; names the missing or broken file (and field) in the error. */
    public static AuditRun read(Path dir) throws InvalidInputException {
        Path result = dir.resolve("result.json");
        if (!Files.isRegularFile(result)) {
            throw new InvalidInputException(
                    dir + " is not an audit result folder (no result.json)",
                    "give folders written by `unmask audit --out <dir>`");
        }
        AuditResult r = ResultCodec.readAudit(result);
        Path pppl = dir.resolve(PseudoPerplexity.FILE);
        PseudoPerplexity.Result p = Files.isRegularFile(pppl)
                ? PseudoPerplexity.read(pppl, "re-run `unmask pppl --model <ref> --out " + dir + "`")
                : null;
        return new AuditRun(dir, r, p);
    }

    /** The model id from the provenance. */
    public String modelId() {
        return result.provenance().model().id();
    }

    /** The suite SHA-256 from the provenance ({@code ""} when unknown). */
    public String suiteSha256() {
        String s = result.provenance().suite().sha256();
        return s == null ? "" : s;
    }

    /** Measures by name, in suite order. */
    public Map<String, MeasureResult> measures() {
        Map<String, MeasureResult> m = new LinkedHashMap<>();
        for (MeasureResult r : result.measures()) {
            m.put(r.name(), r);
        }
        return m;
    }
}
