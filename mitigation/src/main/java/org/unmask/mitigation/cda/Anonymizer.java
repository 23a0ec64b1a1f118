package org.unmask.mitigation.cda;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional anonymisation before swapping, so that names and contact details do not carry gender (or identity)
 * into the augmented data. Replaces, in this order:
 * <ol>
 *   <li>e-mail addresses ({@code local@domain.tld}) by {@link #EMAIL};</li>
 *   <li>phone numbers of 8 or more digits written in groups ({@code +1 (555) 123-4567}, {@code 030 1234 5678},
 *       {@code 555.123.4567}) by {@link #PHONE};</li>
 *   <li>capitalised first names from the shipped BBQ list (131 names, CC BY 4.0, see PROVENANCE.md) by
 *       {@link #NAME}, possessive suffix kept ({@code Mary's} → {@code [NAME]'s}).</li>
 * </ol>
 * What it does <b>not</b> catch: first names outside that short list, last names, nicknames, lower-case names,
 * postal addresses, URLs, account or ID numbers, phone numbers of fewer than 8 digits or written in one run of
 * more than 4 digits. Names that are also ordinary words ({@code Grace}, {@code Mark}, {@code Will} is not in the
 * list) are replaced whenever capitalised, including at the start of a sentence. It is a coarse filter, not PII
 * removal to any legal standard.
 */
public final class Anonymizer {
    public static final String EMAIL = "[EMAIL]";
    public static final String PHONE = "[PHONE]";
    public static final String NAME = "[NAME]";

    private static final String NAMES = "/org/unmask/mitigation/cda/first-names.tsv";
    private static final Pattern EMAIL_RE =
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PHONE_RE = Pattern.compile(
            "(?<![\\w.])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{2,4}\\)|\\d{2,4})[ .-]?\\d{3,4}[ .-]?\\d{3,4}(?![\\w])");
    private static final Pattern CAPITALISED = Pattern.compile("\\b\\p{Lu}\\p{L}+\\b");

    private final Set<String> names;
    private final String namesSha256;

    private Anonymizer(Set<String> names, String namesSha256) {
        this.names = Set.copyOf(names);
        this.namesSha256 = namesSha256;
    }

    /** The anonymiser with the shipped first-name list. */
    public static Anonymizer withShippedNames() {
        byte[] tsv = SwapLexicon.resource(NAMES);
        Set<String> names = new HashSet<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(new ByteArrayInputStream(tsv), StandardCharsets.UTF_8))) {
            r.readLine(); // header
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    names.add(line.split("\t", 2)[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Anonymizer(names, SwapLexicon.sha256(tsv));
    }

    /** SHA-256 of the name list, for provenance. */
    public String namesSha256() {
        return namesSha256;
    }

    /** The text with e-mails, phone numbers and listed first names replaced by placeholders. */
    public Result anonymize(String text) {
        int[] count = {0};
        String t = replaceAll(EMAIL_RE, text, m -> EMAIL, count);
        t = replaceAll(PHONE_RE, t, m -> PHONE, count);
        t = replaceAll(CAPITALISED, t, m -> names.contains(m.group()) ? NAME : null, count);
        return new Result(t, count[0]);
    }

    private static String replaceAll(
            Pattern p, String text, java.util.function.Function<Matcher, String> f, int[] count) {
        Matcher m = p.matcher(text);
        StringBuilder sb = null;
        int copied = 0;
        while (m.find()) {
            String rep = f.apply(m);
            if (rep == null) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, copied, m.start()).append(rep);
            copied = m.end();
            count[0]++;
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, copied, text.length()).toString();
    }

    /**
     * An anonymised text.
     *
     * @param text the text with placeholders
     * @param replacements how many spans were replaced
     */
    public record Result(String text, int replacements) {}
}
