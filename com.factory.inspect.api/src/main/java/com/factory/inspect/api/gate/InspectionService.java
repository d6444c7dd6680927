package com.factory.inspect.api.gate;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The running inspection gate, for shells, health checks and dashboards. */
@ProviderType
public interface InspectionService {
    /** The gate at a glance. */
    GateStatus status();

    /** Every attached camera. */
    List<CameraStatus> cameras();

    /** Counters and latencies since start or the last reset. */
    Statistics statistics();

    /** Starts counting afresh. */
    void resetStatistics();
}
