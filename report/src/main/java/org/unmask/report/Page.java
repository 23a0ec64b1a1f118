package org.unmask.report;

/**
 * The page shell every HTML report of the family shares (audit, benchmark): doctype, a content-security policy that
 * forbids every network load (so a page opens offline and cannot leak), inline CSS, and the small inline script
 * (filter boxes) at the end. Titles and table cells pass through {@link Html#escape}.
 */
final class Page {
    static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232a;background:#fafafa}
            main{max-width:1100px;margin:0 auto;padding:24px}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 6px;border-bottom:1px solid #ddd}
            h3{font-size:15px;margin:18px 0 6px}
            .muted{color:#5b6570}.small{font-size:12px}
            table{border-collapse:collapse;margin:8px 0;background:#fff}
            td,th{border:1px solid #dde1e5;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f0f2f4;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .pass{color:#11703a;font-weight:600}.fail{color:#b3261e;font-weight:600}
            .chart text{font-size:11px;fill:#333}.chart .axis{fill:#5b6570}
            .chart rect.a,.chart circle.a{fill:#b5489b}.chart rect.b,.chart circle.b{fill:#2f6db5}
            .chart line.ci{stroke:#222;stroke-width:1}.chart line.zero{stroke:#888;stroke-dasharray:3 3}
            .chart line.axisline{stroke:#aaa}
            .topk{display:flex;flex-wrap:wrap;gap:10px}.topk table{margin:0}
            .mark-neutral{}.mark-a{color:#b5489b;font-weight:600}.mark-b{color:#2f6db5;font-weight:600}
            .shared{text-decoration:underline dotted}
            code{background:#eef0f2;padding:0 3px;border-radius:3px}
            input.filter{margin:6px 0;padding:3px 6px;width:220px}
            details summary{cursor:pointer;color:#2f6db5}
            """;
    static final String SCRIPT = """
            document.querySelectorAll('input.filter').forEach(function (box) {
              box.addEventListener('input', function () {
                var q = box.value.toLowerCase();
                var rows = document.querySelectorAll('#' + box.dataset.table + ' tbody tr');
                var shown = 0;
                rows.forEach(function (r) {
                  var hit = r.cells[0].textContent.toLowerCase().indexOf(q) >= 0;
                  r.style.display = hit ? '' : 'none';
                  if (hit) { shown++; }
                });
                box.setAttribute('data-shown', String(shown));
              });
            });
            """;

    private Page() {}

    /** Starts a page: head with CSP, viewport, the escaped {@code title} and the CSS; opens {@code <main>}. */
    static StringBuilder open(String title) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(Html.escape(title))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body><main>");
        return sb;
    }

    /** Closes {@code <main>}, adds the script and returns the page. */
    static String close(StringBuilder sb) {
        return sb.append("</main><script>")
                .append(SCRIPT)
                .append("</script></body></html>\n")
                .toString();
    }

    /** A key/value row of a provenance table, both escaped. */
    static void row(StringBuilder sb, String k, String v) {
        sb.append("<tr><th>")
                .append(Html.escape(k))
                .append("</th><td>")
                .append(Html.escape(v))
                .append("</td></tr>");
    }
}
