package org.unmask.models.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LinearScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysToZeroAsHuggingFace() {
        LinearSchedule s = new LinearSchedule(1e-4, 10, 110);
        assertEquals(0, s.rate(0), 0);
        assertEquals(5e-5, s.rate(5), 1e-15);
        assertEquals(1e-4, s.rate(10), 1e-15);
        assertEquals(5e-5, s.rate(60), 1e-15);
        assertEquals(1e-6, s.rate(109), 1e-15);
        assertEquals(0, s.rate(110), 0);
    }

    @Test
    void withoutWarmupStartsAtThePeak() {
        assertEquals(2e-5, new LinearSchedule(2e-5, 0, 4).rate(0), 0);
        assertEquals(1e-5, new LinearSchedule(2e-5, 0, 4).rate(2), 1e-18);
    }
}
