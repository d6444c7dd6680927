package com.factory.inspect.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.decision.Actuation;
import com.factory.inspect.api.decision.FailSafe;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.decision.Verdict;
import com.factory.inspect.api.gate.ModelStatus;
import com.factory.inspect.api.gate.Statistics;
import com.factory.inspect.api.inference.ErrorCode;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop end to end, without OSGi: the component is driven the way DS would drive it. */
class InspectionGateTest {
    private final InspectionGate gate = new InspectionGate();
    private final TestDoubles.Backend backend = new TestDoubles.Backend("fake", 1);
    private final TestDoubles.Camera camA = new TestDoubles.Camera("camA");
    private final TestDoubles.Camera camB = new TestDoubles.Camera("camB");
    private final TestDoubles.Results results = new TestDoubles.Results();
    private final TestDoubles.Gate rejects = new TestDoubles.Gate();

    private void start(Map<String, Object> config) throws Exception {
        start(config, true);
    }

    private void start(Map<String, Object> config, boolean awaitModel) throws Exception {
        Field field = InspectionGate.class.getDeclaredField("rejectGate");
        field.setAccessible(true);
        field.set(gate, rejects);
        gate.bindListener(results);
        gate.bindBackend(backend);
        gate.bindModel(new TestDoubles.Source("1.0.0"));
        gate.bindCamera(camA);
        gate.bindCamera(camB);
        Map<String, Object> c = new HashMap<>(Map.of("defect_log_dir", "", "summary_interval_s", 0));
        c.putAll(config);
        gate.activate(TestDoubles.config(InspectionGate.Config.class, c));
        if (awaitModel) {
            await(() -> "active".equals(gate.status().modelState()), 5000);
        }
    }

    @AfterEach
    void stop() {
        gate.deactivate();
    }

    @Test
    void movesUpToABetterBackendOnceItHasPreparedTheModel() throws Exception {
        TestDoubles.Backend accelerator = new TestDoubles.Backend("accelerator", 50);
        accelerator.failLoad = ErrorCode.NOT_READY; // e.g. TensorRT still building the engine
        gate.bindBackend(accelerator);
        start(Map.of("backend_retry_s", 1));
        assertEquals("fake", gate.status().backendId(), "the next backend runs the model meanwhile");
        int asked = accelerator.loads.get();
        Thread.sleep(2500);
        assertTrue(accelerator.loads.get() > asked, "asked again while still preparing");
        assertEquals("fake", gate.status().backendId());

        accelerator.failLoad = null; // the engine is built
        await(() -> "accelerator".equals(gate.status().backendId()), 5000);
        camA.deliver(TestDoubles.frame("camA", 0, 10));
        await(() -> results.all.size() == 1, 2000);
        assertEquals("accelerator", results.all.peek().backendId());
    }

    @Test
    void everyFrameGetsExactlyOneResultAndFailsFireTheGate() throws Exception {
        start(Map.of());
        int frames = 200;
        for (int i = 0; i < frames; i++) {
            // Every fifth frame is a defect with p = 200/255, the others p = 10/255; threshold 0.5.
            camA.deliver(TestDoubles.frame("camA", i, i % 5 == 0 ? 200 : 10));
            camB.deliver(TestDoubles.frame("camB", i, i % 5 == 0 ? 200 : 10));
            Thread.sleep(1);
        }
        await(() -> results.all.size() >= 2 * frames, 5000);
        Thread.sleep(150); // nothing more may arrive
        assertEquals(2 * frames, results.all.size());
        Set<String> seen = new HashSet<>();
        for (InspectionResult r : results.all) {
            assertTrue(seen.add(r.cameraId() + "#" + r.sequence()), "two results for " + r);
            if (r.outcome() != Outcome.DECIDED) {
                continue; // a fail-safe on this busy machine is legal, but it must still be a reject
            }
            boolean defect = r.sequence() % 5 == 0;
            assertEquals(defect ? Verdict.FAIL : Verdict.PASS, r.verdict(), r.toString());
            assertEquals(defect ? Actuation.FIRED : Actuation.NONE, r.actuation(), r.toString());
            assertEquals("probe", r.modelName());
            assertEquals("1.0.0", r.modelVersion());
            assertEquals("fake", r.backendId());
            assertEquals(0.5, r.threshold());
        }
        long fails = results.all.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
        assertEquals(fails, rejects.fired.size());
        assertEquals(0, rejects.late.get());
        Statistics s = gate.statistics();
        assertEquals(2 * frames, s.inspected());
        assertEquals(fails, s.failed());
    }

