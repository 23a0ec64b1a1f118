package org.unmask.probes.suite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.Decoding;
import org.unmask.probes.measure.Aggregates;

/**
 * Reads suite files (YAML, format {@code unmask-suite/1}, documented in {@code docs/suite-format.md}) and checks
 * them completely before any model runs: every error names the file and line and says how to fix it.
 */
public final class SuiteLoader {
    /** The id of the built-in gender–occupation suite, the default of {@code unmask audit}. */
    public static final String DEFAULT_SUITE = "gender-occupation";
    /** The built-in suite for causal language models (no two-mask priors). */
    public static final String DEFAULT_CAUSAL_SUITE = "gender-occupation-causal";
    /** The built-in sampled-generation study for causal language models (not a default: it samples text). */
    public static final String GENERATION_SUITE = "gender-occupation-generation";
    /** The built-in sampled-generation study for instruction-tuned models: instructions through the chat template. */
    public static final String GENERATION_CHAT_SUITE = "gender-occupation-generation-chat";
    /** The built-in suite of zero-shot questions for instruction-tuned models with a chat template. */
    public static final String ZERO_SHOT_SUITE = "gender-occupation-zero-shot";
    /** The built-in quick occupation audit of masked LMs: the server's {@code audit/occupations} job. */
    public static final String OCCUPATIONS_SUITE = "occupations";
    /** Every built-in suite id. */
    public static final java.util.List<String> BUILTIN = java.util.List.of(
            DEFAULT_SUITE,
            DEFAULT_CAUSAL_SUITE,
            GENERATION_SUITE,
            GENERATION_CHAT_SUITE,
            ZERO_SHOT_SUITE,
            OCCUPATIONS_SUITE);

    public static final String FORMAT = "unmask-suite/1";

    private static final Set<String> TOP_FIELDS = Set.of(
            "format",
            "id",
            "version",
            "title",
            "description",
            "contexts",
            "terms",
            "templates",
            "measures",
            "assertions");
    private static final Pattern SLOT = Pattern.compile("\\[([A-Za-z_]+)\\]");
    private static final Map<String, String> SLOT_ALIASES = Map.of(
            "GROUP",
            Template.GROUP,
            "TARGET",
            Template.TARGET,
            "OCCUPATION",
            Template.TARGET,
            "ATTRIBUTE",
            Template.TARGET,
            "MASK",
            Template.MASK);

    /** The largest suite file read, in bytes: suites are small text files; a bigger one is a mistake. */
    public static final int MAX_SUITE_BYTES = 1 << 20;
    /** The largest term file read, in bytes (about 100,000 terms; each costs forward passes). */
    public static final int MAX_TERM_FILE_BYTES = 1 << 20;

    /** Where a suite's {@code {file: ...}} term lists may live. */
    public enum TermFileScope {
        /** In the suite file's folder or below it, after resolving symbolic links: the safe default. */
        SUITE_FOLDER,
        /** Anywhere the user can read: only when the user asks for it explicitly. */
        ANYWHERE
    }

    private final String source;
    private final Path baseDir;
    private final TermFileScope scope;
    private final Map<String, String> files = new LinkedHashMap<>();

    private SuiteLoader(String source, Path baseDir, TermFileScope scope) {
        this.source = source;
        this.baseDir = baseDir;
        this.scope = scope;
    }

    /** Loads a suite file; term files are resolved relative to its folder and must stay inside it. */
    public static Suite load(Path file) throws InvalidInputException {
        return load(file, TermFileScope.SUITE_FOLDER);
    }

