package org.unmask.corpus.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.unmask.core.io.AtomicFiles;
import org.unmask.core.result.CorpusStats;
import org.unmask.core.result.ResultCodec;
import org.unmask.core.version.ToolVersion;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.input.Shard;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.local.CorpusRun;

/**
 * The outputs of a corpus run: {@value #JSON_FILE} (schema {@value #SCHEMA}: counts, derived scores, provenance,
 * skipped input), {@value #CSV_FILE} (one row per occupation) and a terminal summary.
 */
public final class StatsReport {
    public static final String SCHEMA = CorpusStats.SCHEMA;
    public static final String JSON_FILE = "corpus-stats.json";
    public static final String CSV_FILE = "occupations.csv";
    public static final String VERSION = ToolVersion.get();
    private static final int LISTED_SKIPS = 1000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CorpusRun run;

    public StatsReport(CorpusRun run) {
        this.run = run;
    }

    /**
     * Writes the JSON (through the result codec, as every result file) and CSV files into {@code outDir}
     * atomically. The one writer of {@value #JSON_FILE}: the local engine and the Spark job both call it.
     */
    public void write(Path outDir) throws IOException {
        AtomicFiles.write(outDir.resolve(JSON_FILE), ResultCodec.render(json()));
        AtomicFiles.write(outDir.resolve(CSV_FILE), csv().getBytes(StandardCharsets.UTF_8));
    }

    /** The level's association for occupation {@code i}. */
    public Association association(int i, OccStat maleOnly) {
        Counts c = run.totals();
        OccStat femaleOnly = OccStat.values()[maleOnly.ordinal() + 1];
        return Association.of(
                c.get(i, maleOnly),
                c.get(i, femaleOnly),
                run.spec().words().occupations().get(i).referencePctFemale());
    }

    public OptionalDouble cooccurrenceBias(int i) {
        Counts c = run.totals();
        return CooccurrenceBias.of(
                c.get(i, OccStat.WIN_PAIRS_FEMALE),
                c.get(i, OccStat.WIN_PAIRS_MALE),
                c.total(Total.CONTEXT_TOKENS_FEMALE),
                c.total(Total.CONTEXT_TOKENS_MALE));
    }

    public ObjectNode json() {
        ObjectNode root = JSON.objectNode();
        root.put("schema", SCHEMA);
        root.put("status", run.status().name().toLowerCase(Locale.ROOT));
        root.set("definitions", definitions());
        root.set("spec", spec());
        root.set("provenance", provenance());
        root.set("totals", CountsJson.totals(run.totals()));
        root.set("summary", summaryNode());
        ArrayNode occ = root.putArray("occupations");
        List<OccupationTerm> terms = run.spec().words().occupations();
        for (int i = 0; i < terms.size(); i++) {
            occ.add(occupationNode(i, terms.get(i)));
        }
        root.set("skipped", skippedNode());
        ObjectNode r = root.putObject("run");
        r.put("engine", run.engine());
        r.put("threads", run.threads());
        r.put("seconds", run.seconds());
        r.put("reusedShards", run.reusedShards());
        r.put("missingShards", run.missingShards());
        r.put("uncompressedBytesThisRun", run.bytesThisRun());
        r.put("uncompressedMBPerSecond", mbPerSecond());
        return root;
    }

    /** Uncompressed input bytes counted in this run (reused shards excluded) per second, in MB (10^6) / s. */
    public double mbPerSecond() {
        return run.seconds() <= 0 ? 0 : run.bytesThisRun() / 1e6 / run.seconds();
    }

    private ObjectNode definitions() {
        ObjectNode d = JSON.objectNode();
        d.put("token", "maximal run of ASCII letters, case-insensitive; other bytes separate tokens");
        d.put("sentence", "text between . ! ? , a blank line or the document end; only sentences with >= 1 token");
        d.put("document", "one JSONL line's text field; one plain-text file");
        d.put("mention", "a token equal to any form (singular or plural) of the occupation");
        d.put(
                "sentenceLevel",
                "sentences mentioning the occupation, by genders of their gendered words: "
                        + "male only / female only (Thaler et al. 2024) / both");
        d.put("windowLevel", "per mention, gendered words within +-k tokens in the same document (mention excluded)");
        d.put("pctFemale", "100 * femaleOnly / (maleOnly + femaleOnly), 95% Wilson interval");
        d.put("tvdUniform", "|pFemale - 0.5| (total variation distance to uniform), 0 ideal, max 0.5");
        d.put("tvdReference", "|pFemale - BLS share| (total variation distance to the reference), 0 ideal");
        d.put(
                "bordiaBowman",
                "ln(P(w|f)/P(w|m)), P(w|g) = c(w,g) / sum over vocabulary of c(.,g), c over +-k "
                        + "windows; >0 female-skewed; undefined when c(w,f) or c(w,m) is 0");
        return d;
    }

