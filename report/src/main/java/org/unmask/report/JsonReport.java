package org.unmask.report;

import org.unmask.core.result.AuditResult;
import org.unmask.core.result.ResultCodec;

/**
 * The schema-versioned {@code result.json}: the {@link AuditResult} record tree as {@link ResultCodec} writes it
 * (undefined numbers, e.g. a CI of too few data, as {@code null}, since JSON has no NaN).
 */
public final class JsonReport {
    private JsonReport() {}

    public static String render(AuditResult result) {
        return ResultCodec.render(result);
    }
}
