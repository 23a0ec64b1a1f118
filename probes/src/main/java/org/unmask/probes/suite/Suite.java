package org.unmask.probes.suite;

import java.util.List;
import java.util.Map;

/**
 * A bias test as data: term lists, templates, the measures to run and the assertions that gate a model. Loaded by
 * {@link SuiteLoader} from YAML (format in {@code docs/suite-format.md}).
 *
 * @param id stable id
 * @param version the suite's own version; bump it when results would change
 * @param title one-line title for reports
 * @param description what the suite measures
 * @param source where it was read from (a path, or {@code builtin:<id>})
 * @param sha256 SHA-256 of the suite file's bytes
 * @param files SHA-256 of every other file the suite read (term files, built-in lexicons), by name
 * @param contexts prefixes put before every template ({@code ""} = none)
 * @param terms term lists by name
 * @param templates templates by id, in file order
 * @param measures measures to run
 * @param assertions thresholds that must hold
 */
public record Suite(
        String id,
        int version,
        String title,
        String description,
        String source,
        String sha256,
        Map<String, String> files,
        List<String> contexts,
        Map<String, TermList> terms,
        Map<String, Template> templates,
        List<MeasureSpec> measures,
        List<Assertion> assertions) {
    public Suite {
        files = Map.copyOf(files);
        contexts = List.copyOf(contexts);
        terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
        templates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(templates));
        measures = List.copyOf(measures);
        assertions = List.copyOf(assertions);
    }

    public TermList terms(String name) {
        TermList t = terms.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no term list " + name);
        }
        return t;
    }
}
