package com.factory.inspect.gate.reject;

import com.factory.inspect.api.decision.Actuation;
import com.factory.inspect.api.decision.RejectGate;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default reject gate: logs every actuation. It ranks lowest, so a real actuator bundle (GPIO,
 * PLC, fieldbus) with any higher service ranking replaces it. Idempotent per camera and sequence;
 * refuses to fire after the deadline.
 */
@Component(configurationPid = LoggingRejectGate.PID, property = Constants.SERVICE_RANKING + ":Integer=-1000")
@Designate(ocd = LoggingRejectGate.Config.class)
public class LoggingRejectGate implements RejectGate {
    static final String PID = "com.factory.inspect.reject.log";
    private static final Logger LOG = System.getLogger(LoggingRejectGate.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect logging reject gate",
            description = "Default actuator: logs each reject instead of driving hardware.")
    public @interface Config {
        @AttributeDefinition(description = "Log every actuation (turn off for benchmarks at high reject rates).")
        boolean log_actuations() default true;

        @AttributeDefinition(description = "How many recent sequence numbers per camera are remembered to keep "
                + "firing idempotent.")
        int remember() default 256;
    }

    private final Map<String, RecentSequences> recent = new ConcurrentHashMap<>();
    private final LongAdder fired = new LongAdder();
    private final LongSupplier nanoClock;
    private volatile boolean logActuations = true;
    private volatile int remember = 256;

    public LoggingRejectGate() {
        this(System::nanoTime);
    }

    LoggingRejectGate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Activate
    @Modified
    void configure(Config config) {
        logActuations = config.log_actuations();
        int r = config.remember();
        if (r < 1) {
            LOG.log(Level.ERROR, "reject gate configuration {0}: remember={1} must be positive; keeping {2}", PID, r,
                    remember);
        } else if (r != remember) {
            remember = r;
            recent.clear();
        }
    }

    @Override
    public Actuation fire(String cameraId, long sequence, long deadlineNanos) {
        long now = nanoClock.getAsLong();
        if (now - deadlineNanos > 0) {
            LOG.log(Level.WARNING, "REJECT NOT FIRED camera={0} seq={1}: {2} ms after the deadline, the part has left "
                    + "the gate", cameraId, sequence, String.format("%.1f", (now - deadlineNanos) / 1e6));
            return Actuation.TOO_LATE;
        }
        if (!recent.computeIfAbsent(cameraId, id -> new RecentSequences(remember)).add(sequence)) {
            return Actuation.ALREADY_FIRED;
        }
        fired.increment();
        if (logActuations) {
            LOG.log(Level.INFO, "REJECT camera={0} seq={1} ({2} ms before the deadline)", cameraId, sequence,
                    String.format("%.1f", (deadlineNanos - now) / 1e6));
        }
        return Actuation.FIRED;
    }

    /** Actuations so far. */
    long fired() {
        return fired.sum();
    }
}