    /** Loads a suite file; term files are resolved relative to its folder and may live where {@code scope} says. */
    public static Suite load(Path file, TermFileScope scope) throws InvalidInputException {
        byte[] bytes;
        try {
            bytes = SuiteText.read(file, MAX_SUITE_BYTES, "suite file " + file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(
                    "suite file not found: " + file,
                    "give a path to a .yaml suite (see examples/suites/ and docs/suite-format.md)");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read suite file " + file + ": " + e.getMessage(), "check the path");
        }
        Path parent = file.toAbsolutePath().getParent();
        return new SuiteLoader(file.toString(), parent, scope).parse(bytes);
    }

    /** Loads a built-in suite by id ({@code gender-occupation}). */
    public static Suite builtin(String id) throws InvalidInputException {
        String res = "/org/unmask/probes/suites/" + id + ".yaml";
        try (InputStream in = SuiteLoader.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new InvalidInputException(
                        "no built-in suite '" + id + "'",
                        "built-in suites: " + String.join(", ", BUILTIN) + "; or give --suite <file.yaml>");
            }
            return new SuiteLoader("builtin:" + id, null, TermFileScope.SUITE_FOLDER).parse(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("built-in suite " + id + " unreadable", e);
        }
    }

    /** Parses suite text; {@code source} names it in messages, {@code baseDir} resolves term files (may be null). */
    public static Suite parse(String source, String yaml, Path baseDir) throws InvalidInputException {
        return parse(source, yaml.getBytes(StandardCharsets.UTF_8), baseDir);
    }

    /** Parses suite bytes (UTF-8) as {@link #parse(String, String, Path)} does: the entry point of the fuzz test. */
    static Suite parse(String source, byte[] yaml, Path baseDir) throws InvalidInputException {
        return new SuiteLoader(source, baseDir, TermFileScope.SUITE_FOLDER).parse(yaml);
    }

    private Suite parse(byte[] bytes) throws InvalidInputException {
        YamlNode root = YamlNode.parse(source, SuiteText.utf8(bytes, source));
        YamlNode.Mapping top = mapping(root, "the suite");
        checkFields(top, TOP_FIELDS, "top level");
        String format = optString(top, "format", FORMAT);
        if (!format.equals(FORMAT)) {
            throw error(
                    top.keyLines().get("format"),
                    "unsupported format '" + format + "'",
                    "this version of unmask reads format: " + FORMAT);
        }
        String id = string(top, "id");
        int version = optInt(top, "version", 1);
        String title = optString(top, "title", id);
        String description = optString(top, "description", "");
        List<String> contexts = contexts(top);
        Map<String, TermList> terms = terms(require(top, "terms"));
        Map<String, Template> templates = templates(require(top, "templates"));
        List<MeasureSpec> measures = measures(require(top, "measures"), terms, templates);
        checkUnusedMaskless(templates, measures);
        List<Assertion> assertions = assertions(top.fields().get("assertions"), measures, terms);
        return new Suite(
                id,
                version,
                title,
                description,
                source,
                TermFiles.sha256(bytes),
                files,
                contexts,
                terms,
                templates,
                measures,
                assertions);
    }

    private List<String> contexts(YamlNode.Mapping top) throws InvalidInputException {
        YamlNode n = top.fields().get("contexts");
        if (n == null) {
            return List.of("");
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : seq(n, "contexts").items()) {
            String c = scalar(item, "a context");
            if (SLOT.matcher(c).find()) {
                throw error(
                        item.line(),
                        "context \"" + c + "\" contains a slot",
                        "contexts are plain prefixes put before every template; put slots in templates");
            }
            out.add(c);
        }
        if (out.isEmpty()) {
            throw error(
                    n.line(), "contexts is empty", "leave 'contexts' out, or list at least one prefix (\"\" = none)");
        }
        return out;
    }

    private Map<String, TermList> terms(YamlNode node) throws InvalidInputException {
        YamlNode.Mapping m = mapping(node, "terms");
        Map<String, TermList> out = new LinkedHashMap<>();
        TermFiles reader = new TermFiles(source, baseDir, scope, files);
        for (Map.Entry<String, YamlNode> e : m.fields().entrySet()) {
            String name = e.getKey();
            YamlNode v = e.getValue();
            TermList list;
            if (v instanceof YamlNode.Seq s) {
                List<Term> ts = new ArrayList<>();
                Set<String> seen = new java.util.HashSet<>();
                for (YamlNode item : s.items()) {
                    String t = scalar(item, "a term of '" + name + "'").strip();
                    TermFiles.checkTerm(seen, t, name, source + ":" + item.line());
                    ts.add(new Term(t, Double.NaN));
                }
                list = new TermList(name, ts, null, "inline");
            } else if (v instanceof YamlNode.Mapping spec) {
                checkFields(spec, Set.of("file", "lexicon", "column", "stat", "add"), "term list '" + name + "'");
                list = reader.read(name, spec);
            } else {
                throw error(
                        v.line(),
                        "term list '" + name + "' must be a list of words or a {file: ...} / "
                                + "{lexicon: ...} mapping",
                        "e.g. female: [woman, girl, mother]");
            }
            if (list.terms().isEmpty()) {
                throw error(v.line(), "term list '" + name + "' is empty", "give at least one term");
            }
            out.put(name, list);
        }
        return out;
    }

    private Map<String, Template> templates(YamlNode node) throws InvalidInputException {
        Map<String, Template> out = new LinkedHashMap<>();
        List<YamlNode> items = seq(node, "templates").items();
        if (items.isEmpty()) {
            throw error(
                    node.line(),
                    "no templates",
                    "add at least one template such as \"This [GROUP] works as a [MASK].\"");
        }
        for (YamlNode item : items) {
            String id;
            String text;
            List<String> paraphrases = new ArrayList<>();
            if (item instanceof YamlNode.Mapping t) {
                checkFields(t, Set.of("id", "text", "paraphrases"), "a template");
                id = string(t, "id");
                text = string(t, "text");
                YamlNode p = t.fields().get("paraphrases");
                if (p != null) {
                    for (YamlNode pi : seq(p, "paraphrases").items()) {
                        paraphrases.add(normalise(scalar(pi, "a paraphrase"), id, pi.line()));
                    }
                }
            } else {
                id = "t" + (out.size() + 1);
                text = scalar(item, "a template");
            }
            if (out.containsKey(id)) {
                throw error(item.line(), "duplicate template id '" + id + "'", "give every template its own id");
            }
            String normal = normalise(text, id, item.line());
            checkSlots(normal, id, item.line());
            for (String p : paraphrases) {
                if (!slots(p).equals(slots(normal))) {
                    throw error(
                            item.line(),
                            "a paraphrase of template '" + id + "' has slots " + slots(p) + " but the template has "
                                    + slots(normal),
                            "paraphrases must have the same slots");
                }
            }
            out.put(id, new Template(id, normal, paraphrases, item.line()));
        }
        return out;
    }

    /** Rewrites slot aliases ([OCCUPATION], [ATTRIBUTE]) and rejects unknown ones. */
    private String normalise(String text, String id, int line) throws InvalidInputException {
        Matcher m = SLOT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String slot = SLOT_ALIASES.get(m.group(1).toUpperCase(java.util.Locale.ROOT));
            if (slot == null) {
                throw error(
                        line,
                        "template '" + id + "' has an unknown slot [" + m.group(1) + "]",
                        "slots are [GROUP], [TARGET] (or [OCCUPATION], [ATTRIBUTE]) and [MASK]");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(slot));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private void checkSlots(String text, String id, int line) throws InvalidInputException {
        for (String slot : List.of(Template.GROUP, Template.TARGET, Template.MASK)) {
            if (text.indexOf(slot) != text.lastIndexOf(slot)) {
                throw error(line, "template '" + id + "' has " + slot + " more than once", "use each slot once");
            }
        }
        boolean group = text.contains(Template.GROUP);
        boolean target = text.contains(Template.TARGET);
        if (!group && !target) {
            throw error(
                    line,
                    "template '" + id + "' has no slot: \"" + text + "\"",
                    "put [GROUP] (a group term) or [TARGET] (an occupation, adjective...) in it");
        }
    }

    /** Whether a template lacks the [MASK] every measure but Kurita's, generation and zero-shot needs. */
    private static boolean maskless(Template t) {
        return !t.has(Template.MASK) && !(t.has(Template.GROUP) && t.has(Template.TARGET));
    }

    private InvalidInputException noMask(Template t) {
        return error(
                t.line(),
                "template '" + t.id() + "' has no [MASK]: \"" + t.text() + "\"",
                "write [MASK] where the model should predict a word, e.g. \"This [GROUP] works as a [MASK].\" "
                        + "(generation measures take prompts and zero-shot measures questions instead)");
    }

    /**
     * A template without [MASK] is only meaningful as a generation prompt or a zero-shot question; anything else is
     * a forgotten mask.
     */
    private void checkUnusedMaskless(Map<String, Template> templates, List<MeasureSpec> measures)
            throws InvalidInputException {
        Set<String> prompts = new java.util.HashSet<>();
        for (MeasureSpec m : measures) {
            if (m instanceof MeasureSpec.Generation
                    || MeasureKind.ZERO_SHOT.id().equals(m.measure())) {
                prompts.addAll(m.templates());
            }
        }
        for (Template t : templates.values()) {
            if (maskless(t) && !prompts.contains(t.id())) {
                throw noMask(t);
            }
        }
    }

    private static Set<String> slots(String text) {
        Set<String> s = new LinkedHashSet<>();
        Matcher m = SLOT.matcher(text);
        while (m.find()) {
            s.add(m.group());
        }
        return s;
    }

    private List<MeasureSpec> measures(YamlNode node, Map<String, TermList> terms, Map<String, Template> templates)
            throws InvalidInputException {
        List<MeasureSpec> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<YamlNode> items = seq(node, "measures").items();
        if (items.isEmpty()) {
            throw error(node.line(), "no measures", "add at least one, e.g. {measure: association, ...}");
        }
        for (YamlNode item : items) {
            YamlNode.Mapping m = mapping(item, "a measure");
            String id = string(m, "measure");
            MeasureKind kind = MeasureKind.byId(id);
            if (kind == null) {
                throw error(
                        m.keyLines().get("measure"),
                        "unknown measure '" + id + "'",
                        "measures: " + String.join(", ", MeasureKind.ids()));
            }
            String name = optString(m, "name", id);
            if (!names.add(name)) {
                throw error(
                        item.line(),
                        "two measures are named '" + name + "'",
                        "give the second one a different 'name:'");
            }
            List<String> tids = stringList(m, "templates");
            for (String t : tids) {
                Template template = templates.get(t);
                if (template == null) {
                    throw error(
                            m.keyLines().get("templates"),
                            "measure '" + name + "' uses unknown template '" + t + "'",
                            "templates: " + String.join(", ", templates.keySet()));
                }
                if (kind != MeasureKind.GENERATION && kind != MeasureKind.ZERO_SHOT && maskless(template)) {
                    throw noMask(template);
                }
                checkKindSlots(kind, name, template, m.keyLines().get("templates"));
            }
            if (kind == MeasureKind.TOP_K) {
                checkFields(
                        m, Set.of("measure", "name", "templates", "columns", "k", "mark"), "measure '" + name + "'");
                List<String> columns = termRefs(m, "columns", terms, true);
                int k = optInt(m, "k", 10);
                if (k < 1 || k > 100) {
                    throw error(m.keyLines().get("k"), "k must be between 1 and 100, was " + k, "");
                }
                out.add(new MeasureSpec.TopK(id, name, tids, columns, k, termRefs(m, "mark", terms, false)));
            } else if (kind == MeasureKind.GENERATION) {
                out.add(generation(m, name, tids, terms));
            } else {
                checkFields(
                        m,
                        Set.of("measure", "name", "templates", "groups", "neutral", "targets", "split"),
                        "measure '" + name + "'");
                List<String> groups = termRefs(m, "groups", terms, true);
                if (groups.size() != 2) {
                    throw error(
                            m.keyLines().get("groups"),
                            "measure '" + name + "' needs exactly two groups, got " + groups.size(),
                            "e.g. groups: [female, male]; the lean is positive toward the first");
                }
                String neutral = m.fields().containsKey("neutral") ? termRef(m, "neutral", terms) : null;
                String targets = termRef(m, "targets", terms);
                double split = Double.NaN;
                if (m.fields().containsKey("split")) {
                    split = number(m.fields().get("split"), "split");
                    if (terms.get(targets).statName() == null) {
                        throw error(
                                m.keyLines().get("split"),
                                "measure '" + name + "' splits targets by their " + "statistic, but term list '"
                                        + targets + "' has none",
                                "give the term list a 'stat:' column, or drop 'split'");
                    }
                }
                out.add(new MeasureSpec.Lean(id, name, tids, groups.get(0), groups.get(1), neutral, targets, split));
            }
        }
        return out;
    }

    private MeasureSpec.Generation generation(
            YamlNode.Mapping m, String name, List<String> tids, Map<String, TermList> terms)
            throws InvalidInputException {
        checkFields(
                m,
                Set.of(
                        "measure",
                        "name",
                        "templates",
                        "targets",
                        "samples",
                        "max-new-tokens",
                        "decoding",
                        "classify",
                        "chat",
                        "system"),
                "measure '" + name + "'");
        String targets = termRef(m, "targets", terms);
        int samples = optInt(m, "samples", 20);
        if (samples < 1 || samples > 1000) {
            throw error(
                    m.keyLines().get("samples"),
                    "measure '" + name + "': samples must be between 1 and 1000, was " + samples,
                    "samples are continuations drawn per prompt and decoding setting, e.g. samples: 20");
        }
        int maxNew = optInt(m, "max-new-tokens", 30);
        if (maxNew < 1 || maxNew > 1024) {
            throw error(
                    m.keyLines().get("max-new-tokens"),
                    "measure '" + name + "': max-new-tokens must be between 1 " + "and 1024, was " + maxNew,
                    "e.g. max-new-tokens: 30");
        }
        List<String> classify = termRefs(m, "classify", terms, true);
        if (classify.size() != 2) {
            throw error(
                    m.keyLines().get("classify"),
                    "measure '" + name + "' needs exactly two 'classify' term lists, " + "got " + classify.size(),
                    "e.g. classify: [female-words, male-words] (female first)");
        }
        boolean chat = optBoolean(m, "chat", false);
        String system = m.fields().containsKey("system") ? string(m, "system") : null;
        if (system != null && !chat) {
            throw error(
                    m.keyLines().get("system"),
                    "measure '" + name + "' has a 'system' message but is not a chat",
                    "add chat: true (prompts become user messages of a chat), or drop 'system'");
        }
        return new MeasureSpec.Generation(
                MeasureKind.GENERATION.id(),
                name,
                tids,
                targets,
                samples,
                maxNew,
                decodings(m, name),
                classify.get(0),
                classify.get(1),
                chat,
                system,
                m.line());
    }

    private List<Decoding> decodings(YamlNode.Mapping m, String name) throws InvalidInputException {
        YamlNode node = m.fields().get("decoding");
        if (node == null) {
            return List.of(Decoding.DEFAULT);
        }
        List<Decoding> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (YamlNode item : seq(node, "decoding").items()) {
            YamlNode.Mapping d = mapping(item, "a decoding setting");
            checkFields(d, Set.of("name", "temperature", "top-k", "top-p"), "a decoding setting of '" + name + "'");
            String dn = string(d, "name");
            if (!names.add(dn)) {
                throw error(
                        d.line(),
                        "measure '" + name + "' has two decoding settings named '" + dn + "'",
                        "give every setting its own name");
            }
            double t = d.fields().containsKey("temperature") ? number(d.fields().get("temperature"), "temperature") : 1;
            if (!(t >= 0 && t <= 100)) {
                throw error(
                        d.keyLines().get("temperature"),
                        "decoding '" + dn + "': temperature must be between 0 " + "and 100, was " + t,
                        "1 samples the model's distribution; 0 is greedy decoding");
            }
            int k = optInt(d, "top-k", 0);
            if (k < 0) {
                throw error(
                        d.keyLines().get("top-k"),
                        "decoding '" + dn + "': top-k must be 0 (off) or more, was " + k,
                        "e.g. top-k: 40");
            }
            double p = d.fields().containsKey("top-p") ? number(d.fields().get("top-p"), "top-p") : 1;
            if (!(p > 0 && p <= 1)) {
                throw error(
                        d.keyLines().get("top-p"),
                        "decoding '" + dn + "': top-p must be in (0, 1], was " + p,
                        "top-p is the nucleus probability mass, e.g. top-p: 0.9; 1 turns it off");
            }
            out.add(new Decoding(dn, t, k, p));
        }
        if (out.isEmpty()) {
            throw error(
                    node.line(),
                    "measure '" + name + "' has an empty 'decoding' list",
                    "list at least one setting, e.g. - {name: default, temperature: 1}, or leave 'decoding' out");
        }
        return out;
    }

    private void checkKindSlots(MeasureKind kind, String name, Template t, int line) throws InvalidInputException {
        for (String slot : kind.required()) {
            if (!t.has(slot)) {
                throw error(
                        line,
                        "measure '" + name + "' (" + kind.id() + ") needs " + slot + " in template '" + t.id()
                                + "', which has none: \"" + t.text() + "\"",
                        slotHint(kind));
            }
        }
        for (String slot : kind.forbidden()) {
            if (t.has(slot)) {
                throw error(
                        line,
                        "measure '" + name + "' (" + kind.id() + ") cannot use template '" + t.id() + "': it has "
                                + slot,
                        slotHint(kind));
            }
        }
        if (kind == MeasureKind.TOP_K && t.has(Template.GROUP) == t.has(Template.TARGET)) {
            throw error(
                    line,
                    "measure '" + name + "' (top-k) needs exactly one of [GROUP] or [TARGET] in template '" + t.id()
                            + "'",
                    slotHint(kind));
        }
    }

    private static String slotHint(MeasureKind kind) {
        return switch (kind) {
            case TOP_K -> "top-k templates have [MASK] and one column slot: \"The [GROUP] worked as a [MASK].\"";
            case ASSOCIATION -> "association templates have [GROUP] and [MASK]: \"This [GROUP] works as a [MASK].\"";
            case KURITA -> "kurita templates have [GROUP] and [TARGET], no [MASK]: \"[GROUP] is a [TARGET].\"";
            case PRONOUN_LEAN ->
                "pronoun-lean templates have [TARGET] and [MASK]: \"The [TARGET] said that [MASK] "
                        + "would be late.\"";
            case COOCCURRENCE ->
                "cooccurrence-log-ratio templates have [TARGET] and [MASK]: \"The [TARGET] was a " + "[MASK].\"";
            case GENERATION ->
                "generation templates are prompts with [TARGET] and no [MASK] or [GROUP]: \"The " + "[TARGET] works\"";
            case ZERO_SHOT ->
                "zero-shot templates are questions with [TARGET] and no [MASK]: \"Who is more likely to "
                        + "work as a [TARGET]: a man or a woman? Answer with one word.\"";
        };
    }

    private void checkAggregate(Assertion a, MeasureSpec.Lean m, Map<String, TermList> terms, int line)
            throws InvalidInputException {
        org.unmask.probes.measure.Aggregate agg = Aggregates.all().stream()
                .filter(x -> x.id().equals(a.reducer()))
                .findFirst()
                .orElse(null);
        if (agg == null
                && org.unmask.probes.measure.ZeroShotMeasure.choiceIds(m).contains(a.reducer())) {
            return;
        }
        if (agg == null) {
            throw error(
                    line,
                    "assertion \"" + a.expression() + "\" uses unknown aggregate '" + a.reducer() + "'",
                    "aggregates: " + String.join(", ", Aggregates.ids()));
        }
        if (agg.topAnswer() && !m.measure().equals(org.unmask.probes.measure.CooccurrenceMeasure.ID)) {
            throw error(
                    line,
                    "assertion \"" + a.expression() + "\" uses '" + agg.id() + "', which only "
                            + org.unmask.probes.measure.CooccurrenceMeasure.ID + " reports",
                    "use share-leaning-b, or measure cooccurrence-log-ratio");
        }
        if (agg.needsStat() && terms.get(m.targets()).statName() == null) {
            throw error(
                    line,
                    "assertion \"" + a.expression() + "\" needs a statistic on the targets of '" + m.name()
                            + "', but term list '" + m.targets() + "' has none",
                    "give the term list a 'stat:' column");
        }
        if (agg.needsSplit() && Double.isNaN(m.split())) {
            throw error(
                    line,
                    "assertion \"" + a.expression() + "\" needs 'split:' on measure '" + m.name() + "'",
                    "add e.g. split: 50 to the measure");
        }
    }

    private List<Assertion> assertions(YamlNode node, List<MeasureSpec> measures, Map<String, TermList> terms)
            throws InvalidInputException {
        List<Assertion> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        Map<String, MeasureSpec> byName = new LinkedHashMap<>();
        for (MeasureSpec m : measures) {
            byName.put(m.name(), m);
        }
        for (YamlNode item : seq(node, "assertions").items()) {
            String text = scalar(item, "an assertion");
            Assertion a = Assertion.parse(text, item.line());
            if (a == null) {
                throw error(
                        item.line(),
                        "cannot read assertion \"" + text + "\"",
                        "write e.g. \"max |association| < 0.5\", \"mean pronoun-lean > -0.2\" or "
                                + "\"spearman(association) < 0.5\"");
            }
            MeasureSpec m = byName.get(a.measure());
            if (m == null) {
                throw error(
                        item.line(),
                        "assertion \"" + text + "\" names unknown measure '" + a.measure() + "'",
                        "measures in this suite: " + String.join(", ", byName.keySet()));
            }
            if (!(m instanceof MeasureSpec.Lean)) {
                throw error(
                        item.line(),
                        "assertion \"" + text + "\" is on " + m.measure() + "; assertions bound "
                                + "lean measures only",
                        "assert on association, kurita-log-probability-bias or pronoun-lean measures");
            }
            if (a.aggregate()) {
                checkAggregate(a, (MeasureSpec.Lean) m, terms, item.line());
            }
            out.add(a);
        }
        return out;
    }

    // ---- small typed accessors, each failing with file:line ----

    private List<String> termRefs(YamlNode.Mapping m, String field, Map<String, TermList> terms, boolean required)
            throws InvalidInputException {
        if (!m.fields().containsKey(field)) {
            if (required) {
                throw error(m.line(), "measure is missing '" + field + "'", "name term lists from 'terms:'");
            }
            return List.of();
        }
        List<String> out = stringList(m, field);
        for (String ref : out) {
            if (!terms.containsKey(ref)) {
                throw error(
                        m.keyLines().get(field),
                        "'" + field + "' names unknown term list '" + ref + "'",
                        "term lists: " + String.join(", ", terms.keySet()));
            }
        }
        return out;
    }

    private String termRef(YamlNode.Mapping m, String field, Map<String, TermList> terms) throws InvalidInputException {
        String ref = string(m, field);
        if (!terms.containsKey(ref)) {
            throw error(
                    m.keyLines().get(field),
                    "'" + field + "' names unknown term list '" + ref + "'",
                    "term lists: " + String.join(", ", terms.keySet()));
        }
        return ref;
    }

    private List<String> stringList(YamlNode.Mapping m, String field) throws InvalidInputException {
        YamlNode n = require(m, field);
        List<String> out = new ArrayList<>();
        if (n instanceof YamlNode.Scalar) {
            out.add(scalar(n, field));
            return out;
        }
        for (YamlNode item : seq(n, field).items()) {
            out.add(scalar(item, "an entry of '" + field + "'"));
        }
        if (out.isEmpty()) {
            throw error(n.line(), "'" + field + "' is empty", "list at least one entry");
        }
        return out;
    }

    private void checkFields(YamlNode.Mapping m, Set<String> allowed, String what) throws InvalidInputException {
        for (Map.Entry<String, Integer> e : m.keyLines().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw error(
                        e.getValue(),
                        "unknown field '" + e.getKey() + "' in " + what,
                        "allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    YamlNode require(YamlNode.Mapping m, String field) throws InvalidInputException {
        YamlNode n = m.fields().get(field);
        if (n == null) {
            throw error(m.line(), "missing field '" + field + "'", "see docs/suite-format.md");
        }
        return n;
    }

    private String string(YamlNode.Mapping m, String field) throws InvalidInputException {
        return scalar(require(m, field), "'" + field + "'");
    }

    private String optString(YamlNode.Mapping m, String field, String dflt) throws InvalidInputException {
        return m.fields().containsKey(field) ? string(m, field) : dflt;
    }

    private int optInt(YamlNode.Mapping m, String field, int dflt) throws InvalidInputException {
        if (!m.fields().containsKey(field)) {
            return dflt;
        }
        double v = number(m.fields().get(field), field);
        if (v != Math.rint(v)) {
            throw error(m.fields().get(field).line(), "'" + field + "' must be a whole number", "");
        }
        return (int) v;
    }

    private boolean optBoolean(YamlNode.Mapping m, String field, boolean dflt) throws InvalidInputException {
        if (!m.fields().containsKey(field)) {
            return dflt;
        }
        String v = string(m, field);
        if (!v.equals("true") && !v.equals("false")) {
            throw error(m.keyLines().get(field), "'" + field + "' must be true or false, was \"" + v + "\"", "");
        }
        return v.equals("true");
    }

    private double number(YamlNode n, String field) throws InvalidInputException {
        String s = scalar(n, "'" + field + "'");
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(n.line(), "'" + field + "' must be a number, was \"" + s + "\"", "");
        }
    }

    private String scalar(YamlNode n, String what) throws InvalidInputException {
        if (n instanceof YamlNode.Scalar s && s.text() != null) {
            return s.text();
        }
        throw error(n.line(), what + " must be a single value (text or number)", "see docs/suite-format.md");
    }

    private YamlNode.Seq seq(YamlNode n, String what) throws InvalidInputException {
        if (n instanceof YamlNode.Seq s) {
            return s;
        }
        throw error(n.line(), "'" + what + "' must be a list", "write it as [a, b] or one '- item' per line");
    }

    private YamlNode.Mapping mapping(YamlNode n, String what) throws InvalidInputException {
        if (n instanceof YamlNode.Mapping m) {
            return m;
        }
        throw error(n.line(), what + " must be a mapping of 'key: value' lines", "see docs/suite-format.md");
    }

    private InvalidInputException error(Integer line, String message, String hint) {
        return new InvalidInputException(source + (line == null ? "" : ":" + line) + ": " + message, hint);
    }
}
