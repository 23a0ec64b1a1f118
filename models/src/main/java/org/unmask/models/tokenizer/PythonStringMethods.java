package org.unmask.models.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Adds the Python {@code str} methods chat templates call ({@code content.upper()}, {@code .startswith('x')},
 * {@code .split()}, {@code ', '.join(list)}...) to Jinjava, which otherwise only finds Java's own String methods
 * ({@code strip} and {@code replace} happen to exist in both). Everything else goes to Jinjava's resolver.
 */
final class PythonStringMethods extends ELResolver {
    private final ELResolver delegate;

    PythonStringMethods(ELResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        if (base instanceof String s && method instanceof String name) {
            Object[] args = params == null ? new Object[0] : params;
            Object out = call(s, name, args);
            if (out != NOT_PYTHON) {
                context.setPropertyResolved(true);
                return out;
            }
        }
        return delegate.invoke(context, base, method, types, params);
    }

    private static final Object NOT_PYTHON = new Object();

    /** Python's result of {@code s.name(*args)}, or {@link #NOT_PYTHON} for a method this class leaves to Java. */
    static Object call(String s, String name, Object[] args) {
        String a0 = args.length > 0 && args[0] != null ? String.valueOf(args[0]) : null;
        return switch (name) {
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" ->
                s.isEmpty()
                        ? s
                        : s.substring(0, 1).toUpperCase(Locale.ROOT)
                                + s.substring(1).toLowerCase(Locale.ROOT);
            case "startswith" -> a0 != null && s.startsWith(a0);
            case "endswith" -> a0 != null && s.endsWith(a0);
            case "strip" -> a0 == null ? pyStrip(s, true, true) : stripChars(s, a0, true, true);
            case "lstrip" -> a0 == null ? pyStrip(s, true, false) : stripChars(s, a0, true, false);
            case "rstrip" -> a0 == null ? pyStrip(s, false, true) : stripChars(s, a0, false, true);
            case "split" -> a0 == null ? splitWhitespace(s) : List.of(s.split(java.util.regex.Pattern.quote(a0), -1));
            case "join" -> join(s, args.length > 0 ? args[0] : null);
            case "count" ->
                a0 == null || a0.isEmpty()
                        ? s.length() + 1
                        : (s.length() - s.replace(a0, "").length()) / a0.length();
            case "find" -> a0 == null ? -1 : s.indexOf(a0);
            default -> NOT_PYTHON;
        };
    }

    /** Python's {@code str.title()}: a letter after a non-letter is upper case, other letters lower case. */
    static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(prevLetter ? Character.toLowerCase(c) : Character.toTitleCase(c));
            prevLetter = Character.isLetter(c);
        }
        return b.toString();
    }

    private static String pyStrip(String s, boolean left, boolean right) {
        int from = 0;
        int to = s.length();
        while (left && from < to && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        while (right && to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static String stripChars(String s, String chars, boolean left, boolean right) {
        int from = 0;
        int to = s.length();
        while (left && from < to && chars.indexOf(s.charAt(from)) >= 0) {
            from++;
        }
        while (right && to > from && chars.indexOf(s.charAt(to - 1)) >= 0) {
            to--;
        }
        return s.substring(from, to);
    }

    private static List<String> splitWhitespace(String s) {
        String t = pyStrip(s, true, true);
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> it) {
            for (Object o : it) {
                parts.add(String.valueOf(o));
            }
        }
        return String.join(sep, parts);
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return delegate.getValue(context, base, property);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return delegate.isReadOnly(context, base, property);
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        delegate.setValue(context, base, property, value);
    }
}
