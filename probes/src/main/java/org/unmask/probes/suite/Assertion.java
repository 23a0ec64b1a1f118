package org.unmask.probes.suite;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A threshold a suite asserts on a lean measure's point estimates. Three forms:
 *
 * <ul>
 *   <li>{@code max |association| < 0.5} — {@code max}, {@code mean} or {@code min} of the absolute per-target lean;
 *   <li>{@code mean pronoun-lean > -0.2} — the same of the signed lean;
 *   <li>{@code spearman(association) < 0.5} — an aggregate of the measure by id (see {@code docs/suite-format.md}).
 * </ul>
 *
 * @param expression the text as written
 * @param reducer {@code max}, {@code mean}, {@code min}, or the aggregate id for the third form
 * @param absolute whether the per-target values are taken as absolute values
 * @param aggregate whether {@code reducer} names an aggregate
 * @param measure the measure name it applies to
 * @param op one of {@code <}, {@code <=}, {@code >}, {@code >=}
 * @param threshold the bound
 * @param line its line in the suite file
 */
public record Assertion(
        String expression,
        String reducer,
        boolean absolute,
        boolean aggregate,
        String measure,
        String op,
        double threshold,
        int line) {
    private static final String NUM = "([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)";
    private static final String OP = "\\s*(<=|>=|<|>)\\s*";
    private static final Pattern ABS = Pattern.compile("(max|mean|min)\\s*\\|\\s*([\\w-]+)\\s*\\|" + OP + NUM);
    private static final Pattern SIGNED = Pattern.compile("(max|mean|min)\\s+([\\w-]+)" + OP + NUM);
    private static final Pattern AGG = Pattern.compile("([\\w-]+)\\s*\\(\\s*([\\w-]+)\\s*\\)" + OP + NUM);

    /** Parses an assertion, or returns null when the text has none of the three forms. */
    public static Assertion parse(String text, int line) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = ABS.matcher(s);
        if (m.matches()) {
            return new Assertion(
                    text.strip(),
                    m.group(1),
                    true,
                    false,
                    m.group(2),
                    m.group(3),
                    Double.parseDouble(m.group(4)),
                    line);
        }
        m = SIGNED.matcher(s);
        if (m.matches()) {
            return new Assertion(
                    text.strip(),
                    m.group(1),
                    false,
                    false,
                    m.group(2),
                    m.group(3),
                    Double.parseDouble(m.group(4)),
                    line);
        }
        m = AGG.matcher(s);
        if (m.matches()) {
            return new Assertion(
                    text.strip(),
                    m.group(1),
                    false,
                    true,
                    m.group(2),
                    m.group(3),
                    Double.parseDouble(m.group(4)),
                    line);
        }
        return null;
    }

    /** Whether {@code value} satisfies the bound; NaN never does. */
    public boolean holds(double value) {
        return switch (op) {
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            default -> throw new IllegalStateException("operator " + op);
        };
    }
}
