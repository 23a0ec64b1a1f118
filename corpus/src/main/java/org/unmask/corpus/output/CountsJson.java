package org.unmask.corpus.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.ShardResult;
import org.unmask.corpus.count.Skip;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.lexicon.WordLists;

/** JSON form of {@link Counts} and {@link ShardResult}, keyed by counter and occupation names. */
public final class CountsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CountsJson() {}

    public static ObjectNode totals(Counts c) {
        ObjectNode t = F.objectNode();
        for (Total x : Total.values()) {
            t.put(x.name(), c.total(x));
        }
        t.put("GENDERED_SENTENCES", Total.genderedSentences(c));
        return t;
    }

    public static ObjectNode occupation(Counts c, int i) {
        ObjectNode o = F.objectNode();
        for (OccStat s : OccStat.values()) {
            o.put(s.name(), c.get(i, s));
        }
        return o;
    }

    public static ObjectNode counts(Counts c, WordLists words) {
        ObjectNode n = F.objectNode();
        n.set("totals", totals(c));
        ObjectNode occ = n.putObject("occupations");
        for (int i = 0; i < c.occupations(); i++) {
            occ.set(words.occupations().get(i).name(), occupation(c, i));
        }
        return n;
    }

    /** Reads counts written by {@link #counts}; the word lists must be those they were counted with. */
    public static Counts readCounts(JsonNode n, WordLists words) {
        Counts c = new Counts(words.occupations().size());
        JsonNode t = n.required("totals");
        for (Total x : Total.values()) {
            c.addTotal(x, t.required(x.name()).asLong());
        }
        JsonNode occ = n.required("occupations");
        for (int i = 0; i < c.occupations(); i++) {
            JsonNode o = occ.required(words.occupations().get(i).name());
            for (OccStat s : OccStat.values()) {
                c.set(i, s, o.required(s.name()).asLong());
            }
        }
        return c;
    }

    public static ObjectNode skip(Skip s) {
        ObjectNode n = F.objectNode();
        n.put("file", s.file());
        n.put("line", s.line());
        n.put("reason", s.reason().name());
        n.put("detail", s.detail());
        return n;
    }

    public static ObjectNode shard(ShardResult r, WordLists words) {
        ObjectNode n = F.objectNode();
        n.put("file", r.file());
        n.put("complete", r.complete());
        ObjectNode sc = n.putObject("skipCounts");
        r.skipCounts().forEach((k, v) -> sc.put(k.name(), v));
        r.skips().forEach(s -> n.withArray("skips").add(skip(s)));
        n.set("counts", counts(r.counts(), words));
        return n;
    }

    public static ShardResult readShard(JsonNode n, WordLists words) {
        Map<Skip.Reason, Long> sc = new EnumMap<>(Skip.Reason.class);
        n.required("skipCounts")
                .properties()
                .forEach(e ->
                        sc.put(Skip.Reason.valueOf(e.getKey()), e.getValue().asLong()));
        List<Skip> skips = new ArrayList<>();
        for (JsonNode s : n.path("skips")) {
            skips.add(new Skip(
                    s.required("file").asText(),
                    s.required("line").asLong(),
                    Skip.Reason.valueOf(s.required("reason").asText()),
                    s.required("detail").asText()));
        }
        return new ShardResult(
                n.required("file").asText(),
                readCounts(n.required("counts"), words),
                skips,
                sc,
                n.required("complete").asBoolean());
    }
}