    private ObjectNode spec() {
        ObjectNode s = JSON.objectNode();
        s.put("window", run.spec().window());
        s.put("textField", run.spec().textField());
        s.put("maxLineBytes", run.spec().maxLineBytes());
        s.put("fingerprint", run.spec().fingerprint());
        ObjectNode w = s.putObject("wordLists");
        w.put("source", run.spec().words().source());
        w.put("sha256", run.spec().words().sha256());
        w.put("occupations", run.spec().words().occupations().size());
        run.spec().words().male().forEach(x -> w.withArray("male").add(x));
        run.spec().words().female().forEach(x -> w.withArray("female").add(x));
        run.spec().words().dropped().forEach(x -> w.withArray("dropped").add(x));
        return s;
    }

    private ObjectNode provenance() {
        ObjectNode p = JSON.objectNode();
        p.put("tool", "unmask " + VERSION);
        p.put("java", System.getProperty("java.version"));
        p.put("created", Instant.now().toString());
        p.put("root", run.listing().root().toAbsolutePath().toString());
        p.put("identity", "files are identified by relative path, size and modification time (not hashed)");
        ArrayNode files = p.putArray("files");
        for (Shard s : run.listing().shards()) {
            ObjectNode f = files.addObject();
            f.put("path", s.relative());
            f.put("format", s.format().name());
            f.put("bytes", s.size());
            f.put("modified", Instant.ofEpochMilli(s.modifiedMillis()).toString());
        }
        run.listing().ignored().forEach(x -> p.withArray("ignoredFiles").add(x));
        return p;
    }

    private ObjectNode summaryNode() {
        ObjectNode s = JSON.objectNode();
        int n = run.spec().words().occupations().size();
        double sumU = 0;
        double sumR = 0;
        double sumB = 0;
        int nU = 0;
        int nR = 0;
        int nB = 0;
        for (int i = 0; i < n; i++) {
            Association a = association(i, OccStat.SENT_MALE_ONLY);
            if (a.tvdUniform().isPresent()) {
                sumU += a.tvdUniform().getAsDouble();
                nU++;
            }
            if (a.tvdReference().isPresent()) {
                sumR += a.tvdReference().getAsDouble();
                nR++;
            }
            OptionalDouble b = cooccurrenceBias(i);
            if (b.isPresent()) {
                sumB += Math.abs(b.getAsDouble());
                nB++;
            }
        }
        put(s, "meanTvdUniform", nU, sumU);
        put(s, "meanTvdReference", nR, sumR);
        put(s, "meanAbsBordiaBowman", nB, sumB);
        s.put("level", "sentence (tvd); window (Bordia & Bowman)");
        return s;
    }

    private static void put(ObjectNode s, String name, int n, double sum) {
        ObjectNode o = s.putObject(name);
        o.put("n", n);
        if (n > 0) {
            o.put("value", sum / n);
        } else {
            o.putNull("value");
        }
    }

    private ObjectNode occupationNode(int i, OccupationTerm t) {
        ObjectNode o = JSON.objectNode();
        o.put("occupation", t.name());
        t.forms().forEach(f -> o.withArray("forms").add(f));
        if (t.referencePctFemale().isPresent()) {
            o.put("referencePctFemale", t.referencePctFemale().getAsDouble());
        } else {
            o.putNull("referencePctFemale");
        }
        o.set("counts", CountsJson.occupation(run.totals(), i));
        o.set("sentence", assoc(association(i, OccStat.SENT_MALE_ONLY)));
        o.set("document", assoc(association(i, OccStat.DOC_MALE_ONLY)));
        o.set("window", assoc(association(i, OccStat.WIN_MALE_ONLY)));
        OptionalDouble b = cooccurrenceBias(i);
        if (b.isPresent()) {
            o.put("bordiaBowman", b.getAsDouble());
        } else {
            o.putNull("bordiaBowman");
        }
        return o;
    }

