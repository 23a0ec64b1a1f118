package org.unmask.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one HTML escaping every page uses (reports, trace page, the server's job pages). */
class HtmlTest {
    @Test
    void escapingMakesMarkupInertQuotesIncluded() {
        assertEquals(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
                Html.escape("<script>alert('x')</script> & \"q\""));
    }
}
