package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.List;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Template;

/**
 * One concrete version of a template: a paraphrase (or the template itself) behind one context prefix.
 *
 * @param template template id
 * @param paraphrase 0 for the template, i for its i-th paraphrase
 * @param context the prefix
 * @param text context + template text, slots unfilled
 */
public record Variant(String template, int paraphrase, String context, String text) {
    /** Every context × version of the named templates, in suite order. */
    public static List<Variant> of(Suite suite, List<String> templateIds) {
        List<Variant> out = new ArrayList<>();
        for (String id : templateIds) {
            Template t = suite.templates().get(id);
            for (String c : suite.contexts()) {
                List<String> versions = t.versions();
                for (int i = 0; i < versions.size(); i++) {
                    out.add(new Variant(id, i, c, join(c, versions.get(i))));
                }
            }
        }
        return out;
    }

    static String join(String context, String text) {
        if (context.isEmpty()) {
            return text;
        }
        return Character.isWhitespace(context.charAt(context.length() - 1)) ? context + text : context + " " + text;
    }
}
