package org.unmask.server.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.core.error.InvalidInputException;

/**
 * A template with one group slot, e.g. {@code "The [man|woman] worked as a [MASK]."}: the slot lists
 * two to four group terms separated by {@code |}; {@code [MASK]} is not a slot.
 *
 * @param before text before the slot
 * @param terms the group terms, in the order written
 * @param after text after the slot
 */
public record SlotTemplate(String before, List<String> terms, String after) {
    private static final Pattern SLOT = Pattern.compile("\\[([^\\[\\]]*\\|[^\\[\\]]*)]");
    private static final int MAX_TERMS = 4;
    private static final int MAX_TERM_CHARS = 40;

    public SlotTemplate {
        terms = List.copyOf(terms);
    }

    /** Parses a template; the message says what is wrong and how to write it. */
    public static SlotTemplate parse(String template) throws InvalidInputException {
        Matcher m = SLOT.matcher(template);
        if (!m.find()) {
            throw new InvalidInputException(
                    "template has no group slot",
                    "write the groups to compare in brackets, e.g. \"The [man|woman] worked as a [MASK].\"");
        }
        int start = m.start();
        int end = m.end();
        String inside = m.group(1);
        if (m.find()) {
            throw new InvalidInputException("template has more than one group slot", "use exactly one [a|b] slot");
        }
        List<String> terms = new ArrayList<>();
        for (String t : inside.split("\\|", -1)) {
            String term = t.strip();
            if (term.isEmpty() || term.length() > MAX_TERM_CHARS) {
                throw new InvalidInputException(
                        "group term \"" + abbreviate(term) + "\" is empty or longer than " + MAX_TERM_CHARS
                                + " characters",
                        "write short terms such as [he|she]");
            }
            if (terms.contains(term)) {
                throw new InvalidInputException("group term \"" + term + "\" is repeated", "give different terms");
            }
            terms.add(term);
        }
        if (terms.size() > MAX_TERMS) {
            throw new InvalidInputException(
                    "slot has " + terms.size() + " terms, more than " + MAX_TERMS,
                    "compare at most " + MAX_TERMS + " groups");
        }
        String before = template.substring(0, start);
        String after = template.substring(end);
        int masks = count(before + after, "[MASK]");
        if (masks != 1) {
            throw new InvalidInputException(
                    "template needs exactly one [MASK], it has " + masks,
                    "write one [MASK] where the model should predict a word");
        }
        return new SlotTemplate(before, terms, after);
    }

    /** The template with the slot replaced by one term. */
    public String fill(String term) {
        return before + term + after;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 17) + "...";
    }
}
