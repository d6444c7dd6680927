package com.factory.inspect.api.decision;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The actuator that removes a failed part from the line. The gateway uses the one with the highest
 * service ranking. Firing is idempotent per camera and sequence.
 */
@ProviderType
public interface RejectGate {

    /**
     * Rejects the part of frame {@code sequence} of camera {@code cameraId}.
     *
     * @param deadlineNanos instant on the {@link System#nanoTime()} clock after which the part has
     *        left the gate; an actuator must not fire after it (it would hit the next part)
     * @return what happened; never throws for actuator faults, returns {@link Actuation#FAILED}
     */
    Actuation fire(String cameraId, long sequence, long deadlineNanos);
}
