package org.unmask.corpus.count;

import java.io.Serializable;

/**
 * One piece of input that was not counted, with where and why.
 *
 * @param file the shard (relative path)
 * @param line 1-based line number (0 when the problem is not tied to a line, e.g. an unreadable file)
 * @param reason what was wrong
 * @param detail specifics (offset, exception message)
 */
public record Skip(String file, long line, Reason reason, String detail) implements Serializable {
    /** Why input was skipped. */
    public enum Reason {
        NOT_JSON("line is not a JSON object"),
        NO_TEXT_FIELD("document has no text field"),
        TEXT_NOT_STRING("text field is not a string"),
        INVALID_UTF8("invalid UTF-8"),
        LINE_TOO_LONG("line longer than the limit"),
        CORRUPT_STREAM("corrupt or truncated compressed stream; rest of the shard skipped"),
        UNREADABLE("file could not be read");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** {@code file:line: reason (detail)}. */
    public String describe() {
        return file + (line > 0 ? ":" + line : "") + ": " + reason.text()
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
