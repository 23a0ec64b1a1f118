package org.unmask.cli.options;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.unmask.core.error.InvalidInputException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one validation path of numeric options: checks each option of a command against its {@link Range} and
 * reports the first value out of range as one line naming the option, the value and the allowed range
 * ({@link InvalidInputException}, exit 3). A value that is not a number at all never gets here: picocli rejects it
 * while parsing, as a usage error (exit 2).
 */
public final class OptionRanges {
    private OptionRanges() {}

    /** Checks every ranged option of {@code command} (given or defaulted, mixins included). */
    public static void check(CommandSpec command) throws InvalidInputException {
        for (OptionSpec option : command.options()) {
            Range range = range(option);
            if (range == null) {
                continue;
            }
            for (Object value : values(option.getValue())) {
                if (value instanceof Number n && !allows(range, n)) {
                    throw new InvalidInputException(
                            option.longestName() + " " + value + " is out of range (allowed: " + describe(range, n)
                                    + ")",
                            "");
                }
            }
        }
    }

    /** The {@link Range} on the field behind {@code arg}, or null when it has none (or is not a field). */
    public static Range range(ArgSpec arg) {
        return arg.userObject() instanceof Field f ? f.getAnnotation(Range.class) : null;
    }

    /** Whether {@code arg} holds numbers (so that it must carry a {@link Range}). */
    public static boolean isNumeric(ArgSpec arg) {
        Class<?> type = arg.type().isArray() ? arg.type().getComponentType() : arg.type();
        if (Collection.class.isAssignableFrom(type) && arg.auxiliaryTypes().length > 0) {
            type = arg.auxiliaryTypes()[0];
        }
        return Number.class.isAssignableFrom(type)
                || (type.isPrimitive() && type != boolean.class && type != char.class);
    }

    static boolean allows(Range r, Number n) {
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            return false;
        }
        boolean aboveMin = r.minExclusive() ? v > r.min() : v >= r.min();
        boolean belowMax = r.maxExclusive() ? v < r.max() : v <= r.max();
        return aboveMin && belowMax;
    }

    /** The range in the notation users know: {@code 1..1024}, {@code >= 0}, {@code (0, 1]}, {@code > 0}. */
    static String describe(Range r, Number sample) {
        boolean whole = !(sample instanceof Double || sample instanceof Float);
        boolean hasMin = r.min() != Double.NEGATIVE_INFINITY;
        boolean hasMax = r.max() != Double.POSITIVE_INFINITY;
        String finite = whole ? "" : "a finite number ";
        if (hasMin && hasMax) {
            if (whole && !r.minExclusive() && !r.maxExclusive()) {
                return format(r.min(), true) + ".." + format(r.max(), true);
            }
            return (r.minExclusive() ? "(" : "[") + format(r.min(), whole) + ", " + format(r.max(), whole)
                    + (r.maxExclusive() ? ")" : "]");
        }
        if (hasMin) {
            return finite + (r.minExclusive() ? "> " : ">= ") + format(r.min(), whole);
        }
        if (hasMax) {
            return finite + (r.maxExclusive() ? "< " : "<= ") + format(r.max(), whole);
        }
        return "a finite number";
    }

    private static String format(double d, boolean whole) {
        if (whole || d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%s", d);
    }

    private static List<Object> values(Object value) {
        List<Object> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> c) {
            out.addAll(c);
        } else {
            out.add(value);
        }
        return out;
    }
}