    private static ObjectNode assoc(Association a) {
        ObjectNode o = JSON.objectNode();
        o.put("n", a.n());
        opt(o, "pctFemale", a.pctFemale());
        opt(o, "ciLow", a.ciLow());
        opt(o, "ciHigh", a.ciHigh());
        opt(o, "tvdUniform", a.tvdUniform());
        opt(o, "tvdReference", a.tvdReference());
        return o;
    }

    private static void opt(ObjectNode o, String k, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(k, v.getAsDouble());
        } else {
            o.putNull(k);
        }
    }

    private ObjectNode skippedNode() {
        ObjectNode s = JSON.objectNode();
        s.put("total", run.skipped());
        ObjectNode by = s.putObject("byReason");
        for (Skip.Reason r : Skip.Reason.values()) {
            long n = run.shards().stream()
                    .mapToLong(x -> x.skipCounts().getOrDefault(r, 0L))
                    .sum();
            if (n > 0) {
                by.put(r.name(), n);
            }
        }
        run.shards().stream()
                .filter(x -> !x.complete())
                .forEach(x -> s.withArray("incompleteShards").add(x.file()));
        ArrayNode items = s.putArray("items");
        for (Skip k : skips()) {
            if (items.size() >= LISTED_SKIPS) {
                break;
            }
            items.add(CountsJson.skip(k));
        }
        s.put("listed", items.size());
        return s;
    }

    private List<Skip> skips() {
        List<Skip> all = new ArrayList<>();
        for (ShardResult r : run.shards()) {
            all.addAll(r.skips());
        }
        return all;
    }

    /** One row per occupation: counts at each level, % female with CI, TVDs and the B&amp;B bias. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append("occupation,reference_pct_female,mentions");
        for (String lvl : List.of("sent", "doc", "win")) {
            sb.append(',')
                    .append(lvl)
                    .append("_male_only,")
                    .append(lvl)
                    .append("_female_only,")
                    .append(lvl)
                    .append("_both,")
                    .append(lvl)
                    .append("_pct_female,")
                    .append(lvl)
                    .append("_ci_low,")
                    .append(lvl)
                    .append("_ci_high,")
                    .append(lvl)
                    .append("_tvd_uniform,")
                    .append(lvl)
                    .append("_tvd_reference");
        }
        sb.append(",sent_total,doc_total,win_pairs_male,win_pairs_female,bordia_bowman_bias\n");
        List<OccupationTerm> terms = run.spec().words().occupations();
        Counts c = run.totals();
        for (int i = 0; i < terms.size(); i++) {
            OccupationTerm t = terms.get(i);
            sb.append(t.name())
                    .append(',')
                    .append(num(t.referencePctFemale()))
                    .append(',')
                    .append(c.get(i, OccStat.MENTIONS));
            for (OccStat lvl : List.of(OccStat.SENT_MALE_ONLY, OccStat.DOC_MALE_ONLY, OccStat.WIN_MALE_ONLY)) {
                Association a = association(i, lvl);
                sb.append(',')
                        .append(a.male())
                        .append(',')
                        .append(a.female())
                        .append(',')
                        .append(c.get(i, OccStat.values()[lvl.ordinal() + 2]))
                        .append(',')
                        .append(num(a.pctFemale()))
                        .append(',')
                        .append(num(a.ciLow()))
                        .append(',')
                        .append(num(a.ciHigh()))
                        .append(',')
                        .append(num(a.tvdUniform()))
                        .append(',')
                        .append(num(a.tvdReference()));
            }
            sb.append(',')
                    .append(c.get(i, OccStat.SENT_TOTAL))
                    .append(',')
                    .append(c.get(i, OccStat.DOC_TOTAL))
                    .append(',')
                    .append(c.get(i, OccStat.WIN_PAIRS_MALE))
                    .append(',')
                    .append(c.get(i, OccStat.WIN_PAIRS_FEMALE))
                    .append(',')
                    .append(num(cooccurrenceBias(i)))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String num(OptionalDouble d) {
        return d.isPresent() ? String.format(Locale.ROOT, "%.6g", d.getAsDouble()) : "";
    }

    /** A short human summary: totals, the most mentioned occupations, skipped input by file:line. */
    public String summary(int topOccupations, int listedSkips) {
        Counts c = run.totals();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "corpus: %d files (%d from checkpoints, %d not counted), %s%n",
                run.listing().shards().size(),
                run.reusedShards(),
                run.missingShards(),
                run.status()));
        sb.append(String.format(
                Locale.ROOT,
                "documents %,d  sentences %,d  tokens %,d  gendered sentences %,d (male only %,d, female only %,d,"
                        + " both %,d)%n",
                c.total(Total.DOCUMENTS),
                c.total(Total.SENTENCES),
                c.total(Total.TOKENS),
                Total.genderedSentences(c),
                c.total(Total.SENTENCES_MALE_ONLY),
                c.total(Total.SENTENCES_FEMALE_ONLY),
                c.total(Total.SENTENCES_BOTH)));
        sb.append(String.format(
                Locale.ROOT,
                "this run: %,d MB uncompressed in %.1f s = %.1f MB/s on %d threads%n",
                run.bytesThisRun() / 1_000_000,
                run.seconds(),
                mbPerSecond(),
                run.threads()));
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < c.occupations(); i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingLong(
                        (Integer i) -> association(i, OccStat.SENT_MALE_ONLY).n())
                .reversed());
        sb.append(String.format(
                Locale.ROOT,
                "%-16s %8s %8s %9s %15s %9s %8s%n",
                "occupation",
                "male",
                "female",
                "%female",
                "95% CI",
                "BLS %f",
                "B&B"));
        for (int j = 0; j < Math.min(topOccupations, idx.size()); j++) {
            int i = idx.get(j);
            Association a = association(i, OccStat.SENT_MALE_ONLY);
            if (a.n() == 0) {
                break;
            }
            OccupationTerm t = run.spec().words().occupations().get(i);
            OptionalDouble b = cooccurrenceBias(i);
            sb.append(String.format(
                    Locale.ROOT,
                    "%-16s %8d %8d %8.1f%% %6.1f–%5.1f%% %9s %8s%n",
                    t.name(),
                    a.male(),
                    a.female(),
                    a.pctFemale().getAsDouble(),
                    a.ciLow().getAsDouble(),
                    a.ciHigh().getAsDouble(),
                    t.referencePctFemale().isPresent()
                            ? String.format(
                                    Locale.ROOT,
                                    "%.1f%%",
                                    t.referencePctFemale().getAsDouble())
                            : "-",
                    b.isPresent() ? String.format(Locale.ROOT, "%+.2f", b.getAsDouble()) : "-"));
        }
        if (run.skipped() > 0 || run.shards().stream().anyMatch(r -> !r.complete())) {
            sb.append(String.format(Locale.ROOT, "skipped: %,d item(s) not counted; by file:%n", run.skipped()));
            int files = 0;
            for (ShardResult r : run.shards()) {
                if (r.skipped() == 0) {
                    continue;
                }
                if (files++ == listedSkips) {
                    sb.append("  ... more files in ").append(JSON_FILE).append('\n');
                    break;
                }
                StringBuilder why = new StringBuilder();
                r.skipCounts().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(e -> why.append(why.length() == 0 ? "" : ", ")
                                .append(e.getKey())
                                .append(' ')
                                .append(e.getValue()));
                sb.append(String.format(
                        Locale.ROOT,
                        "  %s: %,d (%s)%s%n",
                        r.file(),
                        r.skipped(),
                        why,
                        r.complete() ? "" : " INCOMPLETE"));
            }
            List<Skip> all = skips();
            // stream-level problems first: they cost whole shards
            all.sort(Comparator.comparing(
                    (Skip k) -> k.reason() != Skip.Reason.CORRUPT_STREAM && k.reason() != Skip.Reason.UNREADABLE));
            sb.append("first items:\n");
            for (int j = 0; j < Math.min(listedSkips, all.size()); j++) {
                sb.append("  ").append(all.get(j).describe()).append('\n');
            }
            if (all.size() > listedSkips || run.skipped() > all.size()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  ... see %s for more (%d listed there)%n",
                        JSON_FILE,
                        Math.min(all.size(), LISTED_SKIPS)));
            }
        }
        return sb.toString();
    }
}
