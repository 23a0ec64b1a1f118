package org.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.unmask.corpus.count.Counts;
import org.unmask.corpus.count.Lexicon;
import org.unmask.corpus.count.OccStat;
import org.unmask.corpus.count.TextScanner;
import org.unmask.corpus.count.Total;
import org.unmask.corpus.lexicon.OccupationTerm;
import org.unmask.corpus.lexicon.WordLists;

class TextScannerTest {
    static final WordLists WORDS = new WordLists(
            List.of(
                    new OccupationTerm("nurse", List.of("nurse", "nurses"), OptionalDouble.of(90)),
                    new OccupationTerm("doctor", List.of("doctor", "doctors"), OptionalDouble.of(40))),
            List.of("he", "his", "man"),
            List.of("she", "her", "sister"),
            List.of(),
            "test");

    static Counts count(int window, String... docs) {
        Counts c = new Counts(WORDS.occupations().size());
        TextScanner s = new TextScanner(new Lexicon(WORDS), window, c);
        for (String d : docs) {
            byte[] b = d.getBytes(StandardCharsets.UTF_8);
            s.document(b, 0, b.length);
        }
        return c;
    }

    // Hand-checked fixture. Tokens (positions) of doc 1:
    //  s1 "The nurse said she was tired."            0 The 1 nurse 2 said 3 she 4 was 5 tired
    //  s2 "He is a DOCTOR!"                           6 He 7 is 8 a 9 DOCTOR
    //  s3 "The Nurses and the doctor met his sister." 10 The 11 Nurses 12 and 13 the 14 doctor 15 met 16 his 17 sister
    //  s4 (after a blank line with spaces) "A nurse"  18 A 19 nurse
    static final String DOC1 = "The nurse said she was tired. He is a DOCTOR! The Nurses and the doctor met his"
            + " sister.\n  \t\nA nurse";
    // doc 2: sentence "nurse-man's doctors?" -> 0 nurse 1 man 2 s 3 doctors; sentence "x" -> 4 x
    static final String DOC2 = "nurse-man's doctors? x";

    @Test
    void countsSentencesTokensAndGenderByHand() {
        Counts c = count(3, DOC1, DOC2);
        assertEquals(2, c.total(Total.DOCUMENTS));
        assertEquals(20 + 5, c.total(Total.TOKENS));
        assertEquals(4 + 2, c.total(Total.SENTENCES));
        assertEquals(1, c.total(Total.SENTENCES_FEMALE_ONLY)); // s1
        assertEquals(1 + 1, c.total(Total.SENTENCES_MALE_ONLY)); // s2, doc2 s1
        assertEquals(1, c.total(Total.SENTENCES_BOTH)); // s3
        assertEquals(2 + 1, c.total(Total.MALE_TOKENS)); // He, his, man
        assertEquals(2, c.total(Total.FEMALE_TOKENS)); // she, sister
        assertEquals(1, c.total(Total.DOCUMENTS_BOTH));
        assertEquals(1, c.total(Total.DOCUMENTS_MALE_ONLY));
    }

    @Test
    void countsOccupationSentencesOnceAndSplitsByGenderRule() {
        Counts c = count(3, DOC1, DOC2);
        int nurse = 0;
        int doctor = 1;
        assertEquals(4, c.get(nurse, OccStat.MENTIONS)); // nurse, Nurses, nurse, nurse
        assertEquals(3, c.get(doctor, OccStat.MENTIONS)); // DOCTOR, doctor, doctors
        // nurse sentences: s1 (female only), s3 (both), s4 (none), doc2 s1 (male only: man)
        assertEquals(4, c.get(nurse, OccStat.SENT_TOTAL));
        assertEquals(1, c.get(nurse, OccStat.SENT_FEMALE_ONLY));
        assertEquals(1, c.get(nurse, OccStat.SENT_MALE_ONLY));
        assertEquals(1, c.get(nurse, OccStat.SENT_BOTH));
        // doctor sentences: s2 (male only), s3 (both), doc2 s1 (male only)
        assertEquals(3, c.get(doctor, OccStat.SENT_TOTAL));
        assertEquals(2, c.get(doctor, OccStat.SENT_MALE_ONLY));
        assertEquals(1, c.get(doctor, OccStat.SENT_BOTH));
        // documents: doc1 both genders, doc2 male only
        assertEquals(2, c.get(nurse, OccStat.DOC_TOTAL));
        assertEquals(1, c.get(nurse, OccStat.DOC_BOTH));
        assertEquals(1, c.get(nurse, OccStat.DOC_MALE_ONLY));
    }

