package com.factory.inspect.gate.reject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.factory.inspect.api.decision.Actuation;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoggingRejectGateTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoggingRejectGate gate = new LoggingRejectGate(now::get);

    @Test
    void firesOncePerCameraAndSequence() {
        assertEquals(Actuation.FIRED, gate.fire("cam1", 7, now.get() + 50_000_000));
        assertEquals(Actuation.ALREADY_FIRED, gate.fire("cam1", 7, now.get() + 50_000_000));
        assertEquals(Actuation.FIRED, gate.fire("cam2", 7, now.get() + 50_000_000));
        assertEquals(Actuation.FIRED, gate.fire("cam1", 8, now.get() + 50_000_000));
        assertEquals(3, gate.fired());
    }

    @Test
    void neverFiresAfterTheDeadline() {
        long deadline = now.get() + 1_000_000;
        now.addAndGet(2_000_000);
        assertEquals(Actuation.TOO_LATE, gate.fire("cam1", 1, deadline));
        assertEquals(0, gate.fired());
    }

    @Test
    void remembersABoundedNumberOfSequences() {
        RecentSequences recent = new RecentSequences(2);
        assertEquals(true, recent.add(1));
        assertEquals(true, recent.add(2));
        assertEquals(false, recent.add(1));
        assertEquals(true, recent.add(3)); // evicts 1
        assertEquals(true, recent.add(1));
        assertEquals(false, recent.add(3));
    }
}