    @Test
    void aSlowModelGetsTheFailSafeBeforeTheDeadline() throws Exception {
        // The model takes 150 ms; the fail-safe decides at 100 - 30 ms, leaving the watchdog 30 ms of
        // slack on a busy machine before the deadline.
        backend.inferMillis = 150;
        start(Map.of("deadline_ms", 100L, "failsafe_margin_ms", 30L, "workers", 1, "queue_capacity", 8));
        for (int i = 0; i < 5; i++) {
            camA.deliver(TestDoubles.frame("camA", i, 10));
        }
        await(() -> results.all.size() == 5, 5000);
        for (InspectionResult r : results.all) {
            assertEquals(Outcome.DEADLINE_MISSED, r.outcome(), r.toString());
            assertEquals(Verdict.FAIL, r.verdict(), "the default fail-safe rejects");
            // FIRED: the test gate checked it came before the deadline. And not before the fail-safe
            // instant (deadline - margin): the model had its chance until then.
            assertEquals(Actuation.FIRED, r.actuation(), "fired before the deadline");
            assertTrue(r.latency().totalNanos() >= 70_000_000L, "decided at " + r.latency().totalNanos() + " ns");
        }
        assertEquals(5, gate.statistics().missedDeadlines());
    }

    @Test
    void overloadDropsTheOldestFramesAndCountsThem() throws Exception {
        backend.inferMillis = 20;
        start(Map.of("queue_capacity", 2, "workers", 1, "deadline_ms", 1000L, "failsafe", FailSafe.PASS));
        for (int i = 0; i < 20; i++) {
            camA.deliver(TestDoubles.frame("camA", i, 10));
        }
        await(() -> results.all.size() == 20, 5000);
        Statistics s = gate.statistics();
        assertTrue(s.dropped() >= 15, "dropped " + s.dropped());
        List<InspectionResult> dropped = results.all.stream().filter(r -> r.outcome() == Outcome.DROPPED).toList();
        assertEquals(s.dropped(), dropped.size());
        dropped.forEach(r -> assertEquals(Verdict.PASS, r.verdict(), "fail-safe PASS configured"));
        // The newest frame is never the one dropped.
        assertTrue(results.all.stream().anyMatch(r -> r.sequence() == 19 && r.outcome() == Outcome.DECIDED));
    }

    @Test
    void configurationChangesApplyToTheNextFrame() throws Exception {
        start(Map.of());
        camA.deliver(TestDoubles.frame("camA", 0, 64)); // p = 0.25: passes at the model's 0.5
        await(() -> results.all.size() == 1, 5000);
        gate.modified(TestDoubles.config(InspectionGate.Config.class,
                Map.of("threshold", 0.2, "defect_log_dir", "", "summary_interval_s", 0)));
        camA.deliver(TestDoubles.frame("camA", 1, 64));
        await(() -> results.all.size() == 2, 5000);
        InspectionResult[] r = results.all.toArray(new InspectionResult[0]);
        assertEquals(Verdict.PASS, r[0].verdict());
        assertEquals(Verdict.FAIL, r[1].verdict());
        assertEquals(0.2, r[1].threshold());
    }

    @Test
    void invalidConfigurationKeepsThePreviousValue() throws Exception {
        start(Map.of("threshold", 0.3));
        gate.modified(TestDoubles.config(InspectionGate.Config.class,
                Map.of("threshold", 7.0, "deadline_ms", -5L, "defect_log_dir", "", "summary_interval_s", 0)));
        assertEquals(0.3, gate.status().threshold());
        assertEquals(100, gate.status().deadlineMillis());
    }

    @Test
    void withoutAModelFramesGetTheFailSafe() throws Exception {
        start(Map.of("model_name", "absent"), false);
        camA.deliver(TestDoubles.frame("camA", 0, 10));
        await(() -> results.all.size() == 1, 5000);
        InspectionResult r = results.all.peek();
        assertEquals(Outcome.NO_MODEL, r.outcome());
        assertEquals(Verdict.FAIL, r.verdict());
        assertTrue(gate.status().modelState().contains("model absent is not installed (installed: [probe])"),
                gate.status().modelState());
    }

    @Test
    void anUnknownModelNameKeepsTheRunningModel() throws Exception {
        start(Map.of());
        gate.modified(TestDoubles.config(InspectionGate.Config.class,
                Map.of("model_name", "typo", "defect_log_dir", "", "summary_interval_s", 0)));
        await(() -> gate.status().modelState().startsWith("active (kept"), 5000);
        camA.deliver(TestDoubles.frame("camA", 0, 10));
        await(() -> results.all.size() == 1, 5000);
        assertEquals(Outcome.DECIDED, results.all.peek().outcome());
        assertEquals("probe", gate.status().modelName());
    }

