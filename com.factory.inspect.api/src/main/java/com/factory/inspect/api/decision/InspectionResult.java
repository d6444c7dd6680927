package com.factory.inspect.api.decision;

import com.factory.inspect.api.camera.GroundTruth;
import java.util.Objects;

/**
 * The one result every frame gets.
 *
 * @param cameraId camera of the frame
 * @param sequence frame sequence number
 * @param verdict pass or fail
 * @param defectProbability the model's defect probability, {@code NaN} if the model did not run
 * @param threshold the threshold the decision used
 * @param modelName model that produced it (empty if none)
 * @param modelVersion its version (empty if none)
 * @param backendId backend that ran it (empty if none)
 * @param latency time per stage
 * @param deadlineMet whether the decision was final before the reject deadline
 * @param outcome how the result came about; anything but {@link Outcome#DECIDED} means the
 *        fail-safe was applied
 * @param actuation what the reject gate did
 * @param groundTruth the frame's ground truth, where its source knows it
 */
public record InspectionResult(String cameraId, long sequence, Verdict verdict, double defectProbability,
        double threshold, String modelName, String modelVersion, String backendId, LatencyBreakdown latency,
        boolean deadlineMet, Outcome outcome, Actuation actuation, GroundTruth groundTruth) {

    public InspectionResult {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(actuation, "actuation");
        Objects.requireNonNull(groundTruth, "groundTruth");
    }

    /** True when the fail-safe decided instead of the model. */
    public boolean failSafeApplied() {
        return outcome != Outcome.DECIDED;
    }
}