    @Test
    void countsWindowsOfThreeTokensByHand() {
        Counts c = count(3, DOC1, DOC2);
        int nurse = 0;
        int doctor = 1;
        // nurse@1: window 0..4 -> she@3: female only (1 female pair)
        // Nurses@11: window 8..14 -> none;  nurse@19: window 16..19 -> his@16, sister@17: both (1 m, 1 f)
        // doc2 nurse@0: window 0..3 -> man@1: male only
        assertEquals(1, c.get(nurse, OccStat.WIN_FEMALE_ONLY));
        assertEquals(1, c.get(nurse, OccStat.WIN_BOTH));
        assertEquals(1, c.get(nurse, OccStat.WIN_MALE_ONLY));
        assertEquals(2, c.get(nurse, OccStat.WIN_PAIRS_MALE));
        assertEquals(2, c.get(nurse, OccStat.WIN_PAIRS_FEMALE));
        // DOCTOR@9: window 6..12 -> He@6: male; doctor@14: 11..17 -> his@16, sister@17: both
        // doc2 doctors@3: window 0..4 -> man@1: male
        assertEquals(2, c.get(doctor, OccStat.WIN_MALE_ONLY));
        assertEquals(1, c.get(doctor, OccStat.WIN_BOTH));
        assertEquals(3, c.get(doctor, OccStat.WIN_PAIRS_MALE));
        assertEquals(1, c.get(doctor, OccStat.WIN_PAIRS_FEMALE));
        // context tokens: doc1 N=20: she@3 -> 3+3, sister@17 -> 3+2; He@6 -> 3+3, his@16 -> 3+3
        //                 doc2 N=5:  man@1 -> 1+3
        assertEquals(6 + 6 + 4, c.total(Total.CONTEXT_TOKENS_MALE));
        assertEquals(6 + 5, c.total(Total.CONTEXT_TOKENS_FEMALE));
    }

    @Test
    void givesTheSameCountsWhateverTheChunking() {
        String doc = DOC1 + " " + DOC2 + "\n\n" + "her doctors nurses's  Nurse\n\nhe";
        Counts whole = count(4, doc);
        byte[] b = doc.getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= 7; chunk++) {
            Counts c = new Counts(WORDS.occupations().size());
            TextScanner s = new TextScanner(new Lexicon(WORDS), 4, c);
            for (int i = 0; i < b.length; i += chunk) {
                s.feed(b, i, Math.min(chunk, b.length - i));
            }
            s.endDocument();
            assertEquals(whole, c, "chunk size " + chunk);
        }
    }

    @Test
    void treatsNonAsciiAndDigitsAsSeparators() {
        Counts c = count(2, "café she\u2019s nurse2doctor nurses nurse");
        assertEquals(7, c.total(Total.TOKENS)); // caf she s nurse doctor nurses nurse
        assertEquals(1, c.total(Total.SENTENCES));
        assertEquals(1, c.total(Total.FEMALE_TOKENS));
        assertEquals(3, c.get(0, OccStat.MENTIONS));
        assertEquals(1, c.get(0, OccStat.SENT_TOTAL)); // several mentions, one sentence
        assertEquals(1, c.get(1, OccStat.MENTIONS));
    }

    @Test
    void matchesLongWordsExactlyAndRejectsNearMisses() {
        WordLists w = new WordLists(
                List.of(
                        new OccupationTerm(
                                "counterrevolutionary",
                                List.of("counterrevolutionary", "counterrevolutionaries"),
                                OptionalDouble.empty()),
                        new OccupationTerm("superintendent", List.of("superintendent"), OptionalDouble.empty())),
                List.of("he"),
                List.of("she"),
                List.of(),
                "long");
        Counts c = new Counts(2);
        TextScanner s = new TextScanner(new Lexicon(w), 3, c);
        byte[] b = ("COUNTERREVOLUTIONARY counterrevXlutionary counterrevolutionaries superintendenT"
                        + " superintendant he")
                .getBytes(StandardCharsets.UTF_8);
        s.document(b, 0, b.length);
        assertEquals(2, c.get(0, OccStat.MENTIONS));
        assertEquals(1, c.get(1, OccStat.MENTIONS));
        assertEquals(1, c.total(Total.MALE_TOKENS)); // "he" as the last bytes of the buffer
    }
}
