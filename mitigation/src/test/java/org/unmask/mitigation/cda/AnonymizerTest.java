package org.unmask.mitigation.cda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AnonymizerTest {
    private final Anonymizer a = Anonymizer.withShippedNames();

    @Test
    void replacesEmailsPhonesAndListedFirstNames() {
        Anonymizer.Result r = a.anonymize("Mary's email is mary.smith@example.co.uk, call +1 (555) 123-4567 or John.");
        assertEquals("[NAME]'s email is [EMAIL], call [PHONE] or [NAME].", r.text());
        assertEquals(4, r.replacements());
    }

    @Test
    void leavesYearsDatesShortNumbersAndLowerCaseNamesAlone() {
        String s = "In 2019-03-04 mary paid 1234 dollars for 12 items at 5 pm.";
        assertEquals(s, a.anonymize(s).text());
        assertEquals(0, a.anonymize(s).replacements());
    }

    @Test
    void recognisesSeveralPhoneLayouts() {
        assertEquals(
                "[PHONE] / [PHONE]", a.anonymize("555.123.4567 / 030 1234 5678").text());
    }

    @Test
    void missesNamesOutsideTheList() {
        assertEquals("Bartholomew left.", a.anonymize("Bartholomew left.").text());
    }
}
