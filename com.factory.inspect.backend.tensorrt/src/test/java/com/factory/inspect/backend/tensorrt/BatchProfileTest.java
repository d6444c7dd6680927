package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchProfileTest {

    @Test
    void aFixedBatchIsTheOnlyOne() {
        BatchProfile p = BatchProfile.of(4, 1, 8);
        assertEquals(new BatchProfile(4, 4, 4), p);
        assertTrue(p.fixed());
        assertTrue(p.accepts(4));
        assertFalse(p.accepts(1));
    }

    @Test
    void aDynamicBatchTakesOneToMax() {
        BatchProfile p = BatchProfile.of(-1, 2, 8);
        assertEquals(new BatchProfile(1, 2, 8), p);
        assertFalse(p.fixed());
        assertTrue(p.accepts(1) && p.accepts(8));
        assertFalse(p.accepts(0) || p.accepts(9));
        assertEquals("1/2/8", p.text());
    }

    @Test
    void inconsistentProfilesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchProfile(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchProfile(2, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new BatchProfile(1, 4, 2));
    }
}
