package org.unmask.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Content-Security-Policy for a self-contained report page: its own inline {@code <style>} and
 * {@code <script>} blocks are allowed by their SHA-256 hashes (CSP level 2), nothing else inline, no network
 * loads except this origin's stylesheet. Every user-supplied string in a report is escaped, so the only
 * {@code <script>}/{@code <style>} elements are the renderer's own.
 */
public final class InlinePolicy {
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private InlinePolicy() {}

    public static String forHtml(String html) {
        return "default-src 'none'; img-src data:; style-src 'self'" + hashes(STYLE, html) + "; script-src"
                + (SCRIPT.matcher(html).find() ? hashes(SCRIPT, html) : " 'none'")
                + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static String hashes(Pattern p, String html) {
        StringBuilder b = new StringBuilder();
        Matcher m = p.matcher(html);
        while (m.find()) {
            b.append(" 'sha256-").append(sha256(m.group(1))).append('\'');
        }
        return b.toString();
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