    @Test
    void switchingVersionsLosesNoFrameAndClosesTheOldModel() throws Exception {
        TestDoubles.Source v2 = new TestDoubles.Source("2.0.0");
        gate.bindModel(v2);
        start(Map.of("model_version", "1.0.0"));
        Thread feeder = new Thread(() -> {
            for (int i = 0; i < 400; i++) {
                camA.deliver(TestDoubles.frame("camA", i, 10));
                sleepQuietly(1);
            }
        });
        feeder.start();
        for (int swap = 0; swap < 10; swap++) {
            String version = swap % 2 == 0 ? "2.0.0" : "1.0.0";
            gate.modified(TestDoubles.config(InspectionGate.Config.class,
                    Map.of("model_version", version, "defect_log_dir", "", "summary_interval_s", 0)));
            await(() -> version.equals(gate.status().modelVersion()), 5000);
            sleepQuietly(20);
        }
        feeder.join();
        await(() -> results.all.size() == 400, 5000);
        assertEquals(400, results.all.stream().map(InspectionResult::sequence).distinct().count());
        Set<String> versions = new HashSet<>();
        results.all.stream().filter(r -> r.outcome() == Outcome.DECIDED).forEach(r -> versions.add(r.modelVersion()));
        assertEquals(Set.of("1.0.0", "2.0.0"), versions, "results name the version that produced them");
        // Every model loaded was closed, except the one active now.
        assertEquals(11, backend.loaded.size());
        assertEquals(10, backend.loaded.stream().filter(m -> m.closed.get()).count());
        assertEquals("1.0.0", gate.status().modelVersion());
        assertEquals("probe:2.0.0", gate.history().get(0), "the one before is first in the history");
    }

    @Test
    void aModelThatFailsVerificationIsRejectedAndTheActiveOneKeepsRunning() throws Exception {
        start(Map.of());
        backend.failLoad = ErrorCode.CHECKSUM_MISMATCH;
        TestDoubles.Source broken = new TestDoubles.Source("3.0.0");
        gate.bindModel(broken);
        await(() -> gate.models().stream().anyMatch(m -> m.version().equals("3.0.0")
                && m.state() == ModelStatus.State.REJECTED), 5000);
        assertEquals("1.0.0", gate.status().modelVersion());
        ModelStatus rejected = gate.models().stream().filter(m -> m.version().equals("3.0.0")).findFirst().get();
        assertTrue(rejected.detail().contains("CHECKSUM_MISMATCH"), rejected.detail());
        camA.deliver(TestDoubles.frame("camA", 0, 10));
        await(() -> results.all.size() == 1, 5000);
        assertEquals("1.0.0", results.all.peek().modelVersion());
        assertTrue(!gate.verify(broken).passed());
    }

    @Test
    void aBackendThatKeepsFailingIsReplacedByTheNextOne() throws Exception {
        TestDoubles.Backend fallback = new TestDoubles.Backend("fallback", 0);
        gate.bindBackend(fallback);
        start(Map.of());
        assertEquals("fake", gate.status().backendId());
        backend.failInference = true;
        for (int i = 0; i < 20; i++) {
            camA.deliver(TestDoubles.frame("camA", i, 10));
            sleepQuietly(5);
        }
        await(() -> "fallback".equals(gate.status().backendId()), 5000);
        camA.deliver(TestDoubles.frame("camA", 20, 10));
        await(() -> results.all.size() == 21, 5000);
        long failed = results.all.stream().filter(r -> r.outcome() == Outcome.INFERENCE_FAILED).count();
        assertTrue(failed >= ModelManager.FAILURES_BEFORE_FALLBACK, "fail-safe while the backend failed: " + failed);
        assertEquals("fallback", results.all.stream().filter(r -> r.sequence() == 20).findFirst().get().backendId());
    }

    @Test
    void losingTheActiveBackendMovesTheModelToTheNext() throws Exception {
        TestDoubles.Backend fallback = new TestDoubles.Backend("fallback", 0);
        gate.bindBackend(fallback);
        start(Map.of());
        gate.unbindBackend(backend);
        await(() -> "fallback".equals(gate.status().backendId()), 5000);
        camA.deliver(TestDoubles.frame("camA", 0, 10));
        await(() -> results.all.size() == 1, 5000);
        assertEquals(Outcome.DECIDED, results.all.peek().outcome());
        assertTrue(backend.loaded.get(0).closed.get(), "the model on the lost backend is closed");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(5);
        }
    }
}
