package com.factory.inspect.backend.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InFlightGuardTest {
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "guard-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    @Test
    void countsUsesInFlight() {
        InFlightGuard guard = new InFlightGuard("test");
        assertTrue(guard.enter());
        assertTrue(guard.enter());
        assertEquals(2, guard.inFlight());
        guard.exit();
        guard.exit();
        assertEquals(0, guard.inFlight());
        assertFalse(guard.isClosed());
    }

    @Test
    void closeWithNothingInFlightReleasesAtOnceAndRefusesLaterUses() {
        InFlightGuard guard = new InFlightGuard("test");
        AtomicInteger releases = new AtomicInteger();
        guard.closeAndAwait(releases::incrementAndGet);
        assertEquals(1, releases.get());
        assertTrue(guard.isClosed());
        assertFalse(guard.enter());
        assertFalse(guard.enter());
        assertEquals(0, guard.inFlight(), "refused entries are undone");
        guard.closeAndAwait(releases::incrementAndGet);
        assertEquals(1, releases.get(), "release runs once");
    }

    @Test
    void releaseRunsOnlyAfterTheLastExit() throws Exception {
        InFlightGuard guard = new InFlightGuard("test");
        assertTrue(guard.enter());
        assertTrue(guard.enter());
        AtomicBoolean released = new AtomicBoolean();
        Future<?> closer = pool.submit(() -> guard.closeAndAwait(() -> released.set(true)));

        awaitClosed(guard);
        assertFalse(guard.enter(), "no new use once closing started");
        guard.exit();
        Thread.sleep(50);
        assertFalse(released.get(), "one use still in flight");
        assertFalse(closer.isDone());

        guard.exit();
        closer.get(5, TimeUnit.SECONDS);
        assertTrue(released.get());
        assertEquals(0, guard.inFlight());
    }

    @Test
    void concurrentClosersWaitForTheOneReleaseToFinish() throws Exception {
        InFlightGuard guard = new InFlightGuard("test");
        CountDownLatch releaseStarted = new CountDownLatch(1);
        CountDownLatch finishRelease = new CountDownLatch(1);
        AtomicInteger releases = new AtomicInteger();
        Runnable release = () -> {
            releases.incrementAndGet();
            releaseStarted.countDown();
            await(finishRelease);
        };
        Future<?> first = pool.submit(() -> guard.closeAndAwait(release));
        assertTrue(releaseStarted.await(5, TimeUnit.SECONDS));
        Future<?> second = pool.submit(() -> guard.closeAndAwait(release));
        Thread.sleep(50);
        assertFalse(second.isDone(), "a second close returns only once the handle is released");

        finishRelease.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(1, releases.get());
    }

    @RepeatedTest(20)
    void usesRacingWithCloseNeverOverlapTheRelease() throws Exception {
        InFlightGuard guard = new InFlightGuard("test");
        int workers = 8;
        AtomicInteger active = new AtomicInteger();
        AtomicBoolean released = new AtomicBoolean();
        AtomicLong usesAfterRelease = new AtomicLong();
        AtomicLong completedUses = new AtomicLong();
        AtomicInteger releases = new AtomicInteger();
        AtomicInteger activeAtRelease = new AtomicInteger(-1);
        CyclicBarrier start = new CyclicBarrier(workers + 1);

        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                start.await();
                while (guard.enter()) {
                    try {
                        active.incrementAndGet();
                        if (released.get()) {
                            usesAfterRelease.incrementAndGet();
                        }
                        Thread.onSpinWait();
                        completedUses.incrementAndGet();
                    } finally {
                        active.decrementAndGet();
                        guard.exit();
                    }
                }
                return null;
            }));
        }
        start.await();
        Thread.sleep(5);
        guard.closeAndAwait(() -> {
            releases.incrementAndGet();
            activeAtRelease.set(active.get());
            released.set(true);
        });
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertEquals(1, releases.get());
        assertEquals(0, activeAtRelease.get(), "release ran while a use was in flight");
        assertEquals(0, usesAfterRelease.get(), "a use started after release");
        assertEquals(0, guard.inFlight());
        assertTrue(completedUses.get() > 0);
    }

    @Test
    void manyConcurrentClosersReleaseOnce() throws Exception {
        InFlightGuard guard = new InFlightGuard("test");
        AtomicInteger releases = new AtomicInteger();
        assertTrue(guard.enter());
        List<Future<?>> closers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            closers.add(pool.submit(() -> guard.closeAndAwait(releases::incrementAndGet)));
        }
        awaitClosed(guard);
        Thread.sleep(20);
        assertEquals(0, releases.get());
        guard.exit();
        for (Future<?> f : closers) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertEquals(1, releases.get());
    }

    @Test
    void exitWithoutEnterIsRefusedAndLeavesTheGuardUsable() {
        InFlightGuard guard = new InFlightGuard("test");
        assertThrows(IllegalStateException.class, guard::exit);
        assertFalse(guard.isClosed());
        assertEquals(0, guard.inFlight());
        assertTrue(guard.enter());
        guard.exit();
    }

    @Test
    void interruptDoesNotCutTheWaitShortAndIsKept() throws Exception {
        InFlightGuard guard = new InFlightGuard("test");
        assertTrue(guard.enter());
        AtomicBoolean releasedWhileInFlight = new AtomicBoolean();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            guard.closeAndAwait(() -> releasedWhileInFlight.set(guard.inFlight() != 0));
            interruptKept.set(Thread.currentThread().isInterrupted());
        }, "guard-test-closer");
        closer.setDaemon(true);
        closer.start();
        awaitClosed(guard);
        closer.interrupt();
        Thread.sleep(50);
        assertTrue(closer.isAlive(), "close must keep waiting when interrupted");
        guard.exit();
        closer.join(5000);
        assertFalse(closer.isAlive());
        assertFalse(releasedWhileInFlight.get());
        assertTrue(interruptKept.get());
    }

    @Test
    void aFailingReleaseReachesItsCallerAndCountsAsDone() {
        InFlightGuard guard = new InFlightGuard("test");
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> guard.closeAndAwait(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        AtomicBoolean again = new AtomicBoolean();
        guard.closeAndAwait(() -> again.set(true));
        assertFalse(again.get());
    }

    @Test
    void slowUsesAreWaitedForPastTheWarningDelay() throws Exception {
        InFlightGuard guard = new InFlightGuard("slow", Duration.ofMillis(10));
        assertTrue(guard.enter());
        AtomicBoolean released = new AtomicBoolean();
        Future<?> closer = pool.submit(() -> guard.closeAndAwait(() -> released.set(true)));
        Thread.sleep(100);
        assertFalse(released.get());
        guard.exit();
        closer.get(5, TimeUnit.SECONDS);
        assertTrue(released.get());
    }

    private static void awaitClosed(InFlightGuard guard) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!guard.isClosed()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("guard did not close");
            }
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
