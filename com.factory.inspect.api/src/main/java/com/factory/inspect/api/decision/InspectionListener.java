package com.factory.inspect.api.decision;

import com.factory.inspect.api.camera.Frame;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every inspection result (whiteboard: register it as a service). Called on an inspection
 * worker after the reject gate was handled; hand heavy work to a thread of your own.
 */
@ConsumerType
public interface InspectionListener {
    /** A frame was decided; {@code frame} is the inspected image. */
    void inspected(InspectionResult result, Frame frame);
}
